// Bearer-token authentication. A token belongs to one member of one group (one token per device);
// it opens every round of the group the member is an active member of (PROTOCOL §Groups).
import type { IncomingMessage } from 'node:http';
import { hashToken } from '../secrets.js';
import type { GroupMemberRow, MemberRow, RoundRow, Store } from '../store/index.js';
import { HttpError } from './respond.js';

export async function requireRound(store: Store, roundId: string): Promise<RoundRow> {
	const round = await store.accounts.round(roundId);
	if (!round) throw new HttpError(404, 'unknown_round', 'There is no round with this id.');
	return round;
}

export async function requireGroup(store: Store, groupId: string): Promise<{ id: string; name: string }> {
	const group = await store.accounts.group(groupId);
	if (!group) throw new HttpError(404, 'unknown_group', 'There is no group with this id.');
	return group;
}

/** The hash of the request's bearer token, or undefined when it carries none that could be one. */
function bearerHash(req: IncomingMessage): string | undefined {
	const match = /^Bearer ([A-Za-z0-9_-]{10,128})$/.exec(req.headers.authorization ?? '');
	return match ? hashToken(match[1]!) : undefined;
}

export async function requireMember(store: Store, req: IncomingMessage, roundId: string): Promise<MemberRow> {
	await requireRound(store, roundId);
	const hash = bearerHash(req);
	const member = hash && (await store.accounts.memberByToken(roundId, hash));
	if (!member) throw new HttpError(401, 'unauthorized', 'A valid member token of this round is required (Authorization: Bearer …).');
	return member;
}

export async function requireFacilitator(store: Store, req: IncomingMessage, roundId: string): Promise<MemberRow> {
	const member = await requireMember(store, req, roundId);
	if (member.role !== 'facilitator') throw new HttpError(403, 'forbidden', 'Only a facilitator of this round may do this.');
	return member;
}

export async function requireGroupMember(store: Store, req: IncomingMessage, groupId: string): Promise<GroupMemberRow> {
	await requireGroup(store, groupId);
	const hash = bearerHash(req);
	const member = hash && (await store.accounts.groupMemberByToken(groupId, hash));
	if (!member) throw new HttpError(401, 'unauthorized', 'A valid member token of this group is required (Authorization: Bearer …).');
	return member;
}

export async function requireGroupFacilitator(store: Store, req: IncomingMessage, groupId: string): Promise<GroupMemberRow> {
	const member = await requireGroupMember(store, req, groupId);
	if (member.role !== 'facilitator') throw new HttpError(403, 'forbidden', 'Only a facilitator of this group may do this.');
	return member;
}
