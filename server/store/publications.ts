// Public transparency pages (DESIGN §13): a round's public link, its revocation, and who did each.
import type { Database } from 'better-sqlite3';

export interface PublicationRow {
	token: string;
	roundId: string;
	createdAt: number;
	createdBy: string;
	revokedAt: number | null;
	revokedBy: string | null;
}

/** A row as both databases answer it (times as numbers). */
export interface RawPublication {
	token: string;
	round_id: string;
	created_at: number;
	created_by: string;
	revoked_at: number | null;
	revoked_by: string | null;
}

export const publicationRow = (raw: RawPublication): PublicationRow => ({
	token: raw.token,
	roundId: raw.round_id,
	createdAt: raw.created_at,
	createdBy: raw.created_by,
	revokedAt: raw.revoked_at,
	revokedBy: raw.revoked_by
});

export class Publications {
	private readonly q;

	constructor(db: Database) {
		this.q = {
			byToken: db.prepare<[string], RawPublication>('SELECT * FROM publications WHERE token = ?'),
			live: db.prepare<[string], RawPublication>('SELECT * FROM publications WHERE round_id = ? AND revoked_at IS NULL'),
			insert: db.prepare('INSERT INTO publications (token, round_id, created_at, created_by) VALUES (?, ?, ?, ?)'),
			revoke: db.prepare('UPDATE publications SET revoked_at = ?, revoked_by = ? WHERE round_id = ? AND revoked_at IS NULL')
		};
	}

	byToken(token: string): PublicationRow | undefined {
		const raw = this.q.byToken.get(token);
		return raw && publicationRow(raw);
	}

	/** The round's live link, if it has one. */
	live(roundId: string): PublicationRow | undefined {
		const raw = this.q.live.get(roundId);
		return raw && publicationRow(raw);
	}

	publish(roundId: string, token: string, memberId: string, at: number): PublicationRow {
		this.q.insert.run(token, roundId, at, memberId);
		return { token, roundId, createdAt: at, createdBy: memberId, revokedAt: null, revokedBy: null };
	}

	/** Revokes the live link; false when there was none. */
	revoke(roundId: string, memberId: string, at: number): boolean {
		return this.q.revoke.run(at, memberId, roundId).changes > 0;
	}
}
