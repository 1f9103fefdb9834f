// A realistic, reproducible round for the domain benchmarks: 500 members (5 facilitators) and
// 200 buckets set up, then mostly contributions, some withdrawals, top-ups, co-owner requests,
// a rare cancel, retried (duplicate) and invalid commands. Of 10,000 commands about a quarter are
// refused; by 100,000 most wallets have run dry and about three quarters are (insufficient_balance,
// wrong_status on funded buckets), which is what a saturated round looks like.
import { apply, emptyState } from '../src/lib/domain/reducer.js';
import type { Actor, Amount, BucketId, Command, LedgerEntry, MemberId } from '../src/lib/domain/types.js';

export interface Workload {
	items: { command: Command; actor: Actor }[];
	ledger: LedgerEntry[];
}

const MEMBERS = 500;
const FACILITATORS = 5;
const BUCKETS = 200;

/** mulberry32: a tiny seeded generator, so every run measures the same commands. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function workload(commands: number, seed = 42): Workload {
	const rnd = random(seed);
	const pick = (n: number) => Math.floor(rnd() * n);
	const memberId = (i: number) => `member-${String(i).padStart(6, '0')}` as MemberId;
	const bucketId = (i: number) => `bucket-${String(i).padStart(6, '0')}` as BucketId;
	const member = (i: number): Actor => ({ kind: 'member', memberId: memberId(i), role: i < FACILITATORS ? 'facilitator' : 'member' });
	const system: Actor = { kind: 'system' };
	const items: Workload['items'] = [];
	const push = (actor: Actor, body: Record<string, unknown>) =>
		items.push({ actor, command: { ...body, id: `cmd-${String(items.length).padStart(8, '0')}`, at: 1_700_000_000_000 + items.length } as Command });

	push(system, {
		type: 'open',
		settings: {
			name: 'Assemblée 2026',
			currency: 'EUR',
			locale: 'fr-FR',
			phase: 'proposing',
			defaultAllocation: 20_000,
			maxPerMemberPerBucket: 5_000,
			transparency: 'named',
			requireApproval: false
		}
	});
	for (let m = 0; m < MEMBERS; m++) push(system, { type: 'join', memberId: memberId(m) });
	for (let b = 0; b < BUCKETS; b++) {
		const owner = pick(MEMBERS);
		const minGoal = 5_000 + pick(45_000);
		push(system, { type: 'create', bucketId: bucketId(b), memberId: memberId(owner) });
		push(system, { type: 'setGoals', bucketId: bucketId(b), minGoal, maxGoal: minGoal + pick(200_000) });
		push(member(owner), { type: 'publish', bucketId: bucketId(b) });
	}
	push(member(0), { type: 'setPhase', phase: 'funding' });

	while (items.length < commands) {
		const r = rnd();
		const who = pick(MEMBERS);
		const bucket = bucketId(pick(BUCKETS));
		if (r < 0.7) push(member(who), { type: 'contribute', bucketId: bucket, amount: (1 + pick(40)) * 50 });
		else if (r < 0.85) push(member(who), { type: 'withdraw', bucketId: bucket, amount: (1 + pick(40)) * 50 });
		else if (r < 0.9) push(member(pick(FACILITATORS)), { type: 'allocate', memberId: memberId(who), amount: 1_000, mode: 'add' });
		else if (r < 0.9005) push(member(pick(FACILITATORS)), { type: 'cancel', bucketId: bucket });
		else if (r < 0.95) push(member(who), { type: 'addOwner', bucketId: bucket, memberId: memberId(pick(MEMBERS)) });
		else if (r < 0.98) items.push(items[pick(items.length)] as Workload['items'][number]);
		else push(member(who), { type: 'contribute', bucketId: bucket, amount: -1 as unknown as Amount });
	}

	const state = emptyState();
	const ledger: LedgerEntry[] = [];
	items.forEach(({ command, actor }, i) => ledger.push(...apply(state, command, actor, 1_700_000_000_000 + i).entries));
	return { items, ledger };
}
