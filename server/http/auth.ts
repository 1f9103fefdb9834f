// Bearer-token authentication for one round.
import type { IncomingMessage } from 'node:http';
import { hashToken } from '../secrets.js';
import type { MemberRow, Store } from '../store/index.js';
import { HttpError } from './respond.js';

export function requireRound(store: Store, roundId: string): { id: string; name: string } {
	const round = store.accounts.round(roundId);
	if (!round) throw new HttpError(404, 'unknown_round', 'There is no round with this id.');
	return round;
}

export function requireMember(store: Store, req: IncomingMessage, roundId: string): MemberRow {
	requireRound(store, roundId);
	const header = req.headers.authorization ?? '';
	const match = /^Bearer ([A-Za-z0-9_-]{10,128})$/.exec(header);
	const member = match && store.accounts.memberByToken(roundId, hashToken(match[1]!));
	if (!member) throw new HttpError(401, 'unauthorized', 'A valid member token of this round is required (Authorization: Bearer …).');
	return member;
}

export function requireFacilitator(store: Store, req: IncomingMessage, roundId: string): MemberRow {
	const member = requireMember(store, req, roundId);
	if (member.role !== 'facilitator') throw new HttpError(403, 'forbidden', 'Only a facilitator of this round may do this.');
	return member;
}
