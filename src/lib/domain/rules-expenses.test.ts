import { describe, expect, it } from 'vitest';
import { apply, cloneState, emptyState, replay } from './reducer.js';
import { expenseTotals } from './rules-expenses.js';
import { MAX_IMAGES_PER_BUCKET } from './rules-images.js';
import type { Actor, Amount, BlobHash, BucketId, Command, ExpenseId, ImageRef, LedgerEntry, MemberCommand, MemberId, SystemCommand } from './types.js';

const F = 'facilitator-1' as MemberId;
const A = 'member-alice' as MemberId;
const B = 'member-bobby' as MemberId;
const BK = 'bucket-garden' as BucketId;
const E1 = 'expense-00001' as ExpenseId;
const E2 = 'expense-00002' as ExpenseId;
const $ = (n: number) => n as Amount;
type Body<C> = C extends unknown ? Omit<C, 'id' | 'at'> : never;
const image = (i: number): ImageRef => ({
	alt: '',
	variants: [
		{ width: 320, height: 240, hash: `${i}`.padStart(64, 'a') as BlobHash },
		{ width: 800, height: 600, hash: `${i}`.padStart(64, 'b') as BlobHash }
	]
});

/** A round where Alice's garden bucket is funded with 3,000 (Alice 1,000, Bobby 2,000). */
function fundedRound() {
	const state = emptyState();
	const ledger: LedgerEntry[] = [];
	let n = 0;
	const run = (command: Body<Command>, actor: Actor) => {
		const result = apply(state, { ...command, id: `command-${String(++n).padStart(4, '0')}`, at: 0 } as Command, actor, 1_000 + n);
		ledger.push(...result.entries);
		return result;
	};
	const sys = (body: Body<SystemCommand>) => run(body, { kind: 'system' });
	const by = (memberId: MemberId, body: Body<MemberCommand>) => run(body, { kind: 'member', memberId, role: memberId === F ? 'facilitator' : 'member' });
	sys({
		type: 'open',
		settings: { name: 'R', currency: 'EUR', locale: 'en', phase: 'proposing', defaultAllocation: $(5_000), maxPerMemberPerBucket: null, transparency: 'anonymous', requireApproval: false }
	});
	for (const m of [F, A, B]) sys({ type: 'join', memberId: m });
	sys({ type: 'create', bucketId: BK, memberId: A });
	sys({ type: 'setGoals', bucketId: BK, minGoal: $(3_000), maxGoal: $(3_000) });
	return { state, ledger, sys, by };
}

function funded() {
	const r = fundedRound();
	r.by(A, { type: 'publish', bucketId: BK });
	r.by(F, { type: 'setPhase', phase: 'funding' });
	r.by(A, { type: 'contribute', bucketId: BK, amount: $(1_000) });
	r.by(B, { type: 'contribute', bucketId: BK, amount: $(2_000) });
	return r;
}

describe('expenses (PROTOCOL §10)', () => {
	it('§12 expenses: only once funded, only by an owner, positive, within the funded total', () => {
		const r = fundedRound();
		expect(r.by(A, { type: 'recordExpense', bucketId: BK, expenseId: E1, label: 'Seeds', amount: $(500) }).outcome).toEqual({ ok: false, reason: 'wrong_status' });
		const f = funded();
		expect(f.by(B, { type: 'recordExpense', bucketId: BK, expenseId: E1, label: 'Seeds', amount: $(500) }).outcome).toEqual({ ok: false, reason: 'not_owner' });
		expect(f.by(A, { type: 'recordExpense', bucketId: BK, expenseId: E1, label: 'Seeds', amount: $(0) }).outcome).toEqual({ ok: false, reason: 'invalid' });
		expect(f.by(A, { type: 'recordExpense', bucketId: BK, expenseId: E1, label: 'Seeds', amount: $(2_500), receipt: image(1) }).outcome.ok).toBe(true);
		expect(f.by(A, { type: 'recordExpense', bucketId: BK, expenseId: E1, label: 'Again', amount: $(1) }).outcome).toEqual({ ok: false, reason: 'expense_exists' });
		expect(f.by(A, { type: 'recordExpense', bucketId: BK, expenseId: E2, label: 'Tools', amount: $(501) }).outcome).toEqual({ ok: false, reason: 'over_budget' });
		expect(f.by(A, { type: 'recordExpense', bucketId: BK, expenseId: E2, label: 'Tools', amount: $(500) }).outcome.ok).toBe(true);
		expect(expenseTotals(f.state.buckets.get(BK)!)).toEqual({ funded: 3_000, spent: 0, pending: 3_000, paid: 0, left: 3_000 });
	});

	it('§12 expenses: a facilitator approves or rejects with a reason, and pays only what was approved', () => {
		const f = funded();
		f.by(A, { type: 'recordExpense', bucketId: BK, expenseId: E1, label: 'Seeds', amount: $(2_000) });
		f.by(A, { type: 'recordExpense', bucketId: BK, expenseId: E2, label: 'Party', amount: $(1_000) });
		expect(f.by(A, { type: 'approveExpense', bucketId: BK, expenseId: E1 }).outcome).toEqual({ ok: false, reason: 'not_facilitator' });
		expect(f.by(F, { type: 'payExpense', bucketId: BK, expenseId: E1 }).outcome).toEqual({ ok: false, reason: 'wrong_status' });
		expect(f.by(F, { type: 'approveExpense', bucketId: BK, expenseId: E1 }).entries).toMatchObject([{ type: 'expenseStatus', expenseStatus: 'approved', amount: 2_000 }]);
		expect(f.by(F, { type: 'rejectExpense', bucketId: BK, expenseId: E2, note: 'Not in the budget' }).outcome.ok).toBe(true);
		expect(f.by(F, { type: 'approveExpense', bucketId: BK, expenseId: E2 }).outcome).toEqual({ ok: false, reason: 'wrong_status' });
		f.by(F, { type: 'setPhase', phase: 'closed' });
		// Paying out is what happens after a round: allowed once it closed.
		expect(f.by(F, { type: 'payExpense', bucketId: BK, expenseId: E1 }).outcome.ok).toBe(true);
		expect(f.by(F, { type: 'payExpense', bucketId: BK, expenseId: E1 }).outcome).toEqual({ ok: false, reason: 'wrong_status' });
		const bucket = f.state.buckets.get(BK)!;
		expect(bucket.expenses?.map((e) => [e.id, e.status, e.note])).toEqual([[E1, 'paid', undefined], [E2, 'rejected', 'Not in the budget']]);
		expect(expenseTotals(bucket)).toEqual({ funded: 3_000, spent: 2_000, pending: 0, paid: 2_000, left: 1_000 });
		// Rejected money is free again.
		expect(f.by(A, { type: 'recordExpense', bucketId: BK, expenseId: 'expense-00003' as ExpenseId, label: 'Tools', amount: $(1_000) }).outcome.ok).toBe(true);
		expect(JSON.stringify(replay(f.ledger).buckets.get(BK))).toBe(JSON.stringify(f.state.buckets.get(BK)));
	});

	it('§12 expenses: a facilitator cannot cancel a bucket that committed money (has_expenses)', () => {
		const f = funded();
		f.by(A, { type: 'recordExpense', bucketId: BK, expenseId: E1, label: 'Seeds', amount: $(1) });
		expect(f.by(F, { type: 'cancel', bucketId: BK }).outcome).toEqual({ ok: false, reason: 'has_expenses' });
		f.by(F, { type: 'rejectExpense', bucketId: BK, expenseId: E1, note: 'Typo' });
		expect(f.by(F, { type: 'cancel', bucketId: BK }).outcome.ok).toBe(true);
	});

	it('§12 expenses: a preview on a clone leaves the confirmed state alone', () => {
		const f = funded();
		f.by(A, { type: 'recordExpense', bucketId: BK, expenseId: E1, label: 'Seeds', amount: $(100) });
		const before = JSON.stringify(f.state.buckets.get(BK));
		const preview = cloneState(f.state);
		apply(preview, { type: 'approveExpense', bucketId: BK, expenseId: E1, id: 'command-preview' as never, at: 0 }, { kind: 'member', memberId: F, role: 'facilitator' }, 1);
		apply(preview, { type: 'addImage', bucketId: BK, image: image(1), id: 'command-preview2' as never, at: 0 }, { kind: 'member', memberId: A, role: 'member' }, 1);
		expect(JSON.stringify(f.state.buckets.get(BK))).toBe(before);
	});
});

describe('images (PROTOCOL §9)', () => {
	it('§12 images: owners or a facilitator add up to N, each once, and remove them', () => {
		const f = funded();
		expect(f.by(B, { type: 'addImage', bucketId: BK, image: image(0) }).outcome).toEqual({ ok: false, reason: 'not_owner' });
		expect(f.by(F, { type: 'addImage', bucketId: BK, image: image(0) }).outcome.ok).toBe(true);
		expect(f.by(A, { type: 'addImage', bucketId: BK, image: image(0) }).outcome).toEqual({ ok: false, reason: 'image_exists' });
		for (let i = 1; i < MAX_IMAGES_PER_BUCKET; i++) expect(f.by(A, { type: 'addImage', bucketId: BK, image: image(i) }).outcome.ok).toBe(true);
		expect(f.by(A, { type: 'addImage', bucketId: BK, image: image(99) }).outcome).toEqual({ ok: false, reason: 'image_limit' });
		const name = image(2).variants[1]!.hash;
		expect(f.by(B, { type: 'removeImage', bucketId: BK, hash: name }).outcome).toEqual({ ok: false, reason: 'not_owner' });
		expect(f.by(A, { type: 'removeImage', bucketId: BK, hash: name }).outcome.ok).toBe(true);
		expect(f.by(A, { type: 'removeImage', bucketId: BK, hash: name }).outcome).toEqual({ ok: false, reason: 'unknown_image' });
		expect(f.state.buckets.get(BK)!.images).toHaveLength(MAX_IMAGES_PER_BUCKET - 1);
	});
});
