// The authoritative ledger and the table of processed command ids (each id is processed once, ever).
import type { Database } from 'better-sqlite3';
import type { LedgerEntry, Reason } from '../../src/lib/domain/types.js';

export interface CommandRow {
	id: string;
	memberId: string | null;
	type: string;
	ok: boolean;
	accepted: number | null;
	reason: Reason | null;
	seq: number | null;
}

interface RawCommand {
	id: string;
	member_id: string | null;
	type: string;
	ok: number;
	accepted: number | null;
	reason: Reason | null;
	seq: number | null;
}

export class Ledger {
	private readonly q;

	constructor(db: Database) {
		this.q = {
			entries: db.prepare<[string], { entry: string }>('SELECT entry FROM ledger WHERE round_id = ? ORDER BY seq'),
			entriesAfter: db.prepare<[string, number], { entry: string }>('SELECT entry FROM ledger WHERE round_id = ? AND seq > ? ORDER BY seq'),
			insertEntry: db.prepare('INSERT INTO ledger (round_id, seq, entry) VALUES (?, ?, ?)'),
			command: db.prepare<[string, string], RawCommand>('SELECT * FROM commands WHERE round_id = ? AND id = ?'),
			insertCommand: db.prepare(
				'INSERT INTO commands (round_id, id, member_id, type, ok, accepted, reason, seq, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'
			)
		};
	}

	entries(roundId: string): LedgerEntry[] {
		return this.q.entries.all(roundId).map((row) => JSON.parse(row.entry) as LedgerEntry);
	}

	entriesAfter(roundId: string, afterSeq: number): LedgerEntry[] {
		return this.q.entriesAfter.all(roundId, afterSeq).map((row) => JSON.parse(row.entry) as LedgerEntry);
	}

	append(roundId: string, entry: LedgerEntry): void {
		this.q.insertEntry.run(roundId, entry.seq, JSON.stringify(entry));
	}

	command(roundId: string, id: string): CommandRow | undefined {
		const row = this.q.command.get(roundId, id);
		return (
			row && {
				id: row.id,
				memberId: row.member_id,
				type: row.type,
				ok: row.ok === 1,
				accepted: row.accepted,
				reason: row.reason,
				seq: row.seq
			}
		);
	}

	commandsOf(roundId: string, ids: readonly string[]): Map<string, CommandRow> {
		const found = new Map<string, CommandRow>();
		for (const id of ids) {
			const row = this.command(roundId, id);
			if (row) found.set(id, row);
		}
		return found;
	}

	appendAll(roundId: string, entries: readonly LedgerEntry[]): void {
		for (const entry of entries) this.append(roundId, entry);
	}

	recordCommands(roundId: string, rows: readonly { row: CommandRow; at: number }[]): void {
		for (const { row, at } of rows) this.recordCommand(roundId, row, at);
	}

	recordCommand(roundId: string, row: CommandRow, at: number): void {
		this.q.insertCommand.run(roundId, row.id, row.memberId, row.type, row.ok ? 1 : 0, row.accepted, row.reason, row.seq, at);
	}
}
