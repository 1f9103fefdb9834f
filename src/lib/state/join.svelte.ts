import { normalizeName, type NameProblem } from '$lib/domain/names';
import type { RoundId } from '$lib/domain/types';
import type { Api } from '$lib/sync/api';
import type { Membership } from '$lib/sync/storage';
import { becomeMember } from './membership';

/** `#<roundId>.<code>` from an invitation link, or null if the fragment is not one. */
export function parseInvite(hash: string): { roundId: string; code: string } | null {
	const match = /^#?([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(hash.trim());
	return match ? { roundId: match[1] as string, code: match[2] as string } : null;
}

/** Joining a round from an invitation: a display name, one API call, a stored membership. */
export class JoinFlow {
	name = $state('');
	busy = $state(false);
	error: unknown = $state(null);
	readonly invite: { roundId: string; code: string } | null;

	constructor(hash: string) {
		this.invite = parseInvite(hash);
	}

	/** What is wrong with the name as typed, before asking the server (the same rule it applies). */
	get nameProblem(): NameProblem | null {
		const result = normalizeName(this.name);
		return result.ok ? null : result.problem;
	}

	async submit(api: Api, save: (m: Membership) => Promise<void>, deviceId?: () => Promise<string>): Promise<Membership | null> {
		const result = normalizeName(this.name);
		if (!this.invite || this.busy || !result.ok) return null;
		const { roundId, code } = this.invite;
		return becomeMember(this, save, async () => {
			const joined = await api.join(roundId, code, result.name, deviceId && (await deviceId()));
			const me = await api.me(roundId, joined.token);
			return {
				roundId: roundId as RoundId,
				memberId: joined.memberId,
				token: joined.token,
				role: me.role,
				name: me.name,
				roundName: me.roundName
			};
		});
	}
}
