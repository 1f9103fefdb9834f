// Keeping the device's memberships in step with a group's rounds (PROTOCOL §11).
import type { Api, GroupView } from '$lib/sync/api';
import { groupOf, type Membership } from '$lib/sync/storage';

/** Where the group page keeps what it needs: the device's memberships. */
export interface GroupStore {
	groupMemberships(groupId: string): Promise<Membership[]>;
	saveMembership(membership: Membership): Promise<void>;
}

/** The memberships a group view gives this device: one per round of the group the member is in, all on the one token. */
export function membershipsOf(view: GroupView, token: string, joinedAt: number): Membership[] {
	return view.rounds
		.filter((round) => round.member)
		.map((round) => ({
			roundId: round.roundId,
			memberId: view.memberId,
			token,
			role: view.role,
			name: view.memberName,
			roundName: round.name,
			groupId: view.groupId,
			groupName: view.name,
			joinedAt
		}));
}

/**
 * Asks the server for the group and keeps a membership for each of its rounds the member is in,
 * so that a round started since opens without joining again (and offline later). Memberships
 * already kept keep their join time.
 */
export async function syncGroup(api: Api, store: GroupStore, groupId: string, token: string): Promise<GroupView> {
	const view = await api.group(groupId, token);
	const kept = new Map((await store.groupMemberships(groupId)).map((m) => [m.roundId as string, m.joinedAt]));
	for (const membership of membershipsOf(view, token, Date.now())) {
		await store.saveMembership({ ...membership, joinedAt: kept.get(membership.roundId) ?? membership.joinedAt });
	}
	return view;
}

/**
 * For the home page: asks about each group the device is in (once per group, by one of its
 * tokens) and returns every membership now kept. A group that cannot be reached (offline, access
 * re-issued) keeps what the device had.
 */
export async function refreshGroups(api: Api, store: GroupStore & { memberships(): Promise<Membership[]> }): Promise<Membership[]> {
	const byGroup = new Map<string, string>();
	for (const membership of await store.memberships()) if (!byGroup.has(groupOf(membership))) byGroup.set(groupOf(membership), membership.token);
	await Promise.all([...byGroup].map(([groupId, token]) => syncGroup(api, store, groupId, token).catch(() => undefined)));
	return store.memberships();
}

/** A link from the server is a path unless PUBLIC_URL is set; `origin` makes it one to share. */
export const absoluteLink = (url: string, origin: string): string => (/^https?:\/\//.test(url) ? url : origin + url);
