import type { Membership } from '$lib/sync/storage';

/** A page flow that talks to the server: busy while it waits, its last failure kept for the page. */
export interface Flow {
	busy: boolean;
	error: unknown;
}

/**
 * Runs the network step that makes this device a member of a round (creating it or joining it),
 * then saves the membership on the device. A failure is kept in `flow.error` for the page to put
 * into words, and nothing is saved.
 */
export async function becomeMember(
	flow: Flow,
	save: (m: Membership) => Promise<void>,
	obtain: () => Promise<Omit<Membership, 'joinedAt'>>
): Promise<Membership | null> {
	flow.busy = true;
	flow.error = null;
	try {
		const membership: Membership = { ...(await obtain()), joinedAt: Date.now() };
		await save(membership);
		return membership;
	} catch (error) {
		flow.error = error;
		return null;
	} finally {
		flow.busy = false;
	}
}
