// PROTOCOL §12 schedule: the server changes phases at the scheduled times as system commands
// through the sequencer, once ever, catching up after a restart. Time is a test clock: nothing
// here waits for a real minute.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { roomsAndSequencer } from '../../server/app.js';
import type { Log } from '../../server/log.js';
import { MAX_TIMER_MS, RETRY_MS, Scheduler, type Clock } from '../../server/sequencer/scheduler.js';
import { StoreUnavailable } from '../../server/store/errors.js';
import { openStore, type Store } from '../../server/store/index.js';
import { memberRoom } from '../../server/sync/index.js';
import type { Amount, LedgerEntry, MemberId } from '../../src/lib/domain/types.js';
import {
	createRound,
	memberClient,
	receiptOf,
	removeDir,
	roundClient,
	send,
	startTestServer,
	tempDir,
	waitFor,
	type Client,
	type Member,
	type TestServer
} from './helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A clock the test moves: timers fire, in order, only when it is advanced past them, and each
 * one's check is waited for before the next fires (so that what it arms is seen).
 */
class TestClock implements Clock {
	t = Date.UTC(2026, 5, 1, 12);
	readonly delays: number[] = [];
	private timers: { at: number; fn: () => void | Promise<void> }[] = [];
	now = (): number => this.t;
	after(ms: number, fn: () => void | Promise<void>): () => void {
		this.delays.push(ms);
		const timer = { at: this.t + ms, fn };
		this.timers.push(timer);
		return () => {
			this.timers = this.timers.filter((t) => t !== timer);
		};
	}
	async advance(ms: number): Promise<void> {
		const target = this.t + ms;
		for (;;) {
			const next = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
			if (!next) break;
			this.timers = this.timers.filter((t) => t !== next);
			this.t = Math.max(this.t, next.at);
			await next.fn();
		}
		this.t = target;
	}
}

/** The SQLite ledger of a round (the source of truth), read beside the running server. */
function sqliteLedger(dataDir: string, roundId: string): LedgerEntry[] {
	const db = new Database(join(dataDir, 'tirelire.db'), { readonly: true });
	try {
		const rows = db.prepare<[string], { entry: string }>('SELECT entry FROM ledger WHERE round_id = ? ORDER BY seq').all(roundId);
		return rows.map((row) => JSON.parse(row.entry) as LedgerEntry);
	} finally {
		db.close();
	}
}

const phases = (entries: LedgerEntry[]) => entries.filter((e) => e.type === 'phase').map((e) => [e.phase, e.commandId]);

describe('§12 schedule on the server', () => {
	const servers: TestServer[] = [];
	const clients: Client[] = [];
	let dataDir = '';

	afterEach(async () => {
		for (const client of clients.splice(0)) client.destroy();
		for (const server of servers.splice(0)) await server.close();
		removeDir(dataDir);
	});

	async function start(clock: TestClock): Promise<TestServer> {
		const server = await startTestServer(dataDir, { clock });
		servers.push(server);
		return server;
	}

	/** Sets the round's dates as the facilitator, through the member doc; resolves on the receipt. */
	async function schedule(server: TestServer, facilitator: Member, dates: { fundingOpens?: number; fundingCloses?: number }) {
		const doc = await memberClient(server, facilitator).synced();
		clients.push(doc);
		const schedule = { zone: 'Europe/Paris', proposalsClose: null, fundingOpens: null, fundingCloses: null, ...dates };
		return receiptOf(doc, send(doc, { type: 'schedule', schedule }));
	}

	it('§12 schedule: funding closes by itself at its time, as a system command with its deterministic id', async () => {
		dataDir = tempDir();
		const clock = new TestClock();
		const server = await start(clock);
		const facilitator = await createRound(server);
		const due = clock.t + HOUR;
		expect(await schedule(server, facilitator, { fundingCloses: due })).toMatchObject({ ok: true });
		const round = await roundClient(server, facilitator).synced();
		clients.push(round);
		await clock.advance(HOUR - 1);
		expect(round.doc.getMap('round').get('phase')).toBe('proposing');
		await clock.advance(1);
		await waitFor(() => round.doc.getMap('round').get('phase') === 'closed', 'the scheduled close');
		expect(phases(sqliteLedger(dataDir, facilitator.roundId))).toEqual([['closed', `sched_fundingCloses_${due}`]]);
		const entry = sqliteLedger(dataDir, facilitator.roundId).find((e) => e.type === 'phase');
		expect(entry?.at).toBe(due);
	});

	it('§12 schedule: a restarted server catches up on every transition that came due, in order', async () => {
		dataDir = tempDir();
		const clock = new TestClock();
		const first = await start(clock);
		const facilitator = await createRound(first);
		const opens = clock.t + HOUR;
		const closes = clock.t + 2 * HOUR;
		await schedule(first, facilitator, { fundingOpens: opens, fundingCloses: closes });
		for (const client of clients.splice(0)) client.destroy();
		await first.close();
		servers.splice(0);
		await clock.advance(3 * HOUR);
		await start(clock);
		expect(phases(sqliteLedger(dataDir, facilitator.roundId))).toEqual([
			['funding', `sched_fundingOpens_${opens}`],
			['closed', `sched_fundingCloses_${closes}`]
		]);
	});

	it('§12 schedule: two servers racing on one database run a transition once (one ledger entry)', async () => {
		dataDir = tempDir();
		const clock = new TestClock();
		const a = await start(clock);
		const facilitator = await createRound(a);
		const due = clock.t + HOUR;
		await schedule(a, facilitator, { fundingOpens: due });
		await clock.advance(0);
		// The second server arms its own timer for the same transition at start.
		const b = await start(clock);
		const round = await roundClient(b, facilitator).synced();
		clients.push(round);
		await clock.advance(HOUR);
		expect(phases(sqliteLedger(dataDir, facilitator.roundId))).toEqual([['funding', `sched_fundingOpens_${due}`]]);
		expect([...a.logs, ...b.logs].filter((l) => l.level === 'error')).toEqual([]);
		// And the second server's own timer, fired again, still adds nothing.
		await clock.advance(HOUR);
		expect(phases(sqliteLedger(dataDir, facilitator.roundId))).toHaveLength(1);
	});

	it('§12 schedule: a facilitator who opens funding first overrides the scheduled opening (refused once, never retried)', async () => {
		dataDir = tempDir();
		const clock = new TestClock();
		const server = await start(clock);
		const facilitator = await createRound(server);
		const due = clock.t + HOUR;
		await schedule(server, facilitator, { fundingOpens: due });
		const doc = clients[0]!;
		expect(await receiptOf(doc, send(doc, { type: 'setPhase', phase: 'funding' }))).toMatchObject({ ok: true });
		await clock.advance(HOUR);
		const entries = sqliteLedger(dataDir, facilitator.roundId);
		expect(phases(entries).map(([phase]) => phase)).toEqual(['funding']);
		const db = new Database(join(dataDir, 'tirelire.db'), { readonly: true });
		const row = db.prepare('SELECT ok, reason FROM commands WHERE id = ?').get(`sched_fundingOpens_${due}`);
		db.close();
		expect(row).toEqual({ ok: 0, reason: 'wrong_phase' });
		// Back in proposing later: the overridden opening is spent and does not come back.
		expect(await receiptOf(doc, send(doc, { type: 'setPhase', phase: 'proposing' }))).toMatchObject({ ok: true });
		await clock.advance(DAY);
		expect(phases(sqliteLedger(dataDir, facilitator.roundId)).map(([phase]) => phase)).toEqual(['funding', 'proposing']);
	});

	it('§12 schedule: a date 40 days ahead arms timers no longer than setTimeout allows, and still fires', async () => {
		dataDir = tempDir();
		const clock = new TestClock();
		const server = await start(clock);
		const facilitator = await createRound(server);
		const due = clock.t + 40 * DAY;
		await schedule(server, facilitator, { fundingCloses: due });
		await clock.advance(0);
		expect(Math.max(...clock.delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
		await clock.advance(40 * DAY);
		expect(phases(sqliteLedger(dataDir, facilitator.roundId))).toEqual([['closed', `sched_fundingCloses_${due}`]]);
	});

	it('§12 schedule: dates refused by the domain get a receipt with the reason, and nothing is scheduled', async () => {
		dataDir = tempDir();
		const clock = new TestClock();
		const server = await start(clock);
		const facilitator = await createRound(server);
		expect(await schedule(server, facilitator, { fundingCloses: clock.t - 1 })).toMatchObject({ ok: false, reason: 'schedule_past' });
		const doc = clients[0]!;
		const bad = { zone: 'Nowhere/City', proposalsClose: null, fundingOpens: null, fundingCloses: clock.t + HOUR };
		expect(await receiptOf(doc, send(doc, { type: 'schedule', schedule: bad }))).toMatchObject({ ok: false, reason: 'invalid' });
		await clock.advance(2 * HOUR);
		expect(phases(sqliteLedger(dataDir, facilitator.roundId))).toEqual([]);
	});
});

describe('§12 schedule: two sequencers on one database', () => {
	it('§12 schedule: both submit the same due transition before either commits: one ledger entry, no failed turn', async () => {
		const dir = tempDir();
		const ROUND = 'round_race_test';
		const FACILITATOR = 'facilitator_1';
		let now = Date.UTC(2026, 5, 1, 12);
		const logs: string[] = [];
		const log: Log = (level, msg) => logs.push(`${level} ${msg}`);
		const [storeA, storeB] = [openStore(dir), openStore(dir)];
		const a = roomsAndSequencer(storeA, log, 60_000, undefined, () => now);
		const b = roomsAndSequencer(storeB, log, 60_000, undefined, () => now);
		try {
			await storeA.accounts.createGroup(ROUND, 'Tour', now);
			await storeA.accounts.createRound(ROUND, 'Tour', now, ROUND);
			await storeA.accounts.addMember({ roundId: ROUND, id: FACILITATOR, name: 'Fatou', role: 'facilitator' }, now);
			const settings = { name: 'Tour', currency: 'EUR', locale: 'fr', phase: 'proposing' as const, defaultAllocation: 0 as Amount, maxPerMemberPerBucket: null, transparency: 'named' as const, requireApproval: false };
			a.sequencer.submitSystem(ROUND, { type: 'open', settings });
			a.sequencer.submitSystem(ROUND, { type: 'join', memberId: FACILITATOR as MemberId });
			await a.sequencer.flush();
			const due = now + HOUR;
			const room = await a.rooms.get(memberRoom(ROUND, FACILITATOR), { kind: 'member', roundId: ROUND, memberId: FACILITATOR });
			const schedule = { zone: 'UTC', proposalsClose: null, fundingOpens: due, fundingCloses: null };
			room.doc.transact(() => room.doc.getArray('commands').push([{ id: 'command-schedule-1', at: now, type: 'schedule', schedule }]), 'test');
			await a.sequencer.flush();
			expect(await storeA.schedules.pending()).toMatchObject([{ roundId: ROUND, transition: 'fundingOpens', due }]);
			now = due;
			// Both read the pending transition (as two processes would), then commit one after the other.
			b.sequencer.submitAdvance(ROUND, 'fundingOpens', due);
			a.sequencer.submitAdvance(ROUND, 'fundingOpens', due);
			a.sequencer.submitAdvance(ROUND, 'fundingOpens', due);
			await a.sequencer.flush();
			await b.sequencer.flush();
			expect(phases(await storeB.ledger.entries(ROUND))).toEqual([['funding', `sched_fundingOpens_${due}`]]);
			expect(logs.filter((line) => line.startsWith('error'))).toEqual([]);
			expect(await storeA.schedules.pending()).toEqual([]);
		} finally {
			await a.rooms.closeAll();
			await b.rooms.closeAll();
			await storeA.close();
			await storeB.close();
			removeDir(dir);
		}
	});
});

describe('§12 schedule: the scheduler on a store that fails or is slow', () => {
	const settings = {
		name: 'Tour',
		currency: 'EUR',
		locale: 'fr',
		phase: 'proposing' as const,
		defaultAllocation: 0 as Amount,
		maxPerMemberPerBucket: null,
		transparency: 'named' as const,
		requireApproval: false
	};

	it('§12 schedule: a check on a store that cannot answer resolves, logs, tries again after RETRY_MS, and runs the transition once the store answers', async () => {
		const dir = tempDir();
		const ROUND = 'round_outage_test';
		const FACILITATOR = 'facilitator_1';
		const clock = new TestClock();
		const logs: string[] = [];
		const log: Log = (level, msg) => logs.push(`${level} ${msg}`);
		const store = openStore(dir);
		// The real store, its schedules unreachable while `down` (as a database server that is away).
		let down = false;
		const flaky: Store = {
			...store,
			schedules: {
				...store.schedules,
				pending: () => (down ? Promise.reject(new StoreUnavailable('connection refused')) : store.schedules.pending())
			}
		};
		const { rooms, sequencer } = roomsAndSequencer(store, log, 60_000, undefined, () => clock.now());
		const scheduler = new Scheduler(flaky, sequencer, log, clock);
		try {
			await store.accounts.createGroup(ROUND, 'Tour', clock.t);
			await store.accounts.createRound(ROUND, 'Tour', clock.t, ROUND);
			await store.accounts.addMember({ roundId: ROUND, id: FACILITATOR, name: 'Fatou', role: 'facilitator' }, clock.t);
			sequencer.submitSystem(ROUND, { type: 'open', settings });
			sequencer.submitSystem(ROUND, { type: 'join', memberId: FACILITATOR as MemberId });
			await sequencer.flush();
			const due = clock.t + HOUR;
			const room = await rooms.get(memberRoom(ROUND, FACILITATOR), { kind: 'member', roundId: ROUND, memberId: FACILITATOR });
			const schedule = { zone: 'UTC', proposalsClose: null, fundingOpens: due, fundingCloses: null };
			room.doc.transact(() => room.doc.getArray('commands').push([{ id: 'command-schedule-1', at: clock.t, type: 'schedule', schedule }]), 'test');
			await sequencer.flush();
			clock.t = due;
			down = true;
			await expect(scheduler.check()).resolves.toBeUndefined();
			expect(logs).toContain('error scheduled transitions could not be checked, retrying');
			expect(clock.delays.at(-1)).toBe(RETRY_MS);
			expect(phases(await store.ledger.entries(ROUND))).toEqual([]);
			down = false;
			await clock.advance(RETRY_MS);
			expect(phases(await store.ledger.entries(ROUND))).toEqual([['funding', `sched_fundingOpens_${due}`]]);
		} finally {
			scheduler.close();
			await rooms.closeAll();
			await store.close();
			removeDir(dir);
		}
	});

	it('§12 schedule: checks asked for while one runs wait for it, then run once, never side by side', async () => {
		const dir = tempDir();
		const clock = new TestClock();
		const log: Log = () => undefined;
		const store = openStore(dir);
		let reads = 0;
		let inFlight = 0;
		let mostInFlight = 0;
		// The real store, each read of the schedules taking a turn of the event loop (as a network database does).
		const slow: Store = {
			...store,
			schedules: {
				...store.schedules,
				pending: async () => {
					reads++;
					mostInFlight = Math.max(mostInFlight, ++inFlight);
					try {
						await new Promise((resolve) => setImmediate(resolve));
						return await store.schedules.pending();
					} finally {
						inFlight--;
					}
				}
			}
		};
		const { rooms, sequencer } = roomsAndSequencer(store, log, 60_000, undefined, () => clock.now());
		const scheduler = new Scheduler(slow, sequencer, log, clock);
		try {
			const first = scheduler.check();
			const second = scheduler.check();
			scheduler.changed();
			const third = scheduler.check();
			await second;
			// One check, then one more for everything asked meanwhile: two reads each (before and after the due ones).
			expect(reads).toBe(4);
			await Promise.all([first, third]);
			expect(reads).toBe(4);
			expect(mostInFlight).toBe(1);
			// Once it is over, a new request runs a new check.
			await scheduler.check();
			expect(reads).toBe(6);
		} finally {
			scheduler.close();
			await rooms.closeAll();
			await store.close();
			removeDir(dir);
		}
	});
});
