// Rounds, invites, joining and revocation (DESIGN §5).
import type { IncomingMessage } from 'node:http';
import { MEMBER_NAME_MAX, nameIsTaken, nameProblemMessage, normalizeName, ROUND_NAME_MAX } from '../../src/lib/domain/names.js';
import {
	parseCreateInviteBody,
	parseCreateRoundBody,
	parseInviteChangeBody,
	parseJoinBody,
	type Parsed
} from '../../src/lib/domain/schemas.js';
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

/** A name as names.ts decides it, or 400 `invalid_name` saying which rule it breaks. */
function validName(field: string, raw: string, max: number): string {
	const result = normalizeName(raw, max);
	if (!result.ok) throw new HttpError(400, 'invalid_name', `${field}: ${nameProblemMessage(result.problem, max)}`);
	return result.name;
}

const inviteUrl = (publicUrl: string, roundId: string, code: string): string => `${publicUrl}/join#${roundId}.${code}`;

const inviteView = (publicUrl: string) => (invite: InviteRow) => ({
	code: invite.code,
	role: invite.role,
	uses: invite.uses,
	used: invite.used,
	expiresAt: invite.expiresAt,
	disabled: invite.disabled,
	url: inviteUrl(publicUrl, invite.roundId, invite.code)
});

export function createRound({ store, sequencer }: RoundsDeps, body: unknown) {
	const parsedBody = parsed(parseCreateRoundBody(body));
	const input = {
		...parsedBody,
		name: validName('name', parsedBody.name, ROUND_NAME_MAX),
		facilitatorName: validName('facilitatorName', parsedBody.facilitatorName, MEMBER_NAME_MAX)
	};
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

export function changeInvite({ store, publicUrl }: RoundsDeps, req: IncomingMessage, roundId: string, code: string, body: unknown) {
	requireFacilitator(store, req, roundId);
	const { disabled } = parsed(parseInviteChangeBody(body));
	if (!store.accounts.setInviteDisabled(roundId, code, disabled)) throw unknownInvite();
	return inviteView(publicUrl)(store.accounts.invite(roundId, code)!);
}

export function deleteInvite({ store }: RoundsDeps, req: IncomingMessage, roundId: string, code: string) {
	requireFacilitator(store, req, roundId);
	if (!store.accounts.deleteInvite(roundId, code)) throw unknownInvite();
	return { code, deleted: true };
}

const unknownInvite = () => new HttpError(404, 'unknown_invite', 'This invite code does not exist for this round.');
const revoked = (message = 'A facilitator removed you from this round; you cannot join it again with a link.') =>
	new HttpError(403, 'revoked', message);

/** Refuses an invite that admits nobody now, with the reason. */
function checkInvite(invite: InviteRow | undefined): InviteRow {
	if (!invite) throw unknownInvite();
	if (invite.disabled) throw new HttpError(403, 'invite_disabled', 'A facilitator has disabled this invite; ask for another one.');
	if (invite.expiresAt !== null && invite.expiresAt < Date.now()) {
		throw new HttpError(403, 'invite_expired', 'This invite has expired; ask a facilitator for a new one.');
	}
	if (invite.uses !== null && invite.used >= invite.uses) {
		throw new HttpError(403, 'invite_used_up', 'This invite has been used as many times as allowed.');
	}
	return invite;
}

/**
 * Joins a round with an invite. A device that already joined the round gets its membership back
 * with a new token (no second member, no second allocation, no use of the invite); a device or a
 * name of a revoked member is refused; a name that reads as an existing member's is refused.
 */
export function join({ store, sequencer }: RoundsDeps, roundId: string, body: unknown) {
	requireRound(store, roundId);
	const input = parsed(parseJoinBody(body));
	const name = validName('name', input.name, MEMBER_NAME_MAX);
	const deviceHash = input.deviceId === undefined ? null : hashToken(input.deviceId);
	const token = newToken();
	const outcome = store.transaction(() => {
		const invite = checkInvite(store.accounts.invite(roundId, input.code));
		const known = deviceHash === null ? undefined : store.accounts.deviceMember(roundId, deviceHash);
		const previous = known === undefined ? undefined : store.accounts.member(roundId, known);
		if (previous && !previous.active) throw revoked();
		if (previous) {
			store.accounts.replaceToken(roundId, previous.id, hashToken(token));
			return { memberId: previous.id, rejoined: true };
		}
		const members = store.accounts.members(roundId);
		if (nameIsTaken(name, members.filter((m) => !m.active).map((m) => m.name))) {
			throw revoked('A facilitator removed the member with this name from this round; if that was not you, choose another name.');
		}
		if (nameIsTaken(name, members.map((m) => m.name))) {
			throw new HttpError(409, 'name_taken', 'Someone in this round already has this name; choose another one.');
		}
		const memberId = randomId();
		store.accounts.useInvite(invite.code);
		store.accounts.addMember({ roundId, id: memberId, name, role: invite.role }, hashToken(token), Date.now());
		if (deviceHash !== null) store.accounts.bindDevice(roundId, deviceHash, memberId);
		return { memberId, rejoined: false };
	});
	if (!outcome.rejoined) {
		sequencer.submitSystem(roundId, { type: 'join', memberId: outcome.memberId as MemberId });
		sequencer.flush();
	}
	return { ...outcome, token };
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
