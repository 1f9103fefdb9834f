// Groups (DESIGN §12, PROTOCOL §11): a group has members and facilitators and runs rounds.
// Joining the group once gives a token for all its rounds; a member opens their access on another
// device with a one-time device link; a facilitator re-issues a member's access or revokes them
// from every round of the group.
import type { IncomingMessage } from 'node:http';
import { carryOver } from '../../src/lib/domain/carry-over.js';
import { MEMBER_NAME_MAX, nameIsTaken, nameProblemMessage, normalizeName, ROUND_NAME_MAX } from '../../src/lib/domain/names.js';
import {
	parseCreateGroupRoundBody,
	parseCreateInviteBody,
	parseJoinBody,
	parseRedeemDeviceLinkBody,
	type Parsed
} from '../../src/lib/domain/schemas.js';
import type { MemberId, Role } from '../../src/lib/domain/types.js';
import type { Sequencer } from '../sequencer/index.js';
import { hashToken, newToken, randomId } from '../secrets.js';
import type { InviteRow, Store } from '../store/index.js';
import { CLOSE, type Rooms, type SyncServer } from '../sync/index.js';
import { requireGroup, requireGroupFacilitator, requireGroupMember } from './auth.js';
import { HttpError } from './respond.js';

export interface GroupsDeps {
	store: Store;
	sequencer: Sequencer;
	sync: SyncServer;
	rooms: Rooms;
	/** PUBLIC_URL (invite and device links are absolute from it), or '' for paths the app completes. */
	publicUrl: string;
	/** How long a device link can be used (default 10 minutes). */
	deviceLinkTtlMs: number;
}

export const DEVICE_LINK_TTL_MS = 10 * 60_000;

export function parsed<T>(result: Parsed<T>): T {
	if (!result.ok) throw new HttpError(400, 'invalid', result.error.message);
	return result.value;
}

/** A name as names.ts decides it, or 400 `invalid_name` saying which rule it breaks. */
export function validName(field: string, raw: string, max: number): string {
	const result = normalizeName(raw, max);
	if (!result.ok) throw new HttpError(400, 'invalid_name', `${field}: ${nameProblemMessage(result.problem, max)}`);
	return result.name;
}

export const groupInviteUrl = (publicUrl: string, groupId: string, code: string): string => `${publicUrl}/join#group.${groupId}.${code}`;
const deviceLinkUrl = (publicUrl: string, groupId: string, secret: string): string => `${publicUrl}/join#device.${groupId}.${secret}`;

export const unknownInvite = () => new HttpError(404, 'unknown_invite', 'This invite code does not exist for this group.');
const revoked = (message = 'A facilitator removed you from this group; you cannot join it again with a link.') =>
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

/** Makes the person a member of the group and of each of its rounds (each join is a ledger entry). Inside a transaction. */
async function admit(
	{ store, sequencer }: GroupsDeps,
	groupId: string,
	member: { id: string; name: string; role: Role },
	at: number
): Promise<void> {
	await store.accounts.addGroupMember(groupId, member, at);
	for (const round of await store.accounts.groupRounds(groupId)) {
		await store.accounts.addMember({ roundId: round.id, ...member }, at);
		sequencer.submitSystem(round.id, { type: 'join', memberId: member.id as MemberId });
	}
}

/** Creates a group with its first round and the facilitator who created it (POST /api/rounds). Inside a transaction. */
export async function foundGroup(
	deps: GroupsDeps,
	roundId: string,
	name: string,
	facilitator: { id: string; name: string },
	token: string
): Promise<void> {
	const { store } = deps;
	const now = Date.now();
	await store.accounts.createGroup(roundId, name, now);
	await store.accounts.createRound(roundId, name, now, roundId);
	await store.accounts.addGroupMember(roundId, { ...facilitator, role: 'facilitator' }, now);
	await store.accounts.addMember({ roundId, ...facilitator, role: 'facilitator' }, now);
	await store.accounts.addToken(roundId, facilitator.id, hashToken(token), null, now);
}

/**
 * Joins a group with one of its invites. A device that already joined the group gets its
 * membership back with a new token (no second member, no second allocation, no use of the
 * invite); a device or a name of a revoked member is refused; a name that reads as an existing
 * member's is refused with `name_taken` ("is this you?"): nothing is created.
 */
export async function joinGroup(deps: GroupsDeps, groupId: string, body: unknown) {
	const { store, sequencer } = deps;
	await requireGroup(store, groupId);
	const input = parsed(parseJoinBody(body));
	const name = validName('name', input.name, MEMBER_NAME_MAX);
	const deviceHash = input.deviceId === undefined ? null : hashToken(input.deviceId);
	const token = newToken();
	// Every check and the writes it allows are one transaction: the invite's uses counted then
	// spent, the name found free then taken. SQLite runs one transaction at a time; a database that
	// runs them side by side must lock the invite's row as it reads it (FOR UPDATE) and serialize
	// the joins of one group (the group's row, FOR UPDATE) so that two joins cannot both find the
	// last use or one name free.
	const outcome = await store.transaction(async () => {
		const invite = checkInvite(await store.accounts.invite(groupId, input.code));
		const known = deviceHash === null ? undefined : await store.accounts.deviceMember(groupId, deviceHash);
		const previous = known === undefined ? undefined : await store.accounts.groupMember(groupId, known);
		const now = Date.now();
		if (previous && !previous.active) throw revoked();
		if (previous) {
			await store.accounts.addToken(groupId, previous.id, hashToken(token), deviceHash, now);
			return { memberId: previous.id, rejoined: true };
		}
		const members = await store.accounts.groupMembers(groupId);
		if (nameIsTaken(name, members.filter((m) => !m.active).map((m) => m.name))) {
			throw revoked('A facilitator removed the member with this name from this group; if that was not you, choose another name.');
		}
		if (nameIsTaken(name, members.map((m) => m.name))) {
			throw new HttpError(
				409,
				'name_taken',
				'Someone in this group already has this name. If it is you, open your access from your other device or ask a facilitator; otherwise choose another name.'
			);
		}
		const memberId = randomId();
		await store.accounts.useInvite(invite.code);
		await admit(deps, groupId, { id: memberId, name, role: invite.role }, now);
		await store.accounts.addToken(groupId, memberId, hashToken(token), deviceHash, now);
		if (deviceHash !== null) await store.accounts.bindDevice(groupId, deviceHash, memberId);
		return { memberId, rejoined: false };
	});
	await sequencer.flush();
	return { ...outcome, groupId, token };
}

/**
 * GET /api/groups/:gid: the group, who asks, its currency (its latest round's), and its rounds
 * (newest first) with their phase and whether the member is in each.
 */
export async function groupView({ store, sequencer }: GroupsDeps, req: IncomingMessage, groupId: string) {
	const member = await requireGroupMember(store, req, groupId);
	const group = await requireGroup(store, groupId);
	// One round after the other: a group's first view may load every round's state.
	const rounds = [];
	let currency = '';
	for (const round of await store.accounts.groupRounds(groupId)) {
		const { settings } = (await sequencer.runtime(round.id)).state;
		if (rounds.length === 0) currency = settings.currency;
		rounds.push({
			roundId: round.id,
			name: round.name,
			createdAt: round.createdAt,
			phase: settings.phase,
			member: (await store.accounts.member(round.id, member.id))?.active === true
		});
	}
	return { groupId, name: group.name, memberId: member.id, memberName: member.name, role: member.role, currency, rounds };
}

/**
 * POST /api/groups/:gid/rounds: a new round of the group with its active members, each joining
 * through the ledger (the round's allocation); settings carried over from the latest round.
 */
export async function createGroupRound(deps: GroupsDeps, req: IncomingMessage, groupId: string, body: unknown) {
	const { store, sequencer } = deps;
	await requireGroupFacilitator(store, req, groupId);
	const input = parsed(parseCreateGroupRoundBody(body));
	const name = validName('name', input.name, ROUND_NAME_MAX);
	const latest = (await store.accounts.groupRounds(groupId))[0];
	if (!latest) throw new HttpError(409, 'no_previous_round', 'This group has no round to take the currency from.');
	const { settings } = carryOver((await sequencer.runtime(latest.id)).state, {
		name,
		copySettings: input.copySettings ?? false,
		...(input.defaultAllocation !== undefined && { defaultAllocation: input.defaultAllocation })
	});
	const roundId = randomId();
	// The members are read, and the round's opening and joins submitted, in the transaction that
	// creates the round: a join of the group commits either before it (and is among the members)
	// or after it (and admits itself to the new round, its join submitted after the opening).
	const count = await store.transaction(async () => {
		const now = Date.now();
		const members = (await store.accounts.groupMembers(groupId)).filter((m) => m.active);
		await store.accounts.createRound(roundId, name, now, groupId);
		for (const m of members) await store.accounts.addMember({ roundId, id: m.id, name: m.name, role: m.role }, now);
		sequencer.submitSystem(roundId, { type: 'open', settings });
		for (const m of members) sequencer.submitSystem(roundId, { type: 'join', memberId: m.id as MemberId });
		return members.length;
	});
	await sequencer.flush();
	return { roundId, groupId, members: count };
}

/** Adds an invite to the group; `url` builds its link (a group link, or a round's for the round's admin page). */
export async function addInvite(store: Store, groupId: string, body: unknown, url: (code: string) => string) {
	const input = parsed(parseCreateInviteBody(body));
	const code = randomId();
	await store.accounts.addInvite(
		{ code, groupId, role: input.role ?? 'member', uses: input.uses ?? null, expiresAt: input.expiresAt ?? null },
		Date.now()
	);
	return { code, url: url(code) };
}

/** POST /api/groups/:gid/invites: an invite to the group (its link joins the group). */
export async function createGroupInvite({ store, publicUrl }: GroupsDeps, req: IncomingMessage, groupId: string, body: unknown) {
	await requireGroupFacilitator(store, req, groupId);
	return addInvite(store, groupId, body, (code) => groupInviteUrl(publicUrl, groupId, code));
}

/** GET /api/groups/:gid/members (facilitators): every member of the group, revoked ones too. */
export async function groupMembers({ store }: GroupsDeps, req: IncomingMessage, groupId: string) {
	await requireGroupFacilitator(store, req, groupId);
	return (await store.accounts.groupMembers(groupId)).map((m) => ({ memberId: m.id, name: m.name, role: m.role, active: m.active }));
}

async function requireTarget(store: Store, groupId: string, memberId: string) {
	const target = await store.accounts.groupMember(groupId, memberId);
	if (!target) throw new HttpError(404, 'unknown_member', 'There is no member with this id in the group.');
	return target;
}

/** Closes the member's live connections in every round of the group. */
async function disconnect({ store, sync }: GroupsDeps, groupId: string, memberId: string, reason: string): Promise<void> {
	for (const round of await store.accounts.groupRounds(groupId)) sync.closeMember(round.id, memberId, CLOSE.badToken, reason);
}

/** Revokes a member from the group and every one of its rounds: tokens and device links stop working at once. */
export async function revokeGroupMember(deps: GroupsDeps, req: IncomingMessage, groupId: string, memberId: string) {
	const { store, sequencer } = deps;
	// Who asks, whom, and how many facilitators remain are read in the transaction that revokes:
	// two facilitators revoking each other at once must leave one. A database that runs
	// transactions side by side must lock the group's active facilitators as it counts them (FOR
	// UPDATE) so that the second revocation counts after the first.
	await store.transaction(async () => {
		await requireGroupFacilitator(store, req, groupId);
		const target = await requireTarget(store, groupId, memberId);
		if (target.active && target.role === 'facilitator' && (await store.accounts.activeGroupFacilitatorCount(groupId)) <= 1) {
			throw new HttpError(409, 'last_facilitator', 'The last facilitator of a group cannot be revoked.');
		}
		await store.accounts.revokeGroupMember(groupId, memberId);
	});
	await disconnect(deps, groupId, memberId, 'token revoked');
	for (const round of await store.accounts.groupRounds(groupId)) await sequencer.memberChanged(round.id, memberId);
	return { memberId, active: false };
}

/** A new device link for the member (the secret is returned once and stored hashed). */
async function issueDeviceLink({ store, publicUrl, deviceLinkTtlMs }: GroupsDeps, groupId: string, memberId: string) {
	const secret = newToken();
	const now = Date.now();
	const expiresAt = now + deviceLinkTtlMs;
	await store.accounts.addDeviceLink(groupId, memberId, hashToken(secret), expiresAt, now);
	return { url: deviceLinkUrl(publicUrl, groupId, secret), expiresAt };
}

/** POST /api/groups/:gid/device-links: the member asks for a one-time link to open their access on another device. */
export async function createDeviceLink(deps: GroupsDeps, req: IncomingMessage, groupId: string) {
	const member = await requireGroupMember(deps.store, req, groupId);
	return issueDeviceLink(deps, groupId, member.id);
}

/**
 * POST /api/groups/:gid/members/:mid/access (facilitators): re-issues a member's access — every
 * token and device link of theirs stops working, and a new device link is returned for them. The
 * same member, the same money: nothing in any round changes.
 */
export async function reissueAccess(deps: GroupsDeps, req: IncomingMessage, groupId: string, memberId: string) {
	const { store } = deps;
	await requireGroupFacilitator(store, req, groupId);
	// The member is found active in the transaction that issues the link: a revocation in between
	// would otherwise be followed by a link for someone no longer in the group.
	const link = await store.transaction(async () => {
		const target = await requireTarget(store, groupId, memberId);
		if (!target.active) throw revoked('This member was removed from the group; their access cannot be re-issued.');
		await store.accounts.revokeAccess(groupId, memberId);
		return issueDeviceLink(deps, groupId, memberId);
	});
	await disconnect(deps, groupId, memberId, 'access re-issued');
	return { memberId, ...link };
}

/** POST /api/groups/:gid/device-links/redeem: a device link, used once and within its time, gives this device its own token. */
export async function redeemDeviceLink({ store }: GroupsDeps, groupId: string, body: unknown) {
	await requireGroup(store, groupId);
	const input = parsed(parseRedeemDeviceLinkBody(body));
	const deviceHash = input.deviceId === undefined ? null : hashToken(input.deviceId);
	const token = newToken();
	// takeDeviceLink reads and deletes the link in one call: two redemptions of one link cannot
	// both get it. A database that runs transactions side by side must read it FOR UPDATE (or
	// delete it RETURNING the row) for the same.
	const memberId = await store.transaction(async () => {
		const now = Date.now();
		const taken = await store.accounts.takeDeviceLink(groupId, hashToken(input.secret), now);
		if (taken === undefined) {
			throw new HttpError(404, 'unknown_device_link', 'This device link does not exist or has been used already; ask for a new one.');
		}
		if (taken === 'expired') throw new HttpError(403, 'device_link_expired', 'This device link has expired; ask for a new one.');
		const member = await store.accounts.groupMember(groupId, taken);
		if (!member?.active) throw revoked();
		await store.accounts.addToken(groupId, taken, hashToken(token), deviceHash, now);
		if (deviceHash !== null) await store.accounts.bindDevice(groupId, deviceHash, taken);
		return taken;
	});
	return { groupId, memberId, token };
}
