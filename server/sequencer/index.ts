// The sequencer (DESIGN §3): one queue per round. Jobs (member commands seen in member docs,
// system commands, changed buckets) are drained once per turn, inside the rooms' turn
// transaction (Rooms.flush): the ledger and command rows, the round and member doc updates that
// publish the outcomes, and the incoming updates that carried the commands are committed
// together, and nothing is broadcast before that commit. Command ids are processed once, ever
// (the commands table).
//
// With several processes (DESIGN §14, PROTOCOL §17) only the holder of a round's lease drains
// its jobs, in a transaction fenced by the lease's token; another process writes the jobs it saw
// into the round's inbox, in the transaction that stores the update they came from, and wakes
// the holder. Every process keeps a copy of each round's state it serves (the guard reads it),
// brought up to date by the ledger entries the holder relays after each commit.
import * as Y from 'yjs';
import { goalsFromItems } from '../../src/lib/domain/goals.js';
import { commentNotifications, notificationsOf, type Outbox } from '../../src/lib/domain/notifications.js';
import { apply, evolve, replay } from '../../src/lib/domain/reducer.js';
import { transitionId } from '../../src/lib/domain/schedule.js';
import { budgetItemSchema, parseCommand, parseWith, isId } from '../../src/lib/domain/schemas.js';
import type {
	Actor,
	BudgetItem,
	BucketId,
	Command,
	CommandId,
	LedgerEntry,
	MemberCommand,
	MemberId,
	Outcome,
	Receipt,
	Role,
	RoundState,
	SystemCommand,
	Transition
} from '../../src/lib/domain/types.js';
import type { Log } from '../log.js';
import { randomId } from '../secrets.js';
import type { CommandRow, MemberRow, Store } from '../store/index.js';
import type { Cluster } from '../cluster/index.js';
import { StoreUnavailable } from '../store/errors.js';
import { REMOTE_ORIGIN, SERVER_ORIGIN, memberRoom, roundRoom, type Room, type Rooms } from '../sync/index.js';
import * as project from './projection.js';

/** A unit of the sequencer's work; plain JSON, so that it can wait in the round's inbox (distributed setup). */
export type Job =
	| { kind: 'member'; memberId: string; raw: unknown }
	| { kind: 'system'; command: SystemCommand }
	| { kind: 'buckets'; ids: string[]; memberId: string | null }
	| { kind: 'comments'; memberId: string; comments: { bucketId: string; id: string }[] };

interface Done {
	entries: LedgerEntry[];
	/** The author's receipt, for member commands. */
	receipt?: { memberId: string; receipt: Receipt };
	/** A member that joined (its entry in the round doc's `members` map is written). */
	joined?: string;
	/** Notifications that do not come from ledger entries (new comments). */
	notify?: Outbox;
}

export interface Runtime {
	readonly roundId: string;
	state: RoundState;
	/** The state may hold effects of a turn that did not commit: replayed from the store before the next drain. */
	stale?: boolean;
	/** Bucket creators recorded by the guard (before `create` is sequenced). */
	readonly creators: Map<string, string>;
	/** Member → role, as read when first needed (roles do not change). */
	readonly roles: Map<string, Role>;
	/** Yjs clientID → member (persisted in client_ids; cached here). */
	readonly clients: Map<number, string>;
	/** Bucket → the goals and reason of its last refused budget change, told to its editor once. */
	readonly refusedGoals: Map<string, string>;
}

/** A system command before the sequencer gives it an id and a time. */
export type SystemDraft = SystemCommand extends infer C ? (C extends SystemCommand ? Omit<C, 'id' | 'at'> : never) : never;

type SetGoals = Extract<SystemCommand, { type: 'setGoals' }>;

const ACTIVE_GOAL_STATUSES = new Set(['draft', 'idea', 'open']);

export class Sequencer {
	private readonly runtimes = new Map<string, Runtime>();
	private readonly loadingRuntimes = new Map<string, Promise<Runtime>>();
	/** Member doc name → commandIds that already have a receipt in it. */
	private readonly receipted = new Map<string, Set<string>>();
	private readonly detach = new Map<string, () => void>();
	/** Jobs not drained yet, per round. */
	private readonly queues = new Map<string, Job[]>();
	/** Rounds to drain in the next turn (queued jobs, or an inbox to look at). */
	private readonly ready = new Set<string>();
	/** Rounds drained in the current turn (their state is rebuilt if the turn's commit fails). */
	private readonly drained = new Set<Runtime>();
	/** `memberId/commandId` of the receipts the current drain gives (a command id twice in one update gets one). */
	private readonly receiptsNow = new Set<string>();
	/**
	 * The current drain's command rows: those read at its start (one query for all its jobs) and
	 * those it records. Its rows and entries are written together when its jobs are done (two
	 * statements, not two per command: a round trip to PostgreSQL costs more than a command).
	 */
	private batch = {
		asked: new Set<string>(),
		known: new Map<string, CommandRow>(),
		rows: [] as { row: CommandRow; at: number }[],
		entries: [] as LedgerEntry[]
	};
	/** Commands without a valid id seen in the current drain, per member: logged once per drain, not once each. */
	private readonly ignored = new Map<string, number>();
	/** What the current turn tells once it has committed (distributed setup). */
	private afterCommit: (() => void)[] = [];
	/** System commands submitted by this process and not known to be sequenced yet, per round (distributed setup). */
	private readonly awaited = new Map<string, Set<string>>();
	/** Told when a committed turn changed some round's schedule (the scheduler looks again). */
	scheduleChanged: () => void = () => {};
	/** Present when several processes share the store. */
	cluster: Cluster | undefined;

	constructor(
		private readonly store: Store,
		private readonly rooms: Rooms,
		private readonly log: Log,
		/** The sequencer's clock: every entry's `at`, and what `advance` is judged against. */
		private readonly now: () => number = Date.now
	) {}

	/** The round's runtime, its state rebuilt by replaying the stored ledger on first use. */
	runtime(roundId: string): Promise<Runtime> {
		const loaded = this.runtimes.get(roundId);
		if (loaded?.stale) return this.rebuild(loaded).then(() => (loaded.stale ? Promise.reject(new Error('the round state cannot be read')) : loaded));
		if (loaded) return Promise.resolve(loaded);
		let loading = this.loadingRuntimes.get(roundId);
		if (!loading) {
			loading = this.loadRuntime(roundId);
			this.loadingRuntimes.set(roundId, loading);
			const forget = (): void => void this.loadingRuntimes.delete(roundId);
			loading.then(forget, forget);
		}
		return loading;
	}

	/** The runtime of a round whose room is loaded (connections and the guard use it synchronously). */
	loadedRuntime(roundId: string): Runtime {
		const runtime = this.runtimes.get(roundId);
		if (!runtime) throw new StoreUnavailable(`round ${roundId} has no loaded runtime`);
		return runtime;
	}

	private async loadRuntime(roundId: string): Promise<Runtime> {
		// One after another: inside a transaction the calls share one connection.
		const ledger = await this.store.ledger.entries(roundId);
		const creators = await this.store.accounts.bucketCreators(roundId);
		const clients = await this.store.accounts.clientOwners(roundId);
		const runtime: Runtime = { roundId, state: replay(ledger), creators, clients, roles: new Map(), refusedGoals: new Map() };
		this.runtimes.set(roundId, runtime);
		return runtime;
	}

	submitSystem(roundId: string, command: SystemDraft): void {
		const full = { ...command, id: systemId(), at: this.now() } as SystemCommand;
		this.await(roundId, full.id);
		this.enqueue(roundId, { kind: 'system', command: full });
	}

	/** A scheduled transition, with its deterministic id (PROTOCOL §12): run once, ever, however often it is submitted. */
	submitAdvance(roundId: string, transition: Transition, due: number): void {
		const command: SystemCommand = { id: transitionId(transition, due), at: this.now(), type: 'advance', transition, due };
		this.await(roundId, command.id);
		this.enqueue(roundId, { kind: 'system', command });
	}

	/** `memberId`: who changed them (told when the budget change it made is refused), null for the server's own repair. */
	bucketsChanged(roundId: string, ids: Iterable<string>, memberId: string | null = null): void {
		this.enqueue(roundId, { kind: 'buckets', ids: [...ids], memberId });
	}

	/** A member's update added comments: their buckets' owners are told, in this turn, once per comment. */
	commentsAdded(roundId: string, memberId: string, comments: { bucketId: string; id: string }[]): void {
		if (comments.length > 0) this.enqueue(roundId, { kind: 'comments', memberId, comments });
	}

	/**
	 * Runs a turn: everything submitted so far is committed and published (round creation and
	 * joining answer only after this). With several processes, also waits until the system
	 * commands this process submitted are sequenced by the round's holder, and its copy of the
	 * state has them.
	 */
	async flush(): Promise<void> {
		await this.rooms.flush();
		if (this.cluster && this.awaited.size > 0) await this.sequenced();
	}

	/** Whether any round has queued jobs. */
	queued(): boolean {
		return this.ready.size > 0;
	}

	/** Drains every round with queued jobs, including jobs queued meanwhile. Runs inside the turn's transaction. */
	async runQueued(): Promise<void> {
		this.drained.clear();
		while (this.ready.size > 0) {
			for (const roundId of [...this.ready]) {
				this.ready.delete(roundId);
				const jobs = this.queues.get(roundId) ?? [];
				this.queues.delete(roundId);
				if (this.cluster) await this.drainShared(roundId, jobs);
				else await this.drain(await this.runtime(roundId), jobs);
			}
		}
	}

	/** The turn's commit failed: its effects on the rounds' states are forgotten. */
	async rollback(): Promise<void> {
		this.afterCommit = [];
		for (const runtime of this.drained) await this.rebuild(runtime);
		this.drained.clear();
	}

	/** The turn committed: the other processes hear of its ledger entries and inbox jobs. */
	committed(): void {
		const tell = this.afterCommit;
		this.afterCommit = [];
		for (const fn of tell) fn();
	}

	private async rebuild(runtime: Runtime): Promise<void> {
		try {
			runtime.state = replay(await this.store.ledger.entries(runtime.roundId));
			runtime.stale = false;
		} catch (error) {
			// The store cannot be read: the runtime stays (connections read it) and is replayed before its next drain.
			if (!runtime.stale) this.log('error', 'round state not rebuilt', { roundId: runtime.roundId, error: String(error) });
			runtime.stale = true;
		}
	}

	/** Called by the rooms when a room loads: reconcile it with the authoritative state. */
	async roomLoaded(room: Room): Promise<void> {
		const runtime = await this.runtime(room.info.roundId);
		// With several processes only the round's holder writes its documents: another process's
		// copy of the state may be behind, and a write of it could win over the holder's.
		const writer = !this.cluster || this.cluster.holds(room.info.roundId);
		if (room.info.kind === 'round') return writer ? this.roundDocLoaded(room, runtime) : this.catchUp(runtime);
		const { roundId, memberId } = room.info;
		const receipts = new Set(room.doc.getArray<Receipt>('receipts').map((receipt) => receipt?.commandId));
		this.receipted.set(room.name, receipts);
		const commands = room.doc.getArray('commands');
		const observer = (transaction: Y.Transaction): void => {
			if (transaction.origin === SERVER_ORIGIN || transaction.origin === REMOTE_ORIGIN) return;
			const inserted = insertedValues(room.doc, commands, transaction);
			for (const raw of inserted) this.enqueue(roundId, { kind: 'member', memberId, raw });
		};
		room.doc.on('afterTransaction', observer);
		this.detach.set(room.name, () => room.doc.off('afterTransaction', observer));
		// Commands that reached this doc but were not sequenced (or not receipted) before a stop.
		// With several processes every such command is in the round's inbox (stored with its update):
		// only the holder looks again, to give back receipts a doc lost.
		if (!writer) return;
		for (const raw of commands.toArray()) this.enqueue(roundId, { kind: 'member', memberId, raw });
		room.write(() => project.writeWallet(room, project.walletOf(runtime.state, memberId as MemberId)));
	}

	roomUnloading(room: Room): void {
		this.detach.get(room.name)?.();
		this.detach.delete(room.name);
		this.receipted.delete(room.name);
	}

	private async roundDocLoaded(room: Room, runtime: Runtime): Promise<void> {
		const ledger = await this.store.ledger.entries(runtime.roundId);
		const members = await this.store.accounts.members(runtime.roundId);
		await this.catchUp(runtime, ledger);
		const { state } = runtime;
		room.write(() => {
			const repair = project.repairLedger(room, state, ledger);
			if (repair === 'appended' || repair === 'rebuilt') this.log('warn', 'ledger replica disagreed with the store', { room: room.name, repair });
			project.writeSchemaVersion(room);
			if (state.seq > 0) project.writeSettings(room, state);
			for (const member of members) project.writeMember(room, member);
			for (const bucketId of state.buckets.keys()) project.writeBucket(room, state, bucketId);
			project.writeOutcomes(room, state, ledger);
		});
		const unknown = [...room.doc.getMap('buckets').keys()].filter((id) => !state.buckets.has(id as BucketId));
		if (unknown.length > 0) this.bucketsChanged(runtime.roundId, unknown);
	}

	/** Folds into the runtime the entries it lacks (`newer` when already read, else from the store). */
	private async catchUp(runtime: Runtime, newer?: LedgerEntry[]): Promise<void> {
		const entries = newer ?? (await this.store.ledger.entriesAfter(runtime.roundId, runtime.state.seq));
		for (const entry of entries) if (entry.seq === runtime.state.seq + 1) evolve(runtime.state, entry);
	}

	private enqueue(roundId: string, job: Job): void {
		const queue = this.queues.get(roundId);
		if (queue) queue.push(job);
		else this.queues.set(roundId, [job]);
		this.ready.add(roundId);
		this.rooms.schedule();
	}

	/** The round's inbox has jobs (another process wrote them, or this one took the lease): drain it in a turn. */
	poke(roundId: string): void {
		this.ready.add(roundId);
		this.rooms.schedule();
	}

	/**
	 * Ledger entries the round's holder committed (relayed by the cluster): this process's copy of
	 * the state follows; a gap (a relay lost while Redis was away) is filled from the store.
	 */
	entriesCommitted(roundId: string, entries: LedgerEntry[]): void {
		const runtime = this.runtimes.get(roundId);
		if (!runtime || this.cluster?.holds(roundId)) return;
		const first = entries[0];
		if (first && first.seq <= runtime.state.seq + 1) {
			for (const entry of entries) if (entry.seq === runtime.state.seq + 1) evolve(runtime.state, entry);
		} else if (first) {
			this.catchUp(runtime).catch((error: unknown) => this.log('warn', 'round state not caught up', { roundId, error: String(error) }));
		}
		this.settle(roundId, entries);
	}

	/** Bindings another process committed (the guard of this one must know them). */
	bindingsCommitted(roundId: string, clients: [number, string][], creators: [string, string][]): void {
		const runtime = this.runtimes.get(roundId);
		if (runtime) learnBindings(runtime, clients, creators);
	}

	/** Brings the round's runtime, if loaded, up to date from the store: its ledger entries and its bindings. */
	async catchUpRound(roundId: string): Promise<void> {
		const runtime = this.runtimes.get(roundId);
		if (!runtime || runtime.stale) return;
		await this.catchUp(runtime);
		await this.bindingsFromStore(runtime);
	}

	/** Brings every loaded runtime up to date from the store (after relays may have been lost). */
	async catchUpAll(): Promise<void> {
		for (const runtime of this.runtimes.values()) {
			if (!this.cluster?.holds(runtime.roundId)) await this.catchUp(runtime);
			await this.bindingsFromStore(runtime);
		}
	}

	/** The clientID and bucket-creator bindings other processes committed: the store's word wins. */
	private async bindingsFromStore(runtime: Runtime): Promise<void> {
		learnBindings(runtime, await this.store.accounts.clientOwners(runtime.roundId), await this.store.accounts.bucketCreators(runtime.roundId));
	}

	private await(roundId: string, commandId: string): void {
		if (!this.cluster) return;
		const ids = this.awaited.get(roundId) ?? new Set<string>();
		ids.add(commandId);
		this.awaited.set(roundId, ids);
	}

	private settle(roundId: string, entries: LedgerEntry[]): void {
		const ids = this.awaited.get(roundId);
		if (!ids) return;
		for (const entry of entries) if (entry.commandId) ids.delete(entry.commandId);
		if (ids.size === 0) this.awaited.delete(roundId);
	}

	/** Waits until every awaited system command has a row in `commands` (sequenced by whichever process holds its round). */
	private async sequenced(timeoutMs = 10_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			for (const [roundId, ids] of [...this.awaited]) {
				for (const id of (await this.store.ledger.commandsOf(roundId, [...ids])).keys()) ids.delete(id);
				if (ids.size === 0) {
					this.awaited.delete(roundId);
					const runtime = this.runtimes.get(roundId);
					if (runtime && !this.cluster?.holds(roundId)) await this.catchUp(runtime);
				}
			}
			if (this.awaited.size === 0) return;
			if (Date.now() > deadline) throw new Error('the round did not sequence the command in time');
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}

	/**
	 * The distributed drain: the holder runs the round's local jobs and its inbox in a savepoint
	 * fenced by its lease token; any other process stores the local jobs in the inbox (with the
	 * updates they came from) and, once that commits, wakes the holder.
	 */
	private async drainShared(roundId: string, jobs: Job[]): Promise<void> {
		const cluster = this.cluster!;
		const lease = cluster.lease(roundId);
		if (lease) {
			const runtime = await this.runtime(roundId);
			const outcome = await this.drain(runtime, jobs, async () => {
				if (!(await cluster.leases.fence(roundId, lease.holder, lease.token))) throw new LeaseLost(roundId);
				await this.catchUp(runtime);
				const taken = (await cluster.inbox.take(roundId, INBOX_PAGE)) as Job[];
				if (taken.length === INBOX_PAGE) this.afterCommit.push(() => this.poke(roundId));
				if (taken.some((job) => job.kind === 'buckets')) await this.bucketsFromStore(runtime);
				return taken;
			});
			if (outcome !== 'lease lost') return;
			cluster.lost(roundId, lease.token);
		}
		if (jobs.length > 0) await cluster.inbox.add(roundId, jobs);
		this.afterCommit.push(() => cluster.wake(roundId));
	}

	/**
	 * Bucket jobs from the inbox read the round doc's buckets and the buckets' creators, which the
	 * process that stored the jobs committed with them; their relays through Redis may still be on
	 * the way (a slow link, the inbox seen by a poll first) or lost. Both are read from the store.
	 */
	private async bucketsFromStore(runtime: Runtime): Promise<void> {
		await this.rooms.resyncRoom(roundRoom(runtime.roundId));
		learnBindings(runtime, [], await this.store.accounts.bucketCreators(runtime.roundId));
	}

	/**
	 * Runs the round's jobs in a savepoint of the turn's transaction, then publishes their outcomes.
	 * `before` runs first in the savepoint (the lease fence and the inbox) and may add jobs.
	 */
	private async drain(runtime: Runtime, jobs: Job[], before?: () => Promise<Job[]>): Promise<'done' | 'failed' | 'lease lost'> {
		this.receiptsNow.clear();
		const done: Done[] = [];
		this.drained.add(runtime);
		// The round doc is loaded (and reconciled with the ledger) before this drain writes any entry:
		// loaded later, in this transaction, it would find the drain's own entries missing from its
		// replica and "repair" it. Bucket jobs read it too.
		await this.roundDoc(runtime.roundId);
		try {
			// A savepoint inside the turn's transaction: a failing round does not fail the others.
			await this.store.transaction(async () => {
				const all = before ? [...(await before()), ...jobs] : jobs;
				const asked = jobIds(all);
				this.batch = { asked: new Set(asked), known: await this.store.ledger.commandsOf(runtime.roundId, asked), rows: [], entries: [] };
				for (const job of all) await this.runJob(runtime, job, done);
				await this.store.ledger.appendAll(runtime.roundId, this.batch.entries);
				await this.store.ledger.recordCommands(runtime.roundId, this.batch.rows);
			});
			this.logIgnored(runtime.roundId);
		} catch (error) {
			// Nothing of this round was written: forget the in-memory effects. Member commands stay
			// in their docs (and, with several processes, in the inbox) and are sequenced again.
			this.ignored.clear();
			await this.rebuild(runtime);
			if (error instanceof LeaseLost) {
				this.log('warn', 'lease lost: another process sequences the round', { roundId: runtime.roundId });
				return 'lease lost';
			}
			this.log('error', 'sequencer commit failed', { roundId: runtime.roundId, error: String(error) });
			if (this.cluster && jobs.length > 0) {
				// Kept for a later turn rather than lost with the savepoint.
				await this.cluster.inbox.add(runtime.roundId, jobs);
				const cluster = this.cluster;
				this.afterCommit.push(() => cluster.wake(runtime.roundId));
			}
			return 'failed';
		}
		// Publishing writes the round and member docs; their updates join this turn's commit (a
		// failure here fails the whole turn: its rooms are dropped and resync from the store).
		await this.publish(runtime, done);
		const entries = done.flatMap((result) => result.entries);
		if (this.cluster && entries.length > 0) {
			const cluster = this.cluster;
			this.afterCommit.push(() => cluster.publishEntries(runtime.roundId, entries));
		}
		if (entries.some((entry) => entry.type === 'schedule')) this.afterCommit.push(() => this.scheduleChanged());
		this.settle(runtime.roundId, entries);
		return 'done';
	}

	private logIgnored(roundId: string): void {
		for (const [memberId, count] of this.ignored) this.log('warn', 'commands without a valid id ignored', { roundId, memberId, count });
		this.ignored.clear();
	}

	private async runJob(runtime: Runtime, job: Job, done: Done[]): Promise<void> {
		if (job.kind === 'system') {
			// An id already in the command table (a scheduled transition another timer or server ran) is done.
			if (await this.processed(runtime.roundId, job.command.id)) return;
			const result = await this.run(runtime, job.command, { kind: 'system' }, null);
			if (job.command.type === 'join') result.joined = job.command.memberId;
			done.push(result);
		} else if (job.kind === 'buckets') {
			for (const id of job.ids) for (const command of await this.bucketCommands(runtime, id)) {
				const result = await this.run(runtime, command, { kind: 'system' }, null);
				const receipt = command.type === 'setGoals' ? this.goalsReceipt(runtime, command, result.outcome, job.memberId) : undefined;
				done.push({ entries: result.entries, receipt });
			}
		} else if (job.kind === 'comments') {
			const notify: Outbox = new Map();
			const at = Date.now();
			for (const { bucketId } of job.comments) commentNotifications(runtime.state, bucketId as BucketId, job.memberId, at, notify);
			done.push({ entries: [], notify });
		} else {
			const result = await this.runMember(runtime, job.memberId, job.raw);
			if (result) done.push(result);
		}
	}

	private async runMember(runtime: Runtime, memberId: string, raw: unknown): Promise<Done | undefined> {
		const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
		if (!isId(id)) {
			this.ignored.set(memberId, (this.ignored.get(memberId) ?? 0) + 1);
			return undefined;
		}
		const once = `${memberId}/${id}`;
		if (this.receiptsNow.has(once)) return undefined;
		this.receiptsNow.add(once);
		const previous = await this.processed(runtime.roundId, id);
		if (previous) {
			// Processed before: only give back a receipt the member doc lost (e.g. a stop right after the
			// commit). Another member's id gets a refusal, so that the author does not wait forever.
			const name = memberRoom(runtime.roundId, memberId);
			const receipted = this.receipted.get(name);
			if (!receipted || receipted.has(id)) return undefined;
			// Another process may have given it while it held the lease: look in the doc itself.
			const doc = this.rooms.peek(name)?.doc;
			if (doc?.getArray<Receipt>('receipts').toArray().some((given) => given?.commandId === id)) {
				receipted.add(id);
				return undefined;
			}
			const receipt: Receipt =
				previous.memberId === memberId ? receiptFromRow(previous) : { commandId: id as CommandId, ok: false, reason: 'duplicate' };
			return { entries: [], receipt: { memberId, receipt } };
		}
		const parsed = parseCommand(raw);
		if (!parsed.ok) {
			const row: CommandRow = { id, memberId, type: 'invalid', ok: false, accepted: null, reason: 'invalid', seq: null };
			this.record(row, this.now());
			return { entries: [], receipt: { memberId, receipt: receiptFromRow(row) } };
		}
		if (!(await this.imagesStored(runtime.roundId, parsed.command))) {
			const row: CommandRow = { id, memberId, type: parsed.command.type, ok: false, accepted: null, reason: 'unknown_image', seq: null };
			this.record(row, Date.now());
			return { entries: [], receipt: { memberId, receipt: receiptFromRow(row) } };
		}
		const actor: Actor = { kind: 'member', memberId: memberId as MemberId, role: await this.roleOf(runtime, memberId) };
		return this.run(runtime, parsed.command, actor, memberId);
	}

	private async run(runtime: Runtime, command: Command, actor: Actor, memberId: string | null): Promise<Done & { outcome: Outcome }> {
		const at = this.now();
		const { outcome, entries } = apply(runtime.state, command, actor, at);
		for (const entry of entries) {
			this.batch.entries.push(entry);
			if (entry.schedule) await this.store.schedules.replace(runtime.roundId, entry.schedule);
		}
		const row: CommandRow = {
			id: command.id,
			memberId,
			type: command.type,
			ok: outcome.ok,
			accepted: outcome.ok ? (outcome.accepted ?? null) : null,
			reason: outcome.ok ? (outcome.partial ?? null) : outcome.reason,
			seq: entries.at(-1)?.seq ?? null
		};
		this.record(row, at);
		if (!outcome.ok && actor.kind === 'system') {
			this.log('info', 'system command refused', { roundId: runtime.roundId, type: command.type, reason: outcome.reason });
		}
		return { entries, outcome, receipt: memberId === null ? undefined : { memberId, receipt: receiptFromRow(row) } };
	}

	/** The command's row if it was processed, before or earlier in this drain. */
	private async processed(roundId: string, id: string): Promise<CommandRow | undefined> {
		const known = this.batch.known.get(id);
		if (known) return known;
		// Ids the drain did not see at its start (a bucket's system commands): asked one by one.
		return this.batch.asked.has(id) ? undefined : this.store.ledger.command(roundId, id);
	}

	private record(row: CommandRow, at: number): void {
		this.batch.rows.push({ row, at });
		this.batch.known.set(row.id, row);
	}

	/** A member's role, read once per runtime: a member's role never changes once they joined. */
	private async roleOf(runtime: Runtime, memberId: string): Promise<Role> {
		let role = runtime.roles.get(memberId);
		if (role === undefined) {
			role = (await this.store.accounts.member(runtime.roundId, memberId))?.role ?? 'member';
			runtime.roles.set(memberId, role);
		}
		return role;
	}

	/**
	 * Every file a command shows (a bucket's image, an expense's receipt) was stored by this round's
	 * upload route (PROTOCOL §9): a command cannot make members' browsers fetch a name the server
	 * never checked, nor one of another round.
	 */
	private async imagesStored(roundId: string, command: MemberCommand): Promise<boolean> {
		const image = command.type === 'addImage' ? command.image : command.type === 'recordExpense' ? command.receipt : undefined;
		if (image === undefined) return true;
		for (const variant of image.variants) if (!(await this.store.blobs.has(roundId, variant.hash))) return false;
		return true;
	}

	/**
	 * The editor's receipt for a refused budget change (PROTOCOL §4): its items stay as written but
	 * the goals do not move, and the owner must be told why. Told once per refused pair of goals,
	 * since every later edit of the bucket (its description too) is judged against the same items.
	 */
	private goalsReceipt(runtime: Runtime, command: SetGoals, outcome: Outcome, memberId: string | null): Done['receipt'] {
		const { bucketId, minGoal, maxGoal } = command;
		if (outcome.ok) {
			runtime.refusedGoals.delete(bucketId);
			return undefined;
		}
		const told = `${minGoal}/${maxGoal}/${outcome.reason}`;
		if (memberId === null || runtime.refusedGoals.get(bucketId) === told) return undefined;
		runtime.refusedGoals.set(bucketId, told);
		return { memberId, receipt: { commandId: command.id, ok: false, reason: outcome.reason, bucketId } };
	}

	/** System commands a changed bucket calls for: `create` for a new key, `setGoals` when its items changed. */
	private async bucketCommands(runtime: Runtime, id: string): Promise<SystemCommand[]> {
		const bucketId = id as BucketId;
		const bucket = (await this.roundDoc(runtime.roundId)).doc.getMap('buckets').get(id);
		if (!(bucket instanceof Y.Map)) return [];
		const commands: SystemCommand[] = [];
		const at = this.now();
		const account = runtime.state.buckets.get(bucketId);
		if (!account) {
			const creator = runtime.creators.get(id);
			if (!creator) return [];
			commands.push({ id: systemId(), at, type: 'create', bucketId, memberId: creator as MemberId });
		}
		const status = account?.status ?? 'draft';
		if (!ACTIVE_GOAL_STATUSES.has(status)) return commands;
		const { minGoal, maxGoal } = goalsFromItems(budgetItems(bucket.get('items')));
		if (account?.minGoal !== minGoal || account?.maxGoal !== maxGoal) {
			if (account || minGoal > 0 || maxGoal > 0) commands.push({ id: systemId(), at, type: 'setGoals', bucketId, minGoal, maxGoal });
		}
		return commands;
	}

	/** After the round's rows are written: the outcomes into the round doc and the member docs (committed with them, then broadcast). */
	private async publish(runtime: Runtime, done: Done[]): Promise<void> {
		const { roundId, state } = runtime;
		const entries = done.flatMap((result) => result.entries);
		if (entries.length > 0) {
			const round = await this.roundDoc(roundId);
			const reveals = entries.some((entry) => entry.type === 'configure' && entry.settings?.transparency !== undefined);
			const phase = entries.some((entry) => entry.type === 'phase');
			const ledger = reveals || phase ? await this.store.ledger.entries(roundId) : [];
			const joined: MemberRow[] = [];
			for (const result of done) {
				const member = result.joined && (await this.store.accounts.member(roundId, result.joined));
				if (member) joined.push(member);
			}
			round.write(() => {
				// The replica's past entries must now show (or hide) who moved money.
				if (reveals) project.repairLedger(round, state, ledger);
				project.appendLedger(round, state, entries);
				if (entries.some((entry) => entry.type === 'open' || entry.type === 'configure' || entry.type === 'phase')) {
					project.writeSettings(round, state);
				}
				if (phase) project.writeOutcomes(round, state, ledger);
				for (const bucketId of new Set(entries.flatMap((entry) => (entry.bucketId ? [entry.bucketId] : [])))) {
					project.writeBucket(round, state, bucketId);
				}
				for (const member of joined) project.writeMember(round, member);
			});
		}
		const receipts = new Map<string, Receipt[]>();
		for (const result of done) {
			if (!result.receipt) continue;
			const list = receipts.get(result.receipt.memberId) ?? [];
			list.push(result.receipt.receipt);
			receipts.set(result.receipt.memberId, list);
		}
		const outbox = notificationsOf(state, entries);
		for (const result of done) {
			for (const [memberId, drafts] of result.notify ?? []) outbox.set(memberId, [...(outbox.get(memberId) ?? []), ...drafts]);
		}
		const wallets = new Set([...receipts.keys(), ...entries.flatMap((entry) => (entry.memberId ? [entry.memberId] : []))]);
		for (const memberId of new Set<string>([...wallets, ...outbox.keys()])) {
			const name = memberRoom(roundId, memberId);
			const room = await this.rooms.get(name, { kind: 'member', roundId, memberId });
			const list = receipts.get(memberId) ?? [];
			room.write(() => {
				project.appendReceipts(room, list);
				if (wallets.has(memberId)) project.writeWallet(room, project.walletOf(state, memberId as MemberId));
				project.appendNotifications(room, outbox.get(memberId as MemberId) ?? []);
			});
			const receipted = this.receipted.get(name);
			for (const receipt of list) receipted?.add(receipt.commandId);
		}
	}

	/** Marks a member inactive in the round doc (revocation). */
	async memberChanged(roundId: string, memberId: string): Promise<void> {
		const member = await this.store.accounts.member(roundId, memberId);
		if (!member) return;
		const round = await this.roundDoc(roundId);
		round.write(() => project.writeMember(round, member));
	}

	private roundDoc(roundId: string): Promise<Room> {
		return this.rooms.get(roundRoom(roundId), { kind: 'round', roundId });
	}
}

/** Bindings committed elsewhere (another process, or the store): they win over what the runtime believed. */
function learnBindings(runtime: Runtime, clients: Iterable<[number, string]>, creators: Iterable<[string, string]>): void {
	for (const [clientId, memberId] of clients) runtime.clients.set(clientId, memberId);
	for (const [bucketId, memberId] of creators) runtime.creators.set(bucketId, memberId);
}

/** The command ids a drain's jobs carry (member commands and system commands), to read their rows at once. */
function jobIds(jobs: readonly Job[]): string[] {
	const ids = new Set<string>();
	for (const job of jobs) {
		if (job.kind === 'system') ids.add(job.command.id);
		else if (job.kind === 'member') {
			const id = typeof job.raw === 'object' && job.raw !== null ? (job.raw as { id?: unknown }).id : undefined;
			if (isId(id)) ids.add(id);
		}
	}
	return [...ids];
}

/** Inbox jobs one drain takes; more wait for the next turn (one commit stays small). */
const INBOX_PAGE = 500;

/** The fence refused: another process took the round's lease. */
class LeaseLost extends Error {
	constructor(roundId: string) {
		super(`the lease of round ${roundId} is held by another process`);
	}
}

function systemId(): CommandId {
	return `sys_${randomId()}` as CommandId;
}

function receiptFromRow(row: CommandRow): Receipt {
	const receipt: Receipt = { commandId: row.id as CommandId, ok: row.ok };
	if (row.accepted !== null) receipt.accepted = row.accepted as Receipt['accepted'];
	if (row.reason !== null) receipt.reason = row.reason;
	if (row.seq !== null) receipt.seq = row.seq;
	return receipt;
}

/** A bucket's budget items as written by its owners; malformed items count for nothing. */
function budgetItems(items: unknown): BudgetItem[] {
	if (!(items instanceof Y.Array)) return [];
	const parsed: BudgetItem[] = [];
	for (const item of items.toArray()) {
		const result = parseWith(budgetItemSchema, item);
		if (result.ok) parsed.push(result.value);
	}
	return parsed;
}

/** Values a transaction inserted directly into `array`, in insertion order per client; proportional to the change. */
function insertedValues(doc: Y.Doc, array: Y.Array<unknown>, transaction: Y.Transaction): unknown[] {
	const values: unknown[] = [];
	for (const [client, after] of transaction.afterState) {
		const before = transaction.beforeState.get(client) ?? 0;
		if (after <= before) continue;
		const structs = doc.store.clients.get(client) ?? [];
		for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
			const struct = structs[i]!;
			if (!(struct instanceof Y.Item) || struct.parent !== array || struct.deleted) continue;
			// Yjs may have merged the new item into an older one of the same client: skip the old part.
			values.push(...struct.content.getContent().slice(Math.max(0, before - struct.id.clock)));
		}
	}
	return values;
}
