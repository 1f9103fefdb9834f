// DESIGN §3 invariants, checked after every command of random rounds: in order, and with the same
// commands shuffled and duplicated (offline members reconnecting in any order, retries).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { decideMember } from './member-decide.js';
import { apply, balance, decide, replay } from './reducer.js';
import { committed } from './rules-expenses.js';
import { MAX_IMAGES_PER_BUCKET } from './rules-images.js';
import { REVIEW_LIMITS, TAG_COLOURS, openFlagsBy } from './review.js';
import type {
	Actor,
	Amount,
	BlobHash,
	BucketId,
	Command,
	Configurable,
	ExpenseId,
	FlagId,
	GuidelineId,
	ImageRef,
	LedgerEntry,
	MemberCommand,
	MemberId,
	RoundState,
	SystemCommand,
	TagId
} from './types.js';

const NUM_RUNS = 1000;
/** A thousand random rounds take about 2 s alone, much longer on a busy 2-core machine. */
const HEAVY = 60_000;
const MEMBER_POOL = 10;
const BUCKET_POOL = 6;
const memberId = (i: number) => `member-m${i}` as MemberId;
const tagId = (i: number) => `tag-t${i}xxxxxx` as TagId;
const bucketId = (i: number) => `bucket-b${i}` as BucketId;

interface Item {
	command: Command;
	actor: Actor;
}
type Body<C> = C extends unknown ? Omit<C, 'id' | 'at'> : never;

// Mostly members and buckets that exist (every round has members 0–2 and buckets 0–1), sometimes not.
const who = fc.oneof({ weight: 8, arbitrary: fc.nat(2) }, { weight: 3, arbitrary: fc.nat(MEMBER_POOL - 1) });
const which = fc.oneof({ weight: 8, arbitrary: fc.nat(1) }, { weight: 2, arbitrary: fc.nat(BUCKET_POOL - 1) });
const money = fc.integer({ min: 1, max: 3_000 });
const expenseId = (i: number) => `expense-e${i}` as ExpenseId;
const hashOf = (i: number) => i.toString(16).padStart(64, '0') as BlobHash;
const imageOf = (i: number): ImageRef => ({ alt: '', variants: [{ width: 320, height: 240, hash: hashOf(i) }] });
const expense = fc.nat(7);

/** One random thing that can happen in a round, valid or not. */
const spec = fc.oneof(
	{ weight: 8, arbitrary: fc.record({ k: fc.constant('contribute' as const), who, b: which, amount: money }) },
	{ weight: 3, arbitrary: fc.record({ k: fc.constant('withdraw' as const), who, b: which, amount: money }) },
	{ weight: 2, arbitrary: fc.record({ k: fc.constantFrom('publish', 'approve', 'complete', 'cancel', 'markPaid'), who, b: which }) },
	{ weight: 1, arbitrary: fc.record({ k: fc.constant('addOwner' as const), who, b: which, m: who }) },
	{ weight: 2, arbitrary: fc.record({ k: fc.constant('allocate' as const), who, m: who, amount: fc.nat(6_000), set: fc.boolean() }) },
	{
		weight: 1,
		arbitrary: fc.record({
			k: fc.constant('configure' as const),
			who,
			patch: fc.oneof(
				fc.record({ maxPerMemberPerBucket: fc.option(fc.integer({ min: 100, max: 3_000 }), { nil: null }) }),
				fc.record({ defaultAllocation: fc.nat(5_000) }),
				fc.record({ currency: fc.constantFrom('EUR', 'CHF') }),
				fc.record({ requireApproval: fc.boolean() }),
				fc.record({ transparency: fc.constantFrom('named', 'anonymous') })
			)
		})
	},
	{ weight: 1, arbitrary: fc.record({ k: fc.constant('setPhase' as const), who, phase: fc.constantFrom('proposing', 'funding', 'funding', 'funding', 'funding', 'closed') }) },
	{ weight: 2, arbitrary: fc.record({ k: fc.constant('setGoals' as const), b: which, min: fc.nat(5_000), extra: fc.nat(3_000) }) },
	{ weight: 1, arbitrary: fc.record({ k: fc.constant('join' as const), m: who }) },
	{ weight: 1, arbitrary: fc.record({ k: fc.constant('create' as const), b: which, m: who }) },
	{
		weight: 2,
		arbitrary: fc.record({
			k: fc.constant('import' as const),
			who,
			rows: fc.array(fc.record({ m: who, amount: fc.nat(6_000), set: fc.boolean() }), { minLength: 1, maxLength: 3 })
		})
	},
	// §12 schedule: dates near the steps' clock (10 000 + step), some passed, and the server's transitions at them.
	{
		weight: 1,
		arbitrary: fc.record({
			k: fc.constant('schedule' as const),
			who,
			opens: fc.constantFrom(null, 10_010, 10_030),
			closes: fc.constantFrom(null, 10_020, 10_040, 10_060)
		})
	},
	{ weight: 1, arbitrary: fc.record({ k: fc.constant('advance' as const), closing: fc.boolean(), due: fc.constantFrom(10_010, 10_020, 10_030, 10_040, 10_060) }) },
	{ weight: 1, arbitrary: fc.record({ k: fc.constant('badAmount' as const), who, b: which, amount: fc.constantFrom(-5, 0, 1.5, Number.NaN, 2 ** 60) }) },
	{ weight: 1, arbitrary: fc.record({ k: fc.constant('wrongActor' as const), who, b: which }) },
	{ weight: 3, arbitrary: fc.record({ k: fc.constant('repeat' as const), ref: fc.nat(), who: fc.option(who, { nil: undefined }) }) },
	{ weight: 3, arbitrary: fc.record({ k: fc.constant('recordExpense' as const), who, b: which, e: expense, amount: money }) },
	{ weight: 3, arbitrary: fc.record({ k: fc.constantFrom('approveExpense', 'rejectExpense', 'payExpense'), who, b: which, e: expense }) },
	{ weight: 2, arbitrary: fc.record({ k: fc.constantFrom('addImage', 'removeImage'), who, b: which, image: fc.nat(8) }) },
	{
		weight: 3,
		arbitrary: fc.record({
			k: fc.constantFrom('defineTag', 'defineGuideline', 'tagBucket', 'raiseFlag', 'resolveFlag'),
			who,
			b: which,
			t: fc.nat(6),
			ref: fc.nat()
		})
	}
);
type Spec = typeof spec extends fc.Arbitrary<infer S> ? S : never;

const scenario = fc.record({
	members: fc.integer({ min: 3, max: 8 }),
	facilitators: fc.integer({ min: 1, max: 2 }),
	buckets: fc.integer({ min: 2, max: 4 }),
	defaultAllocation: fc.constantFrom(0, 500, 2_000, 5_000),
	cap: fc.option(fc.integer({ min: 200, max: 3_000 }), { nil: null }),
	requireApproval: fc.boolean(),
	transparency: fc.constantFrom('named', 'anonymous'),
	goals: fc.array(fc.tuple(fc.integer({ min: 1, max: 5_000 }), fc.nat(3_000)), { minLength: BUCKET_POOL, maxLength: BUCKET_POOL }),
	specs: fc.array(spec, { minLength: 10, maxLength: 60, size: 'max' })
});
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

/** The round's `open` command, then the body: setup (joins, buckets, funding phase) and random specs. */
function build(s: Scenario): { open: Item; body: Item[] } {
	let n = 0;
	const system = (body: Body<SystemCommand>): Item => ({
		command: { ...body, id: `cmd-${String(++n).padStart(5, '0')}`, at: n } as Command,
		actor: { kind: 'system' }
	});
	const by = (i: number, body: Body<MemberCommand>): Item => ({
		command: { ...body, id: `cmd-${String(++n).padStart(5, '0')}`, at: n } as Command,
		actor: { kind: 'member', memberId: memberId(i), role: i < s.facilitators ? 'facilitator' : 'member' }
	});
	const open = system({
		type: 'open',
		settings: {
			name: 'Round',
			currency: 'EUR',
			locale: 'fr-FR',
			phase: 'proposing',
			defaultAllocation: s.defaultAllocation as Amount,
			maxPerMemberPerBucket: s.cap as Amount | null,
			transparency: s.transparency,
			requireApproval: s.requireApproval
		}
	});
	const body: Item[] = [];
	for (let m = 0; m < s.members; m++) body.push(system({ type: 'join', memberId: memberId(m) }));
	for (let b = 0; b < s.buckets; b++) {
		const [min, extra] = s.goals[b] as [number, number];
		const owner = b % s.members;
		body.push(system({ type: 'create', bucketId: bucketId(b), memberId: memberId(owner) }));
		body.push(system({ type: 'setGoals', bucketId: bucketId(b), minGoal: min as Amount, maxGoal: (min + extra) as Amount }));
		body.push(by(owner, { type: 'publish', bucketId: bucketId(b) }));
		if (s.requireApproval) body.push(by(0, { type: 'approve', bucketId: bucketId(b) }));
	}
	body.push(by(0, { type: 'setPhase', phase: 'funding' }));
	for (const x of s.specs) body.push(fromSpec(x, body, by, system));
	return { open, body };
}

function fromSpec(
	x: Spec,
	earlier: Item[],
	by: (i: number, body: Body<MemberCommand>) => Item,
	system: (body: Body<SystemCommand>) => Item
): Item {
	switch (x.k) {
		case 'contribute':
		case 'withdraw':
			return by(x.who, { type: x.k, bucketId: bucketId(x.b), amount: x.amount as Amount });
		case 'publish':
		case 'approve':
		case 'complete':
		case 'cancel':
		case 'markPaid':
			return by(x.who, { type: x.k, bucketId: bucketId(x.b) });
		case 'addOwner':
			return by(x.who, { type: 'addOwner', bucketId: bucketId(x.b), memberId: memberId(x.m) });
		case 'allocate':
			return by(x.who, { type: 'allocate', memberId: memberId(x.m), amount: x.amount as Amount, mode: x.set ? 'set' : 'add' });
		case 'configure':
			return by(x.who, { type: 'configure', settings: x.patch as Partial<Configurable> });
		case 'setPhase':
			return by(x.who, { type: 'setPhase', phase: x.phase });
		case 'setGoals':
			return system({ type: 'setGoals', bucketId: bucketId(x.b), minGoal: x.min as Amount, maxGoal: (x.min + x.extra) as Amount });
		case 'join':
			return system({ type: 'join', memberId: memberId(x.m) });
		case 'create':
			return system({ type: 'create', bucketId: bucketId(x.b), memberId: memberId(x.m) });
		case 'import':
			return by(x.who, {
				type: 'importAllocations',
				rows: x.rows.map((r) => ({ memberId: memberId(r.m), amount: r.amount as Amount, mode: r.set ? 'set' : 'add' }))
			});
		case 'schedule':
			return by(x.who, { type: 'schedule', schedule: { zone: 'Europe/Paris', proposalsClose: null, fundingOpens: x.opens, fundingCloses: x.closes } });
		case 'advance':
			return system({ type: 'advance', transition: x.closing ? 'fundingCloses' : 'fundingOpens', due: x.due });
		case 'badAmount':
			return by(x.who, { type: 'contribute', bucketId: bucketId(x.b), amount: x.amount as Amount });
		case 'wrongActor': {
			const item = by(x.who, { type: 'publish', bucketId: bucketId(x.b) });
			return { command: item.command, actor: { kind: 'system' } };
		}
		case 'recordExpense':
			return by(x.who, { type: 'recordExpense', bucketId: bucketId(x.b), expenseId: expenseId(x.e), label: 'Wood', amount: x.amount as Amount });
		case 'approveExpense':
		case 'payExpense':
			return by(x.who, { type: x.k, bucketId: bucketId(x.b), expenseId: expenseId(x.e) });
		case 'rejectExpense':
			return by(x.who, { type: 'rejectExpense', bucketId: bucketId(x.b), expenseId: expenseId(x.e), note: 'No receipt' });
		case 'addImage':
			return by(x.who, { type: 'addImage', bucketId: bucketId(x.b), image: imageOf(x.image) });
		case 'removeImage':
			return by(x.who, { type: 'removeImage', bucketId: bucketId(x.b), hash: hashOf(x.image) });
		case 'defineTag':
			return by(x.who, { type: 'defineTag', tag: { id: tagId(x.t), name: `Tag ${x.t}`, colour: TAG_COLOURS[x.t % TAG_COLOURS.length]! } });
		case 'defineGuideline':
			return by(x.who, { type: 'defineGuideline', guideline: { id: `guide-g${x.t}xxxx` as GuidelineId, title: `Rule ${x.t}`, text: '' } });
		case 'tagBucket':
			return by(x.who, { type: 'tagBucket', bucketId: bucketId(x.b), tags: [tagId(x.t), tagId((x.t + 1) % 7)].slice(0, 1 + (x.ref % 2)) });
		case 'raiseFlag':
			return by(x.who, { type: 'raiseFlag', bucketId: bucketId(x.b), guidelineId: `guide-g${x.t}xxxx` as GuidelineId, text: 'Why' });
		case 'resolveFlag': {
			// Mostly a flag raised earlier (its command id), sometimes any other id.
			const flagId = (earlier[x.ref % earlier.length] as Item).command.id as string as FlagId;
			return by(x.who, { type: 'resolveFlag', flagId, text: 'Done' });
		}
		case 'repeat': {
			// The same command again (same id), possibly sent through another member's connection.
			const again = earlier[x.ref % earlier.length] as Item;
			return x.who === undefined ? again : { command: again.command, actor: by(x.who, { type: 'publish', bucketId: bucketId(0) }).actor };
		}
	}
}

/** A strict, order-preserving rendering of a state, to compare a replay with the live state. */
function canonical(state: RoundState): string {
	return JSON.stringify(state, (_key, value: unknown) => {
		if (value instanceof Map) return [...value.entries()];
		if (value instanceof Set) return [...value.values()];
		return value;
	});
}

function fail(rule: string, step: number, item: Item, detail: string): never {
	throw new Error(`${rule} broken at step ${step} by ${JSON.stringify(item.command)} from ${JSON.stringify(item.actor)}: ${detail}`);
}

const LOCKED = new Set(['funded', 'completed']);

/** What the budget, paid-out and transparency rules compare across one step. */
interface Before {
	buckets: Map<BucketId, { status: string; total: number; othersMoney: boolean; paid: boolean }>;
	requireApproval: boolean;
	transparency: string;
	contributed: boolean;
}

function snapshot(state: RoundState): Before {
	const buckets: Before['buckets'] = new Map();
	for (const [id, b] of state.buckets) {
		const funders = [...(state.contributions.get(id)?.keys() ?? [])];
		buckets.set(id, { status: b.status, total: b.total, othersMoney: funders.some((m) => !b.owners.includes(m)), paid: b.paidAt !== undefined });
	}
	const { requireApproval, transparency } = state.settings;
	return { buckets, requireApproval, transparency, contributed: state.contributed };
}

/**
 * Budget governance, paid buckets and transparency (PROTOCOL §5): an open bucket's goals change
 * only back to `idea` (approval required, and it held no money) or without locking others' money
 * (no approval); a stretch is never below the need; a paid bucket takes no more; and anonymity,
 * once money moved, is never lifted.
 */
function checkGovernance(before: Before, state: RoundState, item: Item, entries: LedgerEntry[], step: number): void {
	for (const [id, b] of state.buckets) {
		if (b.maxGoal < b.minGoal) fail('stretch is never below the need', step, item, `${id}: ${b.maxGoal} < ${b.minGoal}`);
		const was = before.buckets.get(id);
		if (was?.paid && b.total > was.total) fail('a paid bucket takes no more money', step, item, `${id}: ${was.total} → ${b.total}`);
	}
	const goals = entries.find((e) => e.type === 'goals');
	const was = goals?.bucketId === undefined ? undefined : before.buckets.get(goals.bucketId);
	if (goals && was?.status === 'open') {
		const now = state.buckets.get(goals.bucketId as BucketId);
		if (before.requireApproval && (was.total > 0 || now?.status !== 'idea')) {
			fail('an approved bucket’s new goals need a new approval', step, item, JSON.stringify(entries));
		}
		if (was.othersMoney && entries.some((e) => e.type === 'settle')) {
			fail('a goal change never locks other members’ money', step, item, JSON.stringify(entries));
		}
	}
	if (before.contributed && before.transparency === 'anonymous' && state.settings.transparency === 'named') {
		fail('anonymity is never lifted once money moved', step, item, JSON.stringify(entries));
	}
}

/**
 * Expenses and images (PROTOCOL §9–§10): a bucket never commits more than it holds (so `left` is
 * never negative), every expense amount is a positive integer, only an approved expense is paid,
 * and a bucket shows at most MAX_IMAGES_PER_BUCKET images, each once.
 */
function checkSpending(before: RoundState['buckets'], state: RoundState, item: Item, entries: LedgerEntry[], step: number): void {
	for (const [id, b] of state.buckets) {
		if (committed(b) > b.total) fail('§12 expenses never above funded', step, item, `${id}: ${committed(b)} > ${b.total}`);
		for (const e of b.expenses ?? []) {
			if (!Number.isSafeInteger(e.amount) || e.amount <= 0) fail('§12 expense amounts are positive integers', step, item, JSON.stringify(e));
		}
		const names = (b.images ?? []).map((image) => image.variants.at(-1)?.hash);
		if (names.length > MAX_IMAGES_PER_BUCKET || new Set(names).size !== names.length) {
			fail('§12 at most N images per bucket, each once', step, item, `${id}: ${names.join(',')}`);
		}
	}
	for (const e of entries) {
		if (e.type !== 'expenseStatus' || e.expenseStatus !== 'paid') continue;
		const was = before.get(e.bucketId as BucketId)?.expenses?.find((x) => x.id === e.expenseId);
		if (was?.status !== 'approved') fail('§12 only approved expenses are paid', step, item, JSON.stringify(e));
	}
}

/**
 * The review flow (§12): a bucket carries defined tags only, each once, at most `bucketTags`; no
 * member has more than `openFlagsPerMember` open flags; a flag cites a defined guideline.
 */
function checkReview(state: RoundState, item: Item, step: number): void {
	const { review } = state;
	for (const [id, b] of state.buckets) {
		if (new Set(b.tags).size !== b.tags.length || b.tags.length > REVIEW_LIMITS.bucketTags || !b.tags.every((t) => review.tags.has(t))) {
			fail('§12 a bucket carries defined tags only, each once, a few', step, item, `${id}: ${JSON.stringify(b.tags)}`);
		}
	}
	for (const memberId of state.members.keys()) {
		if (openFlagsBy(review, memberId) > REVIEW_LIMITS.openFlagsPerMember) fail('§12 open flags per member are bounded', step, item, memberId);
	}
	for (const flag of review.flags.values()) {
		if (!review.guidelines.has(flag.guidelineId) || !state.buckets.has(flag.bucketId)) fail('§12 a flag cites a guideline of a bucket', step, item, flag.id);
	}
}

/** Applies every item in order from a fresh state, checking every §3 invariant after each step. */
function runChecked(items: Item[]): void {
	const ledger: LedgerEntry[] = [];
	let state = replay([]);
	let allocated = 0;
	items.forEach((item, step) => {
		const wasApplied = state.applied.has(item.command.id);
		const seqBefore = state.seq;
		const lockedBefore = new Map<BucketId, number>();
		for (const [id, b] of state.buckets) if (LOCKED.has(b.status)) lockedBefore.set(id, b.total);
		const prior = snapshot(state);
		const bucketsBefore = new Map([...state.buckets].map(([id, b]) => [id, { ...b }]));

		const result = apply(state, item.command, item.actor, 10_000 + step);
		state = result.state;
		ledger.push(...result.entries);
		for (const e of result.entries) if (e.type === 'allocate') allocated += e.amount;

		const answer = JSON.stringify({ outcome: result.outcome, entries: result.entries });
		if (wasApplied && (result.outcome.ok || result.outcome.reason !== 'duplicate' || result.entries.length > 0 || state.seq !== seqBefore)) {
			fail('§3 duplicate ids have no effect', step, item, answer);
		}
		if (!result.outcome.ok && result.entries.length > 0) fail('refused commands produce no entries', step, item, answer);
		checkGovernance(prior, state, item, result.entries, step);
		checkSpending(bucketsBefore, state, item, result.entries, step);
		checkReview(state, item, step);
		result.entries.forEach((e, i) => e.seq !== seqBefore + i + 1 && fail('entries are numbered in order', step, item, JSON.stringify(e)));

		let balances = 0;
		let totals = 0;
		const spentByMember = new Map<MemberId, number>();
		for (const [id, b] of state.buckets) {
			const own = state.contributions.get(id) ?? new Map<MemberId, Amount>();
			let sum = 0;
			for (const [m, amount] of own) {
				if (!(amount > 0)) fail('§3 no negative money', step, item, `${m} has ${amount} in ${id}`);
				const cap = state.settings.maxPerMemberPerBucket;
				if (cap !== null && amount > cap && (b.status === 'open' || b.status === 'funded')) {
					fail('§3 no member above the per-bucket cap', step, item, `${m} has ${amount} > ${cap} in ${id}`);
				}
				sum += amount;
				spentByMember.set(m, (spentByMember.get(m) ?? 0) + amount);
			}
			if (sum !== b.total) fail('§3 bucket total = Σ its contributions', step, item, `${id}: ${b.total} vs ${sum}`);
			if (b.total > b.maxGoal) fail('§3 no bucket total above its maxGoal', step, item, `${id}: ${b.total} > ${b.maxGoal}`);
			if ((b.status === 'cancelled' || b.status === 'unfunded') && b.total !== 0) {
				fail('§3 cancelled/unfunded buckets hold 0', step, item, `${id}: ${b.total}`);
			}
			const before = lockedBefore.get(id);
			const facilitatorCancel = item.command.type === 'cancel' && item.actor.kind === 'member' && item.actor.role === 'facilitator';
			if (before !== undefined && (b.total < before || !LOCKED.has(b.status)) && !facilitatorCancel) {
				fail('§3 funded buckets never lose money except by facilitator cancel', step, item, `${id}: ${before} → ${b.total} (${b.status})`);
			}
			totals += b.total;
		}
		for (const [m, account] of state.members) {
			const own = balance(state, m);
			if (own < 0) fail('§3 no member balance below 0', step, item, `${m}: ${own}`);
			if (account.spent !== (spentByMember.get(m) ?? 0)) fail('§3 spent = Σ own money in buckets', step, item, `${m}: ${account.spent}`);
			balances += own;
		}
		if (allocated !== balances + totals) {
			fail('§3 conservation', step, item, `Σ allocations ${allocated} ≠ Σ balances ${balances} + Σ totals ${totals}`);
		}
		const replayed = canonical(replay(ledger));
		if (replayed !== canonical(state)) fail('§3 replay reproduces the state', step, item, `${replayed} vs ${canonical(state)}`);
	});
}

/**
 * The same commands in another order, some of them several times (retries after reconnection).
 * Half of the runs shuffle everything (members joining after their own commands arrive); the other
 * half keep the setup in place and shuffle what members do, so that money really moves.
 */
const reordered = scenario.chain((s) => {
	const { open, body } = build(s);
	const setup = body.length - s.specs.length;
	return fc
		.tuple(fc.boolean(), fc.array(fc.tuple(fc.nat(body.length - 1), fc.nat(body.length)), { maxLength: 12 }))
		.chain(([all, copies]) => {
			const fixed = all ? [] : body.slice(0, setup);
			const moving = all ? body : body.slice(setup);
			return fc.shuffledSubarray(moving, { minLength: moving.length, maxLength: moving.length }).map((shuffled) => {
				const items = [...fixed, ...shuffled];
				for (const [from, to] of copies) items.splice(to, 0, body[from] as Item);
				return [open, ...items];
			});
		});
});

describe('reducer properties (DESIGN §3)', () => {
	it('§3 the preview’s decideMember decides every command a member writes as decide does, but configure and schedule (not applied)', () => {
		fc.assert(
			fc.property(scenario, (s) => {
				const { open, body } = build(s);
				const state = apply(replay([]), open.command, open.actor, 10_000).state;
				for (const [step, item] of body.entries()) {
					const at = 10_001 + step;
					const expected = decide(state, item.command, item.actor, at);
					const previewed = decideMember(state, item.command, item.actor, at);
					if (item.actor.kind !== 'member') {
						// System commands are the server's own: a member's preview never sees them.
					} else if (item.command.type === 'configure' || item.command.type === 'schedule') {
						if (previewed.outcome.ok) fail('§3 preview leaves configure and schedule to the server', step, item, 'applied');
					} else if (JSON.stringify(previewed) !== JSON.stringify(expected)) {
						fail('§3 preview decides like the server', step, item, `${JSON.stringify(previewed)} vs ${JSON.stringify(expected)}`);
					}
					apply(state, item.command, item.actor, at);
				}
			}),
			{ numRuns: NUM_RUNS / 4 }
		);
	});

	it('§3 invariants hold after every command, in order: conservation, no negative balance, maxGoal, cap, funded money locked, duplicates, replay, budget governance, paid, transparency, expenses, images', () => {
		fc.assert(
			fc.property(scenario, (s) => {
				const { open, body } = build(s);
				runChecked([open, ...body]);
			}),
			{ numRuns: NUM_RUNS, verbose: 1 }
		);
	}, HEAVY);

	it('§3 the same commands shuffled and duplicated also keep every invariant after every step', () => {
		fc.assert(
			fc.property(reordered, runChecked),
			{ numRuns: NUM_RUNS, verbose: 1 }
		);
	}, HEAVY);
});
