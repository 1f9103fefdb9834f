// The sequencer (DESIGN §3): one queue per round. Jobs (member commands seen in member docs,
// system commands, changed buckets) are drained once per event-loop turn, inside the rooms' turn
// transaction (Rooms.flush): the ledger and command rows, the round and member doc updates that
// publish the outcomes, and the incoming updates that carried the commands are committed
// together, and nothing is broadcast before that commit. Command ids are processed once, ever
// (the commands table).
import * as Y from 'yjs';
import { goalsFromItems } from '../../src/lib/domain/goals.js';
import { commentNotifications, notificationsOf, type Outbox } from '../../src/lib/domain/notifications.js';
import { apply, replay } from '../../src/lib/domain/reducer.js';
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
	RoundState,
	SystemCommand,
	Transition
} from '../../src/lib/domain/types.js';
import type { Log } from '../log.js';
import { randomId } from '../secrets.js';
import type { CommandRow, Store } from '../store/index.js';
import { SERVER_ORIGIN, memberRoom, roundRoom, type Room, type Rooms } from '../sync/index.js';
import * as project from './projection.js';

type Job =
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
	/** Bucket creators recorded by the guard (before `create` is sequenced). */
	readonly creators: Map<string, string>;
	/** Yjs clientID → member (persisted in client_ids; cached here). */
	readonly clients: Map<number, string>;
	queue: Job[];
	/** Bucket → the goals and reason of its last refused budget change, told to its editor once. */
	readonly refusedGoals: Map<string, string>;
}

/** A system command before the sequencer gives it an id and a time. */
export type SystemDraft = SystemCommand extends infer C ? (C extends SystemCommand ? Omit<C, 'id' | 'at'> : never) : never;

type SetGoals = Extract<SystemCommand, { type: 'setGoals' }>;

const ACTIVE_GOAL_STATUSES = new Set(['draft', 'idea', 'open']);

export class Sequencer {
	private readonly runtimes = new Map<string, Runtime>();
	/** Member doc name → commandIds that already have a receipt in it. */
	private readonly receipted = new Map<string, Set<string>>();
	private readonly detach = new Map<string, () => void>();
	/** Rounds with queued jobs. */
	private readonly ready = new Set<Runtime>();
	/** Rounds drained in the current turn (their state is rebuilt if the turn's commit fails). */
	private readonly drained = new Set<Runtime>();
	/** `memberId/commandId` of the receipts the current drain gives (a command id twice in one update gets one). */
	private readonly receiptsNow = new Set<string>();
	/** Commands without a valid id seen in the current drain, per member: logged once per drain, not once each. */
	private readonly ignored = new Map<string, number>();
	/** Told when a committed turn changed some round's schedule (the scheduler looks again). */
	scheduleChanged: () => void = () => {};

	constructor(
		private readonly store: Store,
		private readonly rooms: Rooms,
		private readonly log: Log,
		/** The sequencer's clock: every entry's `at`, and what `advance` is judged against. */
		private readonly now: () => number = Date.now
	) {}

	/** The round's runtime, its state rebuilt by replaying the SQLite ledger on first use. */
	runtime(roundId: string): Runtime {
		return this.runtimes.get(roundId) ?? this.loadRuntime(roundId).runtime;
	}

	/** The runtime and the SQLite ledger, read once whether or not the runtime was loaded already. */
	private runtimeAndLedger(roundId: string): { runtime: Runtime; ledger: LedgerEntry[] } {
		const runtime = this.runtimes.get(roundId);
		return runtime ? { runtime, ledger: this.store.ledger.entries(roundId) } : this.loadRuntime(roundId);
	}

	private loadRuntime(roundId: string): { runtime: Runtime; ledger: LedgerEntry[] } {
		const ledger = this.store.ledger.entries(roundId);
		const runtime: Runtime = {
			roundId,
			state: replay(ledger),
			creators: this.store.accounts.bucketCreators(roundId),
			clients: new Map(),
			queue: [],
			refusedGoals: new Map()
		};
		this.runtimes.set(roundId, runtime);
		return { runtime, ledger };
	}

	submitSystem(roundId: string, command: SystemDraft): void {
		const full = { ...command, id: systemId(), at: this.now() } as SystemCommand;
		this.enqueue(roundId, { kind: 'system', command: full });
	}

	/** A scheduled transition, with its deterministic id (PROTOCOL §12): run once, ever, however often it is submitted. */
	submitAdvance(roundId: string, transition: Transition, due: number): void {
		const command: SystemCommand = { id: transitionId(transition, due), at: this.now(), type: 'advance', transition, due };
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

	/** Runs the turn now: committed and published (round creation and joining answer only after this). */
	flush(): void {
		this.rooms.flush();
	}

	/** Whether any round has queued jobs. */
	queued(): boolean {
		return this.ready.size > 0;
	}

	/** Drains every round with queued jobs, including jobs queued meanwhile. Runs inside the turn's transaction. */
	runQueued(): void {
		this.drained.clear();
		while (this.ready.size > 0) {
			for (const runtime of [...this.ready]) {
				this.ready.delete(runtime);
				this.drained.add(runtime);
				this.drain(runtime);
			}
		}
	}

	/** The turn's commit failed: its effects on the rounds' states are forgotten. */
	rollback(): void {
		for (const runtime of this.drained) runtime.state = replay(this.store.ledger.entries(runtime.roundId));
		this.drained.clear();
	}

	/** Called by the rooms when a room loads: reconcile it with the authoritative state. */
	roomLoaded(room: Room): void {
		if (room.info.kind === 'round') return this.roundDocLoaded(room);
		const { roundId, memberId } = room.info;
		const receipts = new Set(room.doc.getArray<Receipt>('receipts').map((receipt) => receipt?.commandId));
		this.receipted.set(room.name, receipts);
		const commands = room.doc.getArray('commands');
		const observer = (transaction: Y.Transaction): void => {
			if (transaction.origin === SERVER_ORIGIN) return;
			const inserted = insertedValues(room.doc, commands, transaction);
			for (const raw of inserted) this.enqueue(roundId, { kind: 'member', memberId, raw });
		};
		room.doc.on('afterTransaction', observer);
		this.detach.set(room.name, () => room.doc.off('afterTransaction', observer));
		// Commands that reached this doc but were not sequenced (or not receipted) before a stop.
		for (const raw of commands.toArray()) this.enqueue(roundId, { kind: 'member', memberId, raw });
		const runtime = this.runtime(roundId);
		room.write(() => project.writeWallet(room, project.walletOf(runtime.state, memberId as MemberId)));
	}

	roomUnloading(room: Room): void {
		this.detach.get(room.name)?.();
		this.detach.delete(room.name);
		this.receipted.delete(room.name);
	}

	private roundDocLoaded(room: Room): void {
		const { runtime, ledger } = this.runtimeAndLedger(room.info.roundId);
		const { state } = runtime;
		room.write(() => {
			const repair = project.repairLedger(room, state, ledger);
			if (repair === 'appended' || repair === 'rebuilt') this.log('warn', 'ledger replica disagreed with SQLite', { room: room.name, repair });
			project.writeSchemaVersion(room);
			if (state.seq > 0) project.writeSettings(room, state);
			for (const member of this.store.accounts.members(runtime.roundId)) project.writeMember(room, member);
			for (const bucketId of state.buckets.keys()) project.writeBucket(room, state, bucketId);
			project.writeOutcomes(room, state, ledger);
		});
		const unknown = [...room.doc.getMap('buckets').keys()].filter((id) => !state.buckets.has(id as BucketId));
		if (unknown.length > 0) this.bucketsChanged(runtime.roundId, unknown);
	}

	private enqueue(roundId: string, job: Job): void {
		const runtime = this.runtime(roundId);
		runtime.queue.push(job);
		this.ready.add(runtime);
		this.rooms.schedule();
	}

	private drain(runtime: Runtime): void {
		const jobs = runtime.queue;
		runtime.queue = [];
		this.receiptsNow.clear();
		const done: Done[] = [];
		// Bucket jobs read the round doc: load it (and let it reconcile) before the savepoint opens.
		if (jobs.some((job) => job.kind === 'buckets')) this.roundDoc(runtime.roundId);
		try {
			// A savepoint inside the turn's transaction: a failing round does not fail the others.
			this.store.transaction(() => {
				for (const job of jobs) this.runJob(runtime, job, done);
			});
			this.logIgnored(runtime.roundId);
		} catch (error) {
			// Nothing of this round was written: forget the in-memory effects. Member commands stay
			// in their docs and are sequenced again when the doc next loads.
			this.ignored.clear();
			this.log('error', 'sequencer commit failed', { roundId: runtime.roundId, error: String(error) });
			runtime.state = replay(this.store.ledger.entries(runtime.roundId));
			return;
		}
		this.publish(runtime, done);
	}

	private logIgnored(roundId: string): void {
		for (const [memberId, count] of this.ignored) this.log('warn', 'commands without a valid id ignored', { roundId, memberId, count });
		this.ignored.clear();
	}

	private runJob(runtime: Runtime, job: Job, done: Done[]): void {
		if (job.kind === 'system') {
			// An id already in the command table (a scheduled transition another timer or server ran) is done.
			if (this.store.ledger.command(runtime.roundId, job.command.id)) return;
			const result = this.run(runtime, job.command, { kind: 'system' }, null);
			if (job.command.type === 'join') result.joined = job.command.memberId;
			done.push(result);
		} else if (job.kind === 'buckets') {
			for (const id of job.ids) for (const command of this.bucketCommands(runtime, id)) {
				const result = this.run(runtime, command, { kind: 'system' }, null);
				const receipt = command.type === 'setGoals' ? this.goalsReceipt(runtime, command, result.outcome, job.memberId) : undefined;
				done.push({ entries: result.entries, receipt });
			}
		} else if (job.kind === 'comments') {
			const notify: Outbox = new Map();
			const at = Date.now();
			for (const { bucketId } of job.comments) commentNotifications(runtime.state, bucketId as BucketId, job.memberId, at, notify);
			done.push({ entries: [], notify });
		} else {
			const result = this.runMember(runtime, job.memberId, job.raw);
			if (result) done.push(result);
		}
	}

	private runMember(runtime: Runtime, memberId: string, raw: unknown): Done | undefined {
		const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
		if (!isId(id)) {
			this.ignored.set(memberId, (this.ignored.get(memberId) ?? 0) + 1);
			return undefined;
		}
		const once = `${memberId}/${id}`;
		if (this.receiptsNow.has(once)) return undefined;
		this.receiptsNow.add(once);
		const previous = this.store.ledger.command(runtime.roundId, id);
		if (previous) {
			// Processed before: only give back a receipt the member doc lost (e.g. a stop right after the
			// commit). Another member's id gets a refusal, so that the author does not wait forever.
			const receipted = this.receipted.get(memberRoom(runtime.roundId, memberId));
			if (!receipted || receipted.has(id)) return undefined;
			const receipt: Receipt =
				previous.memberId === memberId ? receiptFromRow(previous) : { commandId: id as CommandId, ok: false, reason: 'duplicate' };
			return { entries: [], receipt: { memberId, receipt } };
		}
		const parsed = parseCommand(raw);
		if (!parsed.ok) {
			const row: CommandRow = { id, memberId, type: 'invalid', ok: false, accepted: null, reason: 'invalid', seq: null };
			this.store.ledger.recordCommand(runtime.roundId, row, this.now());
			return { entries: [], receipt: { memberId, receipt: receiptFromRow(row) } };
		}
		if (!this.imagesStored(runtime.roundId, parsed.command)) {
			const row: CommandRow = { id, memberId, type: parsed.command.type, ok: false, accepted: null, reason: 'unknown_image', seq: null };
			this.store.ledger.recordCommand(runtime.roundId, row, Date.now());
			return { entries: [], receipt: { memberId, receipt: receiptFromRow(row) } };
		}
		const member = this.store.accounts.member(runtime.roundId, memberId);
		const actor: Actor = { kind: 'member', memberId: memberId as MemberId, role: member?.role ?? 'member' };
		return this.run(runtime, parsed.command, actor, memberId);
	}

	private run(runtime: Runtime, command: Command, actor: Actor, memberId: string | null): Done & { outcome: Outcome } {
		const at = this.now();
		const { outcome, entries } = apply(runtime.state, command, actor, at);
		for (const entry of entries) {
			this.store.ledger.append(runtime.roundId, entry);
			if (entry.schedule) this.store.schedules.replace(runtime.roundId, entry.schedule);
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
		this.store.ledger.recordCommand(runtime.roundId, row, at);
		if (!outcome.ok && actor.kind === 'system') {
			this.log('info', 'system command refused', { roundId: runtime.roundId, type: command.type, reason: outcome.reason });
		}
		return { entries, outcome, receipt: memberId === null ? undefined : { memberId, receipt: receiptFromRow(row) } };
	}

	/**
	 * Every file a command shows (a bucket's image, an expense's receipt) was stored by this round's
	 * upload route (PROTOCOL §9): a command cannot make members' browsers fetch a name the server
	 * never checked, nor one of another round.
	 */
	private imagesStored(roundId: string, command: MemberCommand): boolean {
		const image = command.type === 'addImage' ? command.image : command.type === 'recordExpense' ? command.receipt : undefined;
		return image === undefined || image.variants.every((variant) => this.store.blobs.has(roundId, variant.hash));
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
	private bucketCommands(runtime: Runtime, id: string): SystemCommand[] {
		const bucketId = id as BucketId;
		const bucket = this.roundDoc(runtime.roundId).doc.getMap('buckets').get(id);
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
	private publish(runtime: Runtime, done: Done[]): void {
		const { roundId, state } = runtime;
		const entries = done.flatMap((result) => result.entries);
		if (entries.length > 0) {
			const round = this.roundDoc(roundId);
			round.write(() => {
				if (entries.some((entry) => entry.type === 'configure' && entry.settings?.transparency !== undefined)) {
					// The replica's past entries must now show (or hide) who moved money.
					project.repairLedger(round, state, this.store.ledger.entries(roundId));
				}
				project.appendLedger(round, state, entries);
				if (entries.some((entry) => entry.type === 'open' || entry.type === 'configure' || entry.type === 'phase')) {
					project.writeSettings(round, state);
				}
				if (entries.some((entry) => entry.type === 'schedule')) this.scheduleChanged();
				if (entries.some((entry) => entry.type === 'phase')) project.writeOutcomes(round, state, this.store.ledger.entries(roundId));
				for (const bucketId of new Set(entries.flatMap((entry) => (entry.bucketId ? [entry.bucketId] : [])))) {
					project.writeBucket(round, state, bucketId);
				}
				for (const result of done) {
					const member = result.joined && this.store.accounts.member(roundId, result.joined);
					if (member) project.writeMember(round, member);
				}
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
			const room = this.rooms.get(name, { kind: 'member', roundId, memberId });
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
	memberChanged(roundId: string, memberId: string): void {
		const member = this.store.accounts.member(roundId, memberId);
		if (!member) return;
		const round = this.roundDoc(roundId);
		round.write(() => project.writeMember(round, member));
	}

	private roundDoc(roundId: string): Room {
		return this.rooms.get(roundRoom(roundId), { kind: 'round', roundId });
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
