// Rounds and their invites, joining and revocation (DESIGN §5). A round belongs to a group (a
// round created here founds a group of its own); joining, invites and revocation are the group's
// (server/http/groups.ts), reached from the round for the links and pages that know only the round.
import type { IncomingMessage } from 'node:http';
import { MEMBER_NAME_MAX, ROUND_NAME_MAX } from '../../src/lib/domain/names.js';
import { parseCreateRoundBody, parseInviteChangeBody } from '../../src/lib/domain/schemas.js';
import type { MemberId, RoundSettings } from '../../src/lib/domain/types.js';
import { newToken, randomId } from '../secrets.js';
import type { InviteRow } from '../store/index.js';
import { requireFacilitator, requireMember, requireRound } from './auth.js';
import { addInvite, foundGroup, joinGroup, parsed, revokeGroupMember, unknownInvite, validName, type GroupsDeps } from './groups.js';

export type RoundsDeps = GroupsDeps;

const inviteUrl = (publicUrl: string, roundId: string, code: string): string => `${publicUrl}/join#${roundId}.${code}`;

const inviteView = (publicUrl: string, roundId: string) => (invite: InviteRow) => ({
	code: invite.code,
	role: invite.role,
	uses: invite.uses,
	used: invite.used,
	expiresAt: invite.expiresAt,
	disabled: invite.disabled,
	url: inviteUrl(publicUrl, roundId, invite.code)
});

export async function createRound(deps: RoundsDeps, body: unknown) {
	const { store, sequencer } = deps;
	const parsedBody = parsed(parseCreateRoundBody(body));
	const input = {
		...parsedBody,
		name: validName('name', parsedBody.name, ROUND_NAME_MAX),
		facilitatorName: validName('facilitatorName', parsedBody.facilitatorName, MEMBER_NAME_MAX)
	};
	const roundId = randomId();
	const memberId = randomId();
	const token = newToken();
	await store.transaction(() => foundGroup(deps, roundId, input.name, { id: memberId, name: input.facilitatorName }, token));
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
	await sequencer.flush();
	return { roundId, groupId: roundId, memberId, token };
}

export async function me({ store }: RoundsDeps, req: IncomingMessage, roundId: string) {
	const member = await requireMember(store, req, roundId);
	const round = await requireRound(store, roundId);
	return { roundId, groupId: round.groupId, memberId: member.id, name: member.name, role: member.role, roundName: round.name };
}

export async function createInvite({ store, publicUrl }: RoundsDeps, req: IncomingMessage, roundId: string, body: unknown) {
	await requireFacilitator(store, req, roundId);
	return addInvite(store, (await requireRound(store, roundId)).groupId, body, (code) => inviteUrl(publicUrl, roundId, code));
}

export async function listInvites({ store, publicUrl }: RoundsDeps, req: IncomingMessage, roundId: string) {
	await requireFacilitator(store, req, roundId);
	const invites = await store.accounts.invites((await requireRound(store, roundId)).groupId);
	return invites.map(inviteView(publicUrl, roundId));
}

export async function changeInvite({ store, publicUrl }: RoundsDeps, req: IncomingMessage, roundId: string, code: string, body: unknown) {
	await requireFacilitator(store, req, roundId);
	const { disabled } = parsed(parseInviteChangeBody(body));
	const { groupId } = await requireRound(store, roundId);
	// One transaction: an invite deleted between the change and the read would otherwise be read as missing.
	const invite = await store.transaction(async () => {
		if (!(await store.accounts.setInviteDisabled(groupId, code, disabled))) throw unknownInvite();
		return (await store.accounts.invite(groupId, code))!;
	});
	return inviteView(publicUrl, roundId)(invite);
}

export async function deleteInvite({ store }: RoundsDeps, req: IncomingMessage, roundId: string, code: string) {
	await requireFacilitator(store, req, roundId);
	if (!(await store.accounts.deleteInvite((await requireRound(store, roundId)).groupId, code))) throw unknownInvite();
	return { code, deleted: true };
}

/** Joins the round's group (and so the round) with an invite of the group: see joinGroup. */
export async function join(deps: RoundsDeps, roundId: string, body: unknown) {
	return joinGroup(deps, (await requireRound(deps.store, roundId)).groupId, body);
}

/** Revokes a member from the round's group: out of this round and every other round of the group. */
export async function revoke(deps: RoundsDeps, req: IncomingMessage, roundId: string, memberId: string) {
	await requireFacilitator(deps.store, req, roundId);
	return revokeGroupMember(deps, req, (await requireRound(deps.store, roundId)).groupId, memberId);
}
