import { normalizeName, type NameProblem } from '$lib/domain/names';
import { ApiError, type Api } from '$lib/sync/api';
import type { Membership } from '$lib/sync/storage';
import { syncGroup, type GroupStore } from './group-sync';
import { becomeMember } from './membership';

/**
 * What a `/join#…` link carries (PROTOCOL §Groups): a round's invite `#<roundId>.<code>`, a
 * group's invite `#group.<groupId>.<code>`, or a device link `#device.<groupId>.<secret>`.
 */
export type JoinLink =
	| { kind: 'round'; roundId: string; code: string }
	| { kind: 'group'; groupId: string; code: string }
	| { kind: 'device'; groupId: string; secret: string };

const PART = '[A-Za-z0-9_-]+';

export function parseJoinLink(hash: string): JoinLink | null {
	const fragment = hash.trim().replace(/^#/, '');
	const two = new RegExp(`^(${PART})\\.(${PART})$`).exec(fragment);
	if (two) return { kind: 'round', roundId: two[1]!, code: two[2]! };
	const three = new RegExp(`^(group|device)\\.(${PART})\\.(${PART})$`).exec(fragment);
	if (!three) return null;
	return three[1] === 'group'
		? { kind: 'group', groupId: three[2]!, code: three[3]! }
		: { kind: 'device', groupId: three[2]!, secret: three[3]! };
}

/** `#<roundId>.<code>` from a round's invitation link, or null if the fragment is not one. */
export function parseInvite(hash: string): { roundId: string; code: string } | null {
	const link = parseJoinLink(hash);
	return link?.kind === 'round' ? { roundId: link.roundId, code: link.code } : null;
}

/** The device's side of joining: where memberships go and the device's own id. */
export interface JoinStore extends GroupStore {
	deviceId(): Promise<string>;
}

/**
 * Joining from a link: a display name and one API call (or, for a device link, no name at all),
 * then a membership kept for every round of the group the member is in. A name already in the
 * group is not a new member: the page asks "is this you?" (`sameName`).
 */
export class JoinFlow {
	name = $state('');
	busy = $state(false);
	error: unknown = $state(null);
	/** The name typed is already someone's in the group: the page asks whether it is the person's own. */
	sameName = $state(false);
	readonly link: JoinLink | null;

	constructor(hash: string) {
		this.link = parseJoinLink(hash);
	}

	/** The group the link leads to (a round's own group has the round's id until the server says otherwise). */
	get groupId(): string | null {
		if (!this.link) return null;
		return this.link.kind === 'round' ? this.link.roundId : this.link.groupId;
	}

	/** What is wrong with the name as typed, before asking the server (the same rule it applies). */
	get nameProblem(): NameProblem | null {
		const result = normalizeName(this.name);
		return result.ok ? null : result.problem;
	}

	/** "No, that is not me": back to the name, to choose another one. */
	notMe(): void {
		this.sameName = false;
		this.error = null;
		this.name = '';
	}

	/** Joins (or, with a device link, opens the access) and returns the membership of the round to open. */
	async submit(api: Api, store: JoinStore): Promise<Membership | null> {
		const link = this.link;
		if (!link || this.busy) return null;
		const deviceId = await store.deviceId();
		let credentials: () => Promise<{ token: string; groupId: string }>;
		if (link.kind === 'device') {
			credentials = async () => ({ token: (await api.redeemDeviceLink(link.groupId, link.secret, deviceId)).token, groupId: link.groupId });
		} else {
			const result = normalizeName(this.name);
			if (!result.ok) return null;
			credentials = async () => {
				const joined =
					link.kind === 'round'
						? await api.join(link.roundId, link.code, result.name, deviceId)
						: await api.joinGroup(link.groupId, link.code, result.name, deviceId);
				const groupId = link.kind === 'round' ? (await api.me(link.roundId, joined.token)).groupId : link.groupId;
				return { token: joined.token, groupId };
			};
		}
		this.sameName = false;
		const joined = await becomeMember(this, async () => undefined, async () => {
			const { token, groupId } = await credentials();
			const view = await syncGroup(api, store, groupId, token);
			const kept = await store.groupMemberships(groupId);
			const target = link.kind === 'round' ? kept.find((m) => m.roundId === link.roundId) : kept[0];
			if (!target) throw new ApiError('not_member', `${view.name}: no round of this group has this member yet.`, 404);
			return target;
		});
		if (this.error instanceof ApiError && this.error.code === 'name_taken') this.sameName = true;
		return joined;
	}
}
