// Rounds, invites, joining and revocation (DESIGN §5).
import type { IncomingMessage } from 'node:http';
import { parseCreateInviteBody, parseCreateRoundBody, parseJoinBody, type Parsed } from '../../src/lib/domain/schemas.js';
import type { MemberId, RoundSettings } from '../../src/lib/domain/types.js';
import type { Sequencer } from '../sequencer/index.js';
import { hashToken, newToken, randomId } from '../secrets.js';
import type { InviteRow, Store } from '../store/index.js';
import { CLOSE, type Rooms, type SyncServer } from '../sync/index.js';
import { requireFacilitator, requireMember, requireRound } from './auth.js';
import { HttpError } from './respond.js';

export interface RoundsDeps {
	store: Store;
	sequencer: Sequencer;
	sync: SyncServer;
	rooms: Rooms;
	/** PUBLIC_URL (invite links are absolute from it), or '' for paths the app completes. */
	publicUrl: string;
}

function parsed<T>(result: Parsed<T>): T {
	if (!result.ok) throw new HttpError(400, 'invalid', result.error.message);
	return result.value;
}

const inviteUrl = (publicUrl: string, roundId: string, code: string): string => `${publicUrl}/join#${roundId}.${code}`;

const inviteView = (publicUrl: string) => (invite: InviteRow) => ({
	code: invite.code,
	role: invite.role,
	uses: invite.uses,
	used: invite.used,
	expiresAt: invite.expiresAt,
	url: inviteUrl(publicUrl, invite.roundId, invite.code)
});

export function createRound({ store, sequencer }: RoundsDeps, body: unknown) {
	const input = parsed(parseCreateRoundBody(body));
	const roundId = randomId();
	const memberId = randomId();
	const token = newToken();
	const now = Date.now();
	store.transaction(() => {
		store.accounts.createRound(roundId, input.name, now);
		store.accounts.addMember({ roundId, id: memberId, name: input.facilitatorName, role: 'facilitator' }, hashToken(token), now);
	});
	const settings: RoundSettings = {
		name: input.name,
		currency: input.currency,
		locale: input.locale ?? 'en',
		phase: 'proposing',
		defaultAllocation: input.defaultAllocation,
		maxPerMemberPerBucket: input.maxPerMemberPerBucket ?? null,
		transparency: input.transparency ?? 'named',
		requireApproval: input.requireApproval ?? false
	};
	sequencer.submitSystem(roundId, { type: 'open', settings });
	sequencer.submitSystem(roundId, { type: 'join', memberId: memberId as MemberId });
	sequencer.flush();
	return { roundId, memberId, token };
}

export function me({ store }: RoundsDeps, req: IncomingMessage, roundId: string) {
	const member = requireMember(store, req, roundId);
	const round = requireRound(store, roundId);
	return { roundId, memberId: member.id, name: member.name, role: member.role, roundName: round.name };
}

export function createInvite({ store, publicUrl }: RoundsDeps, req: IncomingMessage, roundId: string, body: unknown) {
	requireFacilitator(store, req, roundId);
	const input = parsed(parseCreateInviteBody(body));
	const code = randomId();
	store.accounts.addInvite(
		{ code, roundId, role: input.role ?? 'member', uses: input.uses ?? null, expiresAt: input.expiresAt ?? null },
		Date.now()
	);
	return { code, url: inviteUrl(publicUrl, roundId, code) };
}

export function listInvites({ store, publicUrl }: RoundsDeps, req: IncomingMessage, roundId: string) {
	requireFacilitator(store, req, roundId);
	return store.accounts.invites(roundId).map(inviteView(publicUrl));
}

export function join({ store, sequencer }: RoundsDeps, roundId: string, body: unknown) {
	requireRound(store, roundId);
	const input = parsed(parseJoinBody(body));
	const memberId = randomId();
	const token = newToken();
	store.transaction(() => {
		const invite = store.accounts.invite(roundId, input.code);
		if (!invite) throw new HttpError(404, 'unknown_invite', 'This invite code does not exist for this round.');
		if (invite.expiresAt !== null && invite.expiresAt < Date.now()) {
			throw new HttpError(403, 'invite_expired', 'This invite has expired; ask a facilitator for a new one.');
		}
		if (invite.uses !== null && invite.used >= invite.uses) {
			throw new HttpError(403, 'invite_used_up', 'This invite has been used as many times as allowed.');
		}
		store.accounts.useInvite(invite.code);
		store.accounts.addMember({ roundId, id: memberId, name: input.name, role: invite.role }, hashToken(token), Date.now());
	});
	sequencer.submitSystem(roundId, { type: 'join', memberId: memberId as MemberId });
	sequencer.flush();
	return { memberId, token };
}

export function revoke({ store, sequencer, sync }: RoundsDeps, req: IncomingMessage, roundId: string, memberId: string) {
	requireFacilitator(store, req, roundId);
	const target = store.accounts.member(roundId, memberId);
	if (!target) throw new HttpError(404, 'unknown_member', 'There is no member with this id in the round.');
	if (target.active && target.role === 'facilitator' && store.accounts.activeFacilitatorCount(roundId) <= 1) {
		throw new HttpError(409, 'last_facilitator', 'The last facilitator of a round cannot be revoked.');
	}
	store.accounts.deactivate(roundId, memberId);
	sync.closeMember(roundId, memberId, CLOSE.badToken, 'token revoked');
	sequencer.memberChanged(roundId, memberId);
	return { memberId, active: false };
}
