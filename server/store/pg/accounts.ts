// Groups, rounds, members, tokens, device links, invites, bucket creators and clientID bindings
// in PostgreSQL: the same answers as the SQLite Accounts (../accounts.ts), method for method.
import type { Role } from '../../../src/lib/domain/types.js';
import { toRound, type GroupMemberRow, type InviteRow, type MemberRow, type RawRound, type RoundRow } from '../accounts.js';
import type { AccountsPort } from '../ports.js';
import type { Sql } from './sql.js';

interface RawMember {
	round_id: string;
	id: string;
	name: string;
	role: Role;
	active: boolean;
}

interface RawGroupMember {
	group_id: string;
	id: string;
	name: string;
	role: Role;
	active: boolean;
}

interface RawInvite {
	code: string;
	group_id: string;
	role: Role;
	uses: number | null;
	used: number;
	expires_at: number | null;
	disabled: boolean;
}

const toMember = (row: RawMember): MemberRow => ({ roundId: row.round_id, id: row.id, name: row.name, role: row.role, active: row.active });

const toGroupMember = (row: RawGroupMember): GroupMemberRow => ({
	groupId: row.group_id,
	id: row.id,
	name: row.name,
	role: row.role,
	active: row.active
});

const toInvite = (row: RawInvite): InviteRow => ({
	code: row.code,
	groupId: row.group_id,
	role: row.role,
	uses: row.uses,
	used: row.used,
	expiresAt: row.expires_at,
	disabled: row.disabled
});

const MEMBER = 'round_id, id, name, role, active';
const GROUP_MEMBER = 'group_id, id, name, role, active';
const INVITE = 'code, group_id, role, uses, used, expires_at, disabled';

export class PgAccounts implements AccountsPort {
	constructor(private readonly sql: Sql) {}

	async createGroup(id: string, name: string, at: number): Promise<void> {
		await this.sql.changes('INSERT INTO groups (id, name, created_at) VALUES ($1, $2, $3)', [id, name, at]);
	}

	group(id: string): Promise<{ id: string; name: string } | undefined> {
		return this.sql.row('SELECT id, name FROM groups WHERE id = $1', [id]);
	}

	async createRound(id: string, name: string, at: number, groupId: string): Promise<void> {
		await this.sql.changes('INSERT INTO rounds (id, name, created_at, group_id) VALUES ($1, $2, $3, $4)', [id, name, at, groupId]);
	}

	async round(id: string): Promise<RoundRow | undefined> {
		const row = await this.sql.row<RawRound>('SELECT id, name, group_id, created_at FROM rounds WHERE id = $1', [id]);
		return row && toRound(row);
	}

	/** The group's rounds, newest first (created in the same millisecond: the later one first). */
	async groupRounds(groupId: string): Promise<RoundRow[]> {
		const rows = await this.sql.rows<RawRound>(
			'SELECT id, name, group_id, created_at FROM rounds WHERE group_id = $1 ORDER BY created_at DESC, ordinal DESC',
			[groupId]
		);
		return rows.map(toRound);
	}

	async renameRound(id: string, name: string): Promise<void> {
		await this.sql.changes('UPDATE rounds SET name = $1 WHERE id = $2', [name, id]);
	}

	async addGroupMember(groupId: string, member: Omit<GroupMemberRow, 'groupId' | 'active'>, at: number): Promise<void> {
		await this.sql.changes('INSERT INTO group_members (group_id, id, name, role, active, joined_at) VALUES ($1, $2, $3, $4, TRUE, $5)', [
			groupId,
			member.id,
			member.name,
			member.role,
			at
		]);
	}

	async groupMember(groupId: string, memberId: string): Promise<GroupMemberRow | undefined> {
		const row = await this.sql.row<RawGroupMember>(`SELECT ${GROUP_MEMBER} FROM group_members WHERE group_id = $1 AND id = $2`, [
			groupId,
			memberId
		]);
		return row && toGroupMember(row);
	}

	async groupMembers(groupId: string): Promise<GroupMemberRow[]> {
		const rows = await this.sql.rows<RawGroupMember>(
			`SELECT ${GROUP_MEMBER} FROM group_members WHERE group_id = $1 ORDER BY joined_at, id COLLATE "C"`,
			[groupId]
		);
		return rows.map(toGroupMember);
	}

	async groupMemberByToken(groupId: string, tokenHash: string): Promise<GroupMemberRow | undefined> {
		const row = await this.sql.row<RawGroupMember>(
			`SELECT g.group_id, g.id, g.name, g.role, g.active FROM member_tokens t
			 JOIN group_members g ON g.group_id = t.group_id AND g.id = t.member_id
			 WHERE t.group_id = $1 AND t.hash = $2 AND g.active`,
			[groupId, tokenHash]
		);
		return row && toGroupMember(row);
	}

	/** Revokes a member of the group: inactive in the group and in each of its rounds, every token and device link gone. */
	revokeGroupMember(groupId: string, memberId: string): Promise<void> {
		return this.sql.atomic(async () => {
			await this.sql.changes('UPDATE group_members SET active = FALSE WHERE group_id = $1 AND id = $2', [groupId, memberId]);
			await this.sql.changes(
				'UPDATE members SET active = FALSE WHERE id = $1 AND round_id IN (SELECT id FROM rounds WHERE group_id = $2)',
				[memberId, groupId]
			);
			await this.revokeBoth(groupId, memberId);
		});
	}

	async activeGroupFacilitatorCount(groupId: string): Promise<number> {
		const row = await this.sql.row<{ n: number }>(
			"SELECT COUNT(*) AS n FROM group_members WHERE group_id = $1 AND role = 'facilitator' AND active",
			[groupId]
		);
		return row?.n ?? 0;
	}

	async addMember(member: Omit<MemberRow, 'active'>, at: number): Promise<void> {
		await this.sql.changes('INSERT INTO members (round_id, id, name, role, active, joined_at) VALUES ($1, $2, $3, $4, TRUE, $5)', [
			member.roundId,
			member.id,
			member.name,
			member.role,
			at
		]);
	}

	async member(roundId: string, memberId: string): Promise<MemberRow | undefined> {
		const row = await this.sql.row<RawMember>(`SELECT ${MEMBER} FROM members WHERE round_id = $1 AND id = $2`, [roundId, memberId]);
		return row && toMember(row);
	}

	async members(roundId: string): Promise<MemberRow[]> {
		const rows = await this.sql.rows<RawMember>(`SELECT ${MEMBER} FROM members WHERE round_id = $1 ORDER BY joined_at, id COLLATE "C"`, [
			roundId
		]);
		return rows.map(toMember);
	}

	async memberByToken(roundId: string, tokenHash: string): Promise<MemberRow | undefined> {
		const row = await this.sql.row<RawMember>(
			`SELECT m.round_id, m.id, m.name, m.role, m.active FROM rounds r
			 JOIN member_tokens t ON t.group_id = r.group_id
			 JOIN group_members g ON g.group_id = t.group_id AND g.id = t.member_id AND g.active
			 JOIN members m ON m.round_id = r.id AND m.id = t.member_id AND m.active
			 WHERE r.id = $1 AND t.hash = $2`,
			[roundId, tokenHash]
		);
		return row && toMember(row);
	}

	/** A device that had a token (same device hash) loses its old one. */
	addToken(groupId: string, memberId: string, tokenHash: string, deviceHash: string | null, at: number): Promise<void> {
		return this.sql.atomic(async () => {
			if (deviceHash !== null) {
				await this.sql.changes('DELETE FROM member_tokens WHERE group_id = $1 AND member_id = $2 AND device_hash = $3', [
					groupId,
					memberId,
					deviceHash
				]);
			}
			await this.sql.changes('INSERT INTO member_tokens (hash, group_id, member_id, device_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [
				tokenHash,
				groupId,
				memberId,
				deviceHash,
				at
			]);
		});
	}

	revokeAccess(groupId: string, memberId: string): Promise<void> {
		return this.sql.atomic(() => this.revokeBoth(groupId, memberId));
	}

	/** One pending link per member; expired links of anyone are dropped on the way. */
	addDeviceLink(groupId: string, memberId: string, secretHash: string, expiresAt: number, at: number): Promise<void> {
		return this.sql.atomic(async () => {
			await this.sql.changes('DELETE FROM device_links WHERE expires_at <= $1', [at]);
			await this.sql.changes('DELETE FROM device_links WHERE group_id = $1 AND member_id = $2', [groupId, memberId]);
			await this.sql.changes('INSERT INTO device_links (hash, group_id, member_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)', [
				secretHash,
				groupId,
				memberId,
				expiresAt,
				at
			]);
		});
	}

	/**
	 * Single use across processes: one DELETE … RETURNING, so that of two requests with the same
	 * secret exactly one gets the row (a SELECT then DELETE would let both read it first).
	 */
	async takeDeviceLink(groupId: string, secretHash: string, now: number): Promise<string | 'expired' | undefined> {
		const row = await this.sql.row<{ member_id: string; expires_at: number }>(
			'DELETE FROM device_links WHERE group_id = $1 AND hash = $2 RETURNING member_id, expires_at',
			[groupId, secretHash]
		);
		if (!row) return undefined;
		return row.expires_at <= now ? 'expired' : row.member_id;
	}

	async deviceMember(groupId: string, deviceHash: string): Promise<string | undefined> {
		const row = await this.sql.row<{ member_id: string }>('SELECT member_id FROM group_devices WHERE group_id = $1 AND device_hash = $2', [
			groupId,
			deviceHash
		]);
		return row?.member_id;
	}

	async bindDevice(groupId: string, deviceHash: string, memberId: string): Promise<void> {
		await this.sql.changes('INSERT INTO group_devices (group_id, device_hash, member_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
			groupId,
			deviceHash,
			memberId
		]);
	}

	async addInvite(invite: Omit<InviteRow, 'used' | 'disabled'>, at: number): Promise<void> {
		await this.sql.changes('INSERT INTO invites (code, group_id, role, uses, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
			invite.code,
			invite.groupId,
			invite.role,
			invite.uses,
			invite.expiresAt,
			at
		]);
	}

	async invite(groupId: string, code: string): Promise<InviteRow | undefined> {
		const row = await this.sql.row<RawInvite>(`SELECT ${INVITE} FROM invites WHERE group_id = $1 AND code = $2`, [groupId, code]);
		return row && toInvite(row);
	}

	async invites(groupId: string): Promise<InviteRow[]> {
		const rows = await this.sql.rows<RawInvite>(`SELECT ${INVITE} FROM invites WHERE group_id = $1 ORDER BY created_at, ordinal`, [
			groupId
		]);
		return rows.map(toInvite);
	}

	async useInvite(code: string): Promise<void> {
		await this.sql.changes('UPDATE invites SET used = used + 1 WHERE code = $1', [code]);
	}

	async setInviteDisabled(groupId: string, code: string, disabled: boolean): Promise<boolean> {
		return (await this.sql.changes('UPDATE invites SET disabled = $1 WHERE group_id = $2 AND code = $3', [disabled, groupId, code])) === 1;
	}

	async deleteInvite(groupId: string, code: string): Promise<boolean> {
		return (await this.sql.changes('DELETE FROM invites WHERE group_id = $1 AND code = $2', [groupId, code])) === 1;
	}

	async bucketCreator(roundId: string, bucketId: string): Promise<string | undefined> {
		const row = await this.sql.row<{ member_id: string }>('SELECT member_id FROM bucket_creators WHERE round_id = $1 AND bucket_id = $2', [
			roundId,
			bucketId
		]);
		return row?.member_id;
	}

	async recordBucketCreator(roundId: string, bucketId: string, memberId: string): Promise<string> {
		const inserted = await this.sql.changes(
			'INSERT INTO bucket_creators (round_id, bucket_id, member_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
			[roundId, bucketId, memberId]
		);
		// A second statement, not a CTE: after waiting on another transaction's insert of the same key,
		// only a new snapshot sees the row it committed.
		return inserted === 1 ? memberId : (await this.bucketCreator(roundId, bucketId))!;
	}

	async bucketCreators(roundId: string): Promise<Map<string, string>> {
		const rows = await this.sql.rows<{ bucket_id: string; member_id: string }>(
			'SELECT bucket_id, member_id FROM bucket_creators WHERE round_id = $1',
			[roundId]
		);
		return new Map(rows.map((row) => [row.bucket_id, row.member_id]));
	}

	async clientOwner(roundId: string, clientId: number): Promise<string | undefined> {
		const row = await this.sql.row<{ member_id: string }>('SELECT member_id FROM client_ids WHERE round_id = $1 AND client_id = $2', [
			roundId,
			clientId
		]);
		return row?.member_id;
	}

	async bindClient(roundId: string, clientId: number, memberId: string): Promise<string> {
		const inserted = await this.sql.changes(
			'INSERT INTO client_ids (round_id, client_id, member_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
			[roundId, clientId, memberId]
		);
		return inserted === 1 ? memberId : (await this.clientOwner(roundId, clientId))!;
	}

	async clientOwners(roundId: string): Promise<Map<number, string>> {
		const rows = await this.sql.rows<{ client_id: number; member_id: string }>(
			'SELECT client_id, member_id FROM client_ids WHERE round_id = $1',
			[roundId]
		);
		return new Map(rows.map((row) => [row.client_id, row.member_id]));
	}

	private async revokeBoth(groupId: string, memberId: string): Promise<void> {
		await this.sql.changes('DELETE FROM member_tokens WHERE group_id = $1 AND member_id = $2', [groupId, memberId]);
		await this.sql.changes('DELETE FROM device_links WHERE group_id = $1 AND member_id = $2', [groupId, memberId]);
	}
}
