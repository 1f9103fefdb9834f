// Rounds, members (with token hashes), invites, bucket creators and Yjs clientID bindings.
import type { Database } from 'better-sqlite3';
import type { Role } from '../../src/lib/domain/types.js';

export interface MemberRow {
	roundId: string;
	id: string;
	name: string;
	role: Role;
	active: boolean;
}

export interface InviteRow {
	code: string;
	roundId: string;
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

interface RawInvite {
	code: string;
	round_id: string;
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

const toInvite = (row: RawInvite): InviteRow => ({
	code: row.code,
	roundId: row.round_id,
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
			insertRound: db.prepare('INSERT INTO rounds (id, name, created_at) VALUES (?, ?, ?)'),
			round: db.prepare<[string], { id: string; name: string }>('SELECT id, name FROM rounds WHERE id = ?'),
			renameRound: db.prepare('UPDATE rounds SET name = ? WHERE id = ?'),
			insertMember: db.prepare(
				'INSERT INTO members (round_id, id, name, role, token_hash, active, joined_at) VALUES (?, ?, ?, ?, ?, 1, ?)'
			),
			member: db.prepare<[string, string], RawMember>('SELECT * FROM members WHERE round_id = ? AND id = ?'),
			members: db.prepare<[string], RawMember>('SELECT * FROM members WHERE round_id = ? ORDER BY joined_at, id'),
			byToken: db.prepare<[string, string], RawMember>(
				'SELECT * FROM members WHERE round_id = ? AND token_hash = ? AND active = 1'
			),
			deactivate: db.prepare('UPDATE members SET active = 0 WHERE round_id = ? AND id = ?'),
			activeFacilitators: db.prepare<[string], { n: number }>(
				"SELECT COUNT(*) AS n FROM members WHERE round_id = ? AND role = 'facilitator' AND active = 1"
			),
			insertInvite: db.prepare(
				'INSERT INTO invites (code, round_id, role, uses, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)'
			),
			invite: db.prepare<[string, string], RawInvite>('SELECT * FROM invites WHERE round_id = ? AND code = ?'),
			invites: db.prepare<[string], RawInvite>('SELECT * FROM invites WHERE round_id = ? ORDER BY created_at'),
			useInvite: db.prepare('UPDATE invites SET used = used + 1 WHERE code = ?'),
			disableInvite: db.prepare('UPDATE invites SET disabled = ? WHERE round_id = ? AND code = ?'),
			deleteInvite: db.prepare('DELETE FROM invites WHERE round_id = ? AND code = ?'),
			replaceToken: db.prepare('UPDATE members SET token_hash = ? WHERE round_id = ? AND id = ?'),
			deviceMember: db.prepare<[string, string], { member_id: string }>(
				'SELECT member_id FROM member_devices WHERE round_id = ? AND device_hash = ?'
			),
			bindDevice: db.prepare('INSERT OR IGNORE INTO member_devices (round_id, device_hash, member_id) VALUES (?, ?, ?)'),
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
			bindClient: db.prepare('INSERT OR IGNORE INTO client_ids (round_id, client_id, member_id) VALUES (?, ?, ?)')
		};
	}

	createRound(id: string, name: string, at: number): void {
		this.q.insertRound.run(id, name, at);
	}

	round(id: string): { id: string; name: string } | undefined {
		return this.q.round.get(id);
	}

	renameRound(id: string, name: string): void {
		this.q.renameRound.run(name, id);
	}

	addMember(member: Omit<MemberRow, 'active'>, tokenHash: string, at: number): void {
		this.q.insertMember.run(member.roundId, member.id, member.name, member.role, tokenHash, at);
	}

	member(roundId: string, memberId: string): MemberRow | undefined {
		const row = this.q.member.get(roundId, memberId);
		return row && toMember(row);
	}

	members(roundId: string): MemberRow[] {
		return this.q.members.all(roundId).map(toMember);
	}

	/** The active member of `roundId` holding the token with this hash. */
	memberByToken(roundId: string, tokenHash: string): MemberRow | undefined {
		const row = this.q.byToken.get(roundId, tokenHash);
		return row && toMember(row);
	}

	deactivate(roundId: string, memberId: string): void {
		this.q.deactivate.run(roundId, memberId);
	}

	activeFacilitatorCount(roundId: string): number {
		return this.q.activeFacilitators.get(roundId)?.n ?? 0;
	}

	/** Gives the member a new token; the old one stops working. */
	replaceToken(roundId: string, memberId: string, tokenHash: string): void {
		this.q.replaceToken.run(tokenHash, roundId, memberId);
	}

	/** The member who joined `roundId` from the device with this id hash. */
	deviceMember(roundId: string, deviceHash: string): string | undefined {
		return this.q.deviceMember.get(roundId, deviceHash)?.member_id;
	}

	bindDevice(roundId: string, deviceHash: string, memberId: string): void {
		this.q.bindDevice.run(roundId, deviceHash, memberId);
	}

	addInvite(invite: Omit<InviteRow, 'used' | 'disabled'>, at: number): void {
		this.q.insertInvite.run(invite.code, invite.roundId, invite.role, invite.uses, invite.expiresAt, at);
	}

	invite(roundId: string, code: string): InviteRow | undefined {
		const row = this.q.invite.get(roundId, code);
		return row && toInvite(row);
	}

	invites(roundId: string): InviteRow[] {
		return this.q.invites.all(roundId).map(toInvite);
	}

	useInvite(code: string): void {
		this.q.useInvite.run(code);
	}

	/** Whether the invite existed. */
	setInviteDisabled(roundId: string, code: string, disabled: boolean): boolean {
		return this.q.disableInvite.run(disabled ? 1 : 0, roundId, code).changes === 1;
	}

	/** Whether the invite existed. */
	deleteInvite(roundId: string, code: string): boolean {
		return this.q.deleteInvite.run(roundId, code).changes === 1;
	}

	bucketCreator(roundId: string, bucketId: string): string | undefined {
		return this.q.creator.get(roundId, bucketId)?.member_id;
	}

	recordBucketCreator(roundId: string, bucketId: string, memberId: string): void {
		this.q.insertCreator.run(roundId, bucketId, memberId);
	}

	bucketCreators(roundId: string): Map<string, string> {
		return new Map(this.q.creators.all(roundId).map((row) => [row.bucket_id, row.member_id]));
	}

	clientOwner(roundId: string, clientId: number): string | undefined {
		return this.q.clientOwner.get(roundId, clientId)?.member_id;
	}

	bindClient(roundId: string, clientId: number, memberId: string): void {
		this.q.bindClient.run(roundId, clientId, memberId);
	}

	transaction<T>(fn: () => T): T {
		return this.db.transaction(fn)();
	}
}
