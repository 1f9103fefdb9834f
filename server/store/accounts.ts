// Groups and their members, tokens (one per device), device links and invites; rounds and their
// members; bucket creators and Yjs clientID bindings (DESIGN §12, PROTOCOL §Groups).
import type { Database } from 'better-sqlite3';
import type { Role } from '../../src/lib/domain/types.js';

export interface MemberRow {
	roundId: string;
	id: string;
	name: string;
	role: Role;
	active: boolean;
}

export interface GroupMemberRow {
	groupId: string;
	id: string;
	name: string;
	role: Role;
	active: boolean;
}

export interface RoundRow {
	id: string;
	name: string;
	groupId: string;
	createdAt: number;
}

export interface InviteRow {
	code: string;
	groupId: string;
	role: Role;
	uses: number | null;
	used: number;
	expiresAt: number | null;
	/** A disabled invite admits nobody until a facilitator enables it again. */
	disabled: boolean;
}

interface RawMember {
	round_id: string;
	id: string;
	name: string;
	role: Role;
	active: number;
}

interface RawGroupMember {
	group_id: string;
	id: string;
	name: string;
	role: Role;
	active: number;
}

/** A rounds row as both databases answer it. */
export interface RawRound {
	id: string;
	name: string;
	group_id: string;
	created_at: number;
}

interface RawInvite {
	code: string;
	group_id: string;
	role: Role;
	uses: number | null;
	used: number;
	expires_at: number | null;
	disabled: number;
}

const toMember = (row: RawMember): MemberRow => ({
	roundId: row.round_id,
	id: row.id,
	name: row.name,
	role: row.role,
	active: row.active === 1
});

const toGroupMember = (row: RawGroupMember): GroupMemberRow => ({
	groupId: row.group_id,
	id: row.id,
	name: row.name,
	role: row.role,
	active: row.active === 1
});

export const toRound = (row: RawRound): RoundRow => ({ id: row.id, name: row.name, groupId: row.group_id, createdAt: row.created_at });

const toInvite = (row: RawInvite): InviteRow => ({
	code: row.code,
	groupId: row.group_id,
	role: row.role,
	uses: row.uses,
	used: row.used,
	expiresAt: row.expires_at,
	disabled: row.disabled === 1
});

export class Accounts {
	private readonly q;

	constructor(private readonly db: Database) {
		this.q = {
			insertGroup: db.prepare('INSERT INTO groups (id, name, created_at) VALUES (?, ?, ?)'),
			group: db.prepare<[string], { id: string; name: string }>('SELECT id, name FROM groups WHERE id = ?'),
			insertRound: db.prepare('INSERT INTO rounds (id, name, created_at, group_id) VALUES (?, ?, ?, ?)'),
			round: db.prepare<[string], RawRound>('SELECT id, name, group_id, created_at FROM rounds WHERE id = ?'),
			groupRounds: db.prepare<[string], RawRound>(
				'SELECT id, name, group_id, created_at FROM rounds WHERE group_id = ? ORDER BY created_at DESC, rowid DESC'
			),
			renameRound: db.prepare('UPDATE rounds SET name = ? WHERE id = ?'),
			insertGroupMember: db.prepare(
				'INSERT INTO group_members (group_id, id, name, role, active, joined_at) VALUES (?, ?, ?, ?, 1, ?)'
			),
			groupMember: db.prepare<[string, string], RawGroupMember>('SELECT * FROM group_members WHERE group_id = ? AND id = ?'),
			groupMembers: db.prepare<[string], RawGroupMember>('SELECT * FROM group_members WHERE group_id = ? ORDER BY joined_at, id'),
			groupMemberByToken: db.prepare<[string, string], RawGroupMember>(
				`SELECT g.* FROM member_tokens t JOIN group_members g ON g.group_id = t.group_id AND g.id = t.member_id
				 WHERE t.group_id = ? AND t.hash = ? AND g.active = 1`
			),
			deactivateGroupMember: db.prepare('UPDATE group_members SET active = 0 WHERE group_id = ? AND id = ?'),
			deactivateInRounds: db.prepare(
				'UPDATE members SET active = 0 WHERE id = ? AND round_id IN (SELECT id FROM rounds WHERE group_id = ?)'
			),
			activeGroupFacilitators: db.prepare<[string], { n: number }>(
				"SELECT COUNT(*) AS n FROM group_members WHERE group_id = ? AND role = 'facilitator' AND active = 1"
			),
			insertMember: db.prepare('INSERT INTO members (round_id, id, name, role, active, joined_at) VALUES (?, ?, ?, ?, 1, ?)'),
			member: db.prepare<[string, string], RawMember>('SELECT * FROM members WHERE round_id = ? AND id = ?'),
			members: db.prepare<[string], RawMember>('SELECT * FROM members WHERE round_id = ? ORDER BY joined_at, id'),
			byToken: db.prepare<[string, string], RawMember>(
				`SELECT m.* FROM rounds r
				 JOIN member_tokens t ON t.group_id = r.group_id
				 JOIN group_members g ON g.group_id = t.group_id AND g.id = t.member_id AND g.active = 1
				 JOIN members m ON m.round_id = r.id AND m.id = t.member_id AND m.active = 1
				 WHERE r.id = ? AND t.hash = ?`
			),
			insertToken: db.prepare(
				'INSERT INTO member_tokens (hash, group_id, member_id, device_hash, created_at) VALUES (?, ?, ?, ?, ?)'
			),
			deleteTokens: db.prepare('DELETE FROM member_tokens WHERE group_id = ? AND member_id = ?'),
			deleteDeviceTokens: db.prepare('DELETE FROM member_tokens WHERE group_id = ? AND member_id = ? AND device_hash = ?'),
			insertLink: db.prepare('INSERT INTO device_links (hash, group_id, member_id, expires_at, created_at) VALUES (?, ?, ?, ?, ?)'),
			link: db.prepare<[string, string], { member_id: string; expires_at: number }>(
				'SELECT member_id, expires_at FROM device_links WHERE group_id = ? AND hash = ?'
			),
			deleteLink: db.prepare('DELETE FROM device_links WHERE hash = ?'),
			deleteMemberLinks: db.prepare('DELETE FROM device_links WHERE group_id = ? AND member_id = ?'),
			deleteExpiredLinks: db.prepare('DELETE FROM device_links WHERE expires_at <= ?'),
			insertInvite: db.prepare(
				'INSERT INTO invites (code, group_id, role, uses, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)'
			),
			invite: db.prepare<[string, string], RawInvite>('SELECT * FROM invites WHERE group_id = ? AND code = ?'),
			invites: db.prepare<[string], RawInvite>('SELECT * FROM invites WHERE group_id = ? ORDER BY created_at'),
			useInvite: db.prepare('UPDATE invites SET used = used + 1 WHERE code = ?'),
			disableInvite: db.prepare('UPDATE invites SET disabled = ? WHERE group_id = ? AND code = ?'),
			deleteInvite: db.prepare('DELETE FROM invites WHERE group_id = ? AND code = ?'),
			deviceMember: db.prepare<[string, string], { member_id: string }>(
				'SELECT member_id FROM group_devices WHERE group_id = ? AND device_hash = ?'
			),
			bindDevice: db.prepare('INSERT OR IGNORE INTO group_devices (group_id, device_hash, member_id) VALUES (?, ?, ?)'),
			creator: db.prepare<[string, string], { member_id: string }>(
				'SELECT member_id FROM bucket_creators WHERE round_id = ? AND bucket_id = ?'
			),
			insertCreator: db.prepare('INSERT OR IGNORE INTO bucket_creators (round_id, bucket_id, member_id) VALUES (?, ?, ?)'),
			creators: db.prepare<[string], { bucket_id: string; member_id: string }>(
				'SELECT bucket_id, member_id FROM bucket_creators WHERE round_id = ?'
			),
			clientOwner: db.prepare<[string, number], { member_id: string }>(
				'SELECT member_id FROM client_ids WHERE round_id = ? AND client_id = ?'
			),
			clientOwners: db.prepare<[string], { client_id: number; member_id: string }>(
				'SELECT client_id, member_id FROM client_ids WHERE round_id = ?'
			),
			bindClient: db.prepare('INSERT OR IGNORE INTO client_ids (round_id, client_id, member_id) VALUES (?, ?, ?)')
		};
	}

	createGroup(id: string, name: string, at: number): void {
		this.q.insertGroup.run(id, name, at);
	}

	group(id: string): { id: string; name: string } | undefined {
		return this.q.group.get(id);
	}

	createRound(id: string, name: string, at: number, groupId: string): void {
		this.q.insertRound.run(id, name, at, groupId);
	}

	round(id: string): RoundRow | undefined {
		const row = this.q.round.get(id);
		return row && toRound(row);
	}

	/** The group's rounds, newest first. */
	groupRounds(groupId: string): RoundRow[] {
		return this.q.groupRounds.all(groupId).map(toRound);
	}

	renameRound(id: string, name: string): void {
		this.q.renameRound.run(name, id);
	}

	addGroupMember(groupId: string, member: Omit<GroupMemberRow, 'groupId' | 'active'>, at: number): void {
		this.q.insertGroupMember.run(groupId, member.id, member.name, member.role, at);
	}

	groupMember(groupId: string, memberId: string): GroupMemberRow | undefined {
		const row = this.q.groupMember.get(groupId, memberId);
		return row && toGroupMember(row);
	}

	groupMembers(groupId: string): GroupMemberRow[] {
		return this.q.groupMembers.all(groupId).map(toGroupMember);
	}

	/** The active member of the group holding the token with this hash. */
	groupMemberByToken(groupId: string, tokenHash: string): GroupMemberRow | undefined {
		const row = this.q.groupMemberByToken.get(groupId, tokenHash);
		return row && toGroupMember(row);
	}

	/** Revokes a member of the group: inactive in the group and in each of its rounds, every token and device link gone. */
	revokeGroupMember(groupId: string, memberId: string): void {
		this.q.deactivateGroupMember.run(groupId, memberId);
		this.q.deactivateInRounds.run(memberId, groupId);
		this.revokeAccess(groupId, memberId);
	}

	activeGroupFacilitatorCount(groupId: string): number {
		return this.q.activeGroupFacilitators.get(groupId)?.n ?? 0;
	}

	/** A round membership (the person is a member of the round's group). */
	addMember(member: Omit<MemberRow, 'active'>, at: number): void {
		this.q.insertMember.run(member.roundId, member.id, member.name, member.role, at);
	}

	member(roundId: string, memberId: string): MemberRow | undefined {
		const row = this.q.member.get(roundId, memberId);
		return row && toMember(row);
	}

	members(roundId: string): MemberRow[] {
		return this.q.members.all(roundId).map(toMember);
	}

	/** The active member of `roundId` holding a token of the round's group with this hash. */
	memberByToken(roundId: string, tokenHash: string): MemberRow | undefined {
		const row = this.q.byToken.get(roundId, tokenHash);
		return row && toMember(row);
	}

	/**
	 * Gives a device a token. A device that had one (same device hash) loses its old one: a browser
	 * that joins again holds one token, not two.
	 */
	addToken(groupId: string, memberId: string, tokenHash: string, deviceHash: string | null, at: number): void {
		if (deviceHash !== null) this.q.deleteDeviceTokens.run(groupId, memberId, deviceHash);
		this.q.insertToken.run(tokenHash, groupId, memberId, deviceHash, at);
	}

	/** Every token and pending device link of the member stops working. */
	revokeAccess(groupId: string, memberId: string): void {
		this.q.deleteTokens.run(groupId, memberId);
		this.q.deleteMemberLinks.run(groupId, memberId);
	}

	/**
	 * A member has at most one pending device link: a new one replaces the one before (which stops
	 * working), and expired links of anyone are dropped, so the table stays as small as the group.
	 */
	addDeviceLink(groupId: string, memberId: string, secretHash: string, expiresAt: number, at: number): void {
		this.q.deleteExpiredLinks.run(at);
		this.q.deleteMemberLinks.run(groupId, memberId);
		this.q.insertLink.run(secretHash, groupId, memberId, expiresAt, at);
	}

	/**
	 * Uses a device link: it is deleted whatever it held (single use). The member it was for, or
	 * undefined when there is no such link, or 'expired'.
	 */
	takeDeviceLink(groupId: string, secretHash: string, now: number): string | 'expired' | undefined {
		const row = this.q.link.get(groupId, secretHash);
		if (!row) return undefined;
		this.q.deleteLink.run(secretHash);
		return row.expires_at <= now ? 'expired' : row.member_id;
	}

	/** The member who joined the group from the device with this id hash. */
	deviceMember(groupId: string, deviceHash: string): string | undefined {
		return this.q.deviceMember.get(groupId, deviceHash)?.member_id;
	}

	bindDevice(groupId: string, deviceHash: string, memberId: string): void {
		this.q.bindDevice.run(groupId, deviceHash, memberId);
	}

	addInvite(invite: Omit<InviteRow, 'used' | 'disabled'>, at: number): void {
		this.q.insertInvite.run(invite.code, invite.groupId, invite.role, invite.uses, invite.expiresAt, at);
	}

	invite(groupId: string, code: string): InviteRow | undefined {
		const row = this.q.invite.get(groupId, code);
		return row && toInvite(row);
	}

	invites(groupId: string): InviteRow[] {
		return this.q.invites.all(groupId).map(toInvite);
	}

	useInvite(code: string): void {
		this.q.useInvite.run(code);
	}

	/** Whether the invite existed. */
	setInviteDisabled(groupId: string, code: string, disabled: boolean): boolean {
		return this.q.disableInvite.run(disabled ? 1 : 0, groupId, code).changes === 1;
	}

	/** Whether the invite existed. */
	deleteInvite(groupId: string, code: string): boolean {
		return this.q.deleteInvite.run(groupId, code).changes === 1;
	}

	bucketCreator(roundId: string, bucketId: string): string | undefined {
		return this.q.creator.get(roundId, bucketId)?.member_id;
	}

	/** Records the bucket's creator unless it has one; returns the creator it has now (another member's, if it had one). */
	recordBucketCreator(roundId: string, bucketId: string, memberId: string): string {
		if (this.q.insertCreator.run(roundId, bucketId, memberId).changes === 1) return memberId;
		return this.bucketCreator(roundId, bucketId)!;
	}

	bucketCreators(roundId: string): Map<string, string> {
		return new Map(this.q.creators.all(roundId).map((row) => [row.bucket_id, row.member_id]));
	}

	clientOwner(roundId: string, clientId: number): string | undefined {
		return this.q.clientOwner.get(roundId, clientId)?.member_id;
	}

	/** Binds the clientID to the member unless it is bound; returns the member it is bound to now. */
	bindClient(roundId: string, clientId: number, memberId: string): string {
		if (this.q.bindClient.run(roundId, clientId, memberId).changes === 1) return memberId;
		return this.clientOwner(roundId, clientId)!;
	}

	/** Every clientID binding of the round (a runtime loads them once; the guard reads them synchronously). */
	clientOwners(roundId: string): Map<number, string> {
		return new Map(this.q.clientOwners.all(roundId).map((row) => [row.client_id, row.member_id]));
	}
}
