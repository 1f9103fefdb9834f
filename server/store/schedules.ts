// The rounds' scheduled transitions (PROTOCOL §12): rewritten with each `schedule` ledger entry,
// in the same transaction; a transition is pending until its command id is in `commands`.
import type { Database } from 'better-sqlite3';
import { transitionId } from '../../src/lib/domain/schedule.js';
import { TRANSITIONS, type Schedule, type Transition } from '../../src/lib/domain/types.js';

export interface Scheduled {
	roundId: string;
	transition: Transition;
	due: number;
	commandId: string;
}

export class Schedules {
	private readonly q;

	constructor(db: Database) {
		this.q = {
			clear: db.prepare('DELETE FROM schedules WHERE round_id = ?'),
			insert: db.prepare('INSERT INTO schedules (round_id, transition, due, command_id) VALUES (?, ?, ?, ?)'),
			pending: db.prepare<[], { round_id: string; transition: Transition; due: number; command_id: string }>(
				`SELECT s.round_id, s.transition, s.due, s.command_id FROM schedules s
				 WHERE NOT EXISTS (SELECT 1 FROM commands c WHERE c.round_id = s.round_id AND c.id = s.command_id)
				 ORDER BY s.due, s.round_id, s.transition DESC`
			)
		};
	}

	/** The round's transitions are now those of `schedule`. Call inside the ledger's transaction. */
	replace(roundId: string, schedule: Schedule): void {
		this.q.clear.run(roundId);
		for (const transition of TRANSITIONS) {
			const due = schedule[transition];
			if (due !== null) this.q.insert.run(roundId, transition, due, transitionId(transition, due));
		}
	}

	/** Transitions not run yet, soonest first (at one instant, fundingOpens before fundingCloses). */
	pending(): Scheduled[] {
		return this.q.pending.all().map((row) => ({ roundId: row.round_id, transition: row.transition, due: row.due, commandId: row.command_id }));
	}
}
