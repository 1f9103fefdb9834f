import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, emptyState, replay } from './reducer.js';
import { fromZonedInput, isTimeZone, timeLeft, toZonedInput, transitionId, upcoming } from './schedule.js';
import type { Actor, Amount, BucketId, Command, LedgerEntry, MemberId, RoundState, Schedule } from './types.js';

const F = 'facilitator-1' as MemberId;
const A = 'member-alice' as MemberId;
const BK = 'bucket-garden' as BucketId;
const SYSTEM: Actor = { kind: 'system' };
const FAC: Actor = { kind: 'member', memberId: F, role: 'facilitator' };
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 5, 1, 12);

/** A round in proposing with F and A, A's bucket with money goals, at T0. */
class Round {
	state: RoundState = emptyState();
	ledger: LedgerEntry[] = [];
	private n = 0;
	run(body: Record<string, unknown>, actor: Actor, at: number) {
		const command = { ...body, id: `command-${String(++this.n).padStart(4, '0')}`, at } as Command;
		return this.runCommand(command, actor, at);
	}
	runCommand(command: Command, actor: Actor, at: number) {
		const result = apply(this.state, command, actor, at);
		this.ledger.push(...result.entries);
		return result;
	}
	static start(): Round {
		const r = new Round();
		const settings = {
			name: 'Fête',
			currency: 'EUR',
			locale: 'fr-FR',
			phase: 'proposing',
			defaultAllocation: 10_000 as Amount,
			maxPerMemberPerBucket: null,
			transparency: 'named',
			requireApproval: false
		};
		r.run({ type: 'open', settings }, SYSTEM, T0);
		for (const memberId of [F, A]) r.run({ type: 'join', memberId }, SYSTEM, T0);
		r.run({ type: 'create', bucketId: BK, memberId: A }, SYSTEM, T0);
		r.run({ type: 'setGoals', bucketId: BK, minGoal: 3_000, maxGoal: 3_000 }, SYSTEM, T0);
		return r;
	}
	schedule(over: Partial<Schedule>, at = T0) {
		const schedule: Schedule = { zone: 'Europe/Paris', proposalsClose: null, fundingOpens: null, fundingCloses: null, ...over };
		return this.run({ type: 'schedule', schedule }, FAC, at);
	}
	advance(transition: 'fundingOpens' | 'fundingCloses', due: number, at: number) {
		return this.runCommand({ id: transitionId(transition, due), at, type: 'advance', transition, due }, SYSTEM, at);
	}
}

describe('§12 schedule: setting the dates', () => {
	it('§12 schedule: a facilitator sets the dates; the ledger entry carries them and a replay finds them', () => {
		const r = Round.start();
		const { outcome, entries } = r.schedule({ fundingOpens: T0 + HOUR, fundingCloses: T0 + 2 * HOUR });
		expect(outcome).toEqual({ ok: true });
		expect(entries).toMatchObject([{ type: 'schedule', schedule: { zone: 'Europe/Paris', fundingOpens: T0 + HOUR } }]);
		expect(replay(r.ledger).schedule).toEqual(r.state.schedule);
	});

	it('§12 schedule: only facilitators', () => {
		const r = Round.start();
		const schedule = { zone: 'UTC', proposalsClose: null, fundingOpens: T0 + HOUR, fundingCloses: null };
		const asMember = r.run({ type: 'schedule', schedule }, { kind: 'member', memberId: A, role: 'member' }, T0);
		expect(asMember.outcome).toEqual({ ok: false, reason: 'not_facilitator' });
	});

	it('§12 schedule: funding opens before it closes, proposals close no later than funding', () => {
		const r = Round.start();
		expect(r.schedule({ fundingOpens: T0 + 2 * HOUR, fundingCloses: T0 + HOUR }).outcome).toEqual({ ok: false, reason: 'schedule_order' });
		expect(r.schedule({ fundingOpens: T0 + HOUR, fundingCloses: T0 + HOUR }).outcome).toEqual({ ok: false, reason: 'schedule_order' });
		expect(r.schedule({ proposalsClose: T0 + 3 * HOUR, fundingCloses: T0 + 2 * HOUR }).outcome).toEqual({ ok: false, reason: 'schedule_order' });
		expect(r.schedule({ proposalsClose: T0 + 2 * HOUR, fundingOpens: T0 + HOUR, fundingCloses: T0 + 2 * HOUR }).outcome.ok).toBe(true);
	});

	it('§12 schedule: a changed date must be ahead of the sequencer’s clock; an unchanged past one may stay', () => {
		const r = Round.start();
		expect(r.schedule({ fundingCloses: T0 }).outcome).toEqual({ ok: false, reason: 'schedule_past' });
		expect(r.schedule({ fundingOpens: T0 + HOUR, fundingCloses: T0 + 5 * HOUR }).outcome.ok).toBe(true);
		// Two hours later, the passed fundingOpens is kept while fundingCloses moves.
		expect(r.schedule({ fundingOpens: T0 + HOUR, fundingCloses: T0 + 6 * HOUR }, T0 + 2 * HOUR).outcome.ok).toBe(true);
		expect(r.schedule({ fundingOpens: T0 + 90 * 60_000, fundingCloses: T0 + 6 * HOUR }, T0 + 2 * HOUR).outcome).toEqual({
			ok: false,
			reason: 'schedule_past'
		});
	});

	it('§12 schedule: an unknown zone, a float or a missing date is invalid (parsed, not trusted)', () => {
		const r = Round.start();
		expect(r.schedule({ zone: 'Mars/Olympus' }).outcome).toEqual({ ok: false, reason: 'invalid' });
		expect(r.schedule({ fundingOpens: T0 + 0.5 }).outcome).toEqual({ ok: false, reason: 'invalid' });
		const partial = { zone: 'UTC', fundingOpens: T0 + HOUR };
		expect(r.run({ type: 'schedule', schedule: partial }, FAC, T0).outcome).toEqual({ ok: false, reason: 'invalid' });
		expect(r.state.schedule).toBeNull();
	});

	it('§12 schedule: from proposalsClose on, a draft can no longer be published', () => {
		const r = Round.start();
		r.schedule({ proposalsClose: T0 + HOUR });
		const asA: Actor = { kind: 'member', memberId: A, role: 'member' };
		expect(r.run({ type: 'publish', bucketId: BK }, asA, T0 + HOUR).outcome).toEqual({ ok: false, reason: 'proposals_closed' });
		expect(r.run({ type: 'publish', bucketId: BK }, asA, T0 + HOUR - 1).outcome).toEqual({ ok: true });
	});
});

describe('§12 schedule: transitions (advance)', () => {
	it('§12 schedule: at its time, fundingOpens opens funding and fundingCloses closes and refunds', () => {
		const r = Round.start();
		r.schedule({ fundingOpens: T0 + HOUR, fundingCloses: T0 + 2 * HOUR });
		r.run({ type: 'publish', bucketId: BK }, { kind: 'member', memberId: A, role: 'member' }, T0);
		expect(r.advance('fundingOpens', T0 + HOUR, T0 + HOUR).entries).toMatchObject([{ type: 'phase', phase: 'funding' }]);
		r.run({ type: 'contribute', bucketId: BK, amount: 1_000 }, { kind: 'member', memberId: F, role: 'facilitator' }, T0 + HOUR);
		const closing = r.advance('fundingCloses', T0 + 2 * HOUR, T0 + 3 * HOUR);
		expect(closing.entries.map((e) => e.type)).toEqual(['phase', 'refund', 'status']);
		expect(closing.entries[0]).toMatchObject({ phase: 'closed', commandId: 'sched_fundingCloses_' + (T0 + 2 * HOUR) });
	});

	it('§12 schedule: never before its time, never twice, never for a date the schedule no longer holds', () => {
		const r = Round.start();
		r.schedule({ fundingOpens: T0 + HOUR });
		expect(r.advance('fundingOpens', T0 + HOUR, T0 + HOUR - 1).outcome).toEqual({ ok: false, reason: 'not_due' });
		expect(r.advance('fundingOpens', T0 + 2 * HOUR, T0 + 2 * HOUR).outcome).toEqual({ ok: false, reason: 'schedule_changed' });
		expect(r.advance('fundingOpens', T0 + HOUR, T0 + HOUR).outcome.ok).toBe(true);
		expect(r.advance('fundingOpens', T0 + HOUR, T0 + HOUR).outcome).toEqual({ ok: false, reason: 'duplicate' });
	});

	it('§12 schedule: a facilitator’s move first overrides it (funding opened by hand, round closed by hand)', () => {
		const r = Round.start();
		r.schedule({ fundingOpens: T0 + HOUR, fundingCloses: T0 + 2 * HOUR });
		r.run({ type: 'setPhase', phase: 'funding' }, FAC, T0 + 1);
		expect(r.advance('fundingOpens', T0 + HOUR, T0 + HOUR).outcome).toEqual({ ok: false, reason: 'wrong_phase' });
		r.run({ type: 'setPhase', phase: 'closed' }, FAC, T0 + HOUR + 1);
		expect(r.advance('fundingCloses', T0 + 2 * HOUR, T0 + 2 * HOUR).outcome).toEqual({ ok: false, reason: 'round_closed' });
		expect(r.state.settings.phase).toBe('closed');
	});

	it('§12 schedule: clearing a date cancels its transition', () => {
		const r = Round.start();
		r.schedule({ fundingCloses: T0 + HOUR });
		r.schedule({});
		expect(r.advance('fundingCloses', T0 + HOUR, T0 + HOUR).outcome).toEqual({ ok: false, reason: 'schedule_changed' });
	});

	it('§12 schedule: only the server issues advance', () => {
		const r = Round.start();
		r.schedule({ fundingOpens: T0 + HOUR });
		const command = { id: transitionId('fundingOpens', T0 + HOUR), at: T0 + HOUR, type: 'advance', transition: 'fundingOpens', due: T0 + HOUR } as Command;
		expect(r.runCommand(command, FAC, T0 + HOUR).outcome).toEqual({ ok: false, reason: 'invalid' });
	});
});

describe('§12 schedule: time left and time zones', () => {
	it('§12 schedule: upcoming dates, soonest first, without those the round has passed', () => {
		const s: Schedule = { zone: 'UTC', proposalsClose: T0 + 3 * HOUR, fundingOpens: T0 + HOUR, fundingCloses: T0 + 5 * HOUR };
		expect(upcoming(s, 'proposing', T0).map((u) => u.milestone)).toEqual(['fundingOpens', 'proposalsClose', 'fundingCloses']);
		expect(upcoming(s, 'funding', T0).map((u) => u.milestone)).toEqual(['proposalsClose', 'fundingCloses']);
		expect(upcoming(s, 'funding', T0 + 4 * HOUR).map((u) => u.milestone)).toEqual(['fundingCloses']);
		expect(upcoming(s, 'closed', T0)).toEqual([]);
		expect(upcoming(null, 'proposing', T0)).toEqual([]);
	});

	it('§12 schedule: time left in days, hours, minutes and seconds, rounded up, never negative', () => {
		expect(timeLeft(T0 + 2 * 86_400_000 + 3 * HOUR + 4 * 60_000 + 5_000, T0)).toEqual({ days: 2, hours: 3, minutes: 4, seconds: 5 });
		expect(timeLeft(T0 + 1, T0)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 1 });
		expect(timeLeft(T0, T0 + 1)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 0 });
	});

	it('§12 schedule: a time typed in the facilitator’s zone is that instant in UTC', () => {
		expect(fromZonedInput('2026-06-01T14:00', 'Europe/Paris')).toBe(T0);
		expect(fromZonedInput('2026-01-15T09:30', 'America/New_York')).toBe(Date.UTC(2026, 0, 15, 14, 30));
		expect(fromZonedInput('2026-06-01T21:00', 'Asia/Tokyo')).toBe(T0);
		expect(toZonedInput(T0, 'Europe/Paris')).toBe('2026-06-01T14:00');
		expect(fromZonedInput('2026-06-01T14:00:15', 'Europe/Paris')).toBe(T0 + 15_000);
		expect(toZonedInput(T0 + 15_000, 'Europe/Paris')).toBe('2026-06-01T14:00:15');
		expect(fromZonedInput('2026-06-01T10:61', 'UTC')).toBeNull();
		// The hour skipped when clocks go forward does not exist; the one repeated is its first time.
		expect(fromZonedInput('2026-03-29T02:30', 'Europe/Paris')).toBeNull();
		expect(fromZonedInput('2026-10-25T02:30', 'Europe/Paris')).toBe(Date.UTC(2026, 9, 25, 0, 30));
		expect(fromZonedInput('2026-02-30T10:00', 'UTC')).toBeNull();
		expect(fromZonedInput('2026-06-01 14:00', 'UTC')).toBeNull();
		expect(isTimeZone('Europe/Paris') && !isTimeZone('Mars/Olympus') && !isTimeZone('')).toBe(true);
	});

	it('§12 schedule: shown in a zone and typed back, every minute is the same instant (property)', () => {
		const zones = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 60 * 24 * 365 * 30 }), fc.constantFrom(...zones), (minutes, zone) => {
				const instant = Date.UTC(2010, 0, 1) + minutes * 60_000;
				const typed = toZonedInput(instant, zone);
				const back = fromZonedInput(typed, zone);
				// A repeated hour reads back as its first occurrence, which shows the same wall time.
				return back !== null && back <= instant && toZonedInput(back, zone) === typed;
			}),
			{ numRuns: 500 }
		);
	});
});
