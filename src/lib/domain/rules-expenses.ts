// Rules of the money a funded bucket spends (PROTOCOL §10): owners record expenses, a facilitator
// approves or rejects each, then marks approved ones paid. Expenses move no member's money (what
// members gave stays given); they say where the bucket's money went. The one money rule: what a
// bucket has committed — every expense not rejected — never exceeds what it was funded with, so
// `left` is never negative. A bucket that needs more is a new bucket, funded by members again.
import { accept, draft, isAmount, refuse, type Context } from './decision.js';
import type { Amount, BucketAccount, Command, Decision, Expense, MemberId, RoundState } from './types.js';

type Of<T extends Command['type']> = Extract<Command, { type: T }>;

/** What a bucket shows: funded (its total), spent (approved or paid), pending (recorded), paid, left. */
export interface ExpenseTotals {
	funded: Amount;
	spent: Amount;
	pending: Amount;
	paid: Amount;
	left: Amount;
}

export function expenseTotals(bucket: Pick<BucketAccount, 'total' | 'expenses'>): ExpenseTotals {
	let spent = 0;
	let pending = 0;
	let paid = 0;
	for (const expense of bucket.expenses ?? []) {
		if (expense.status === 'recorded') pending += expense.amount;
		else if (expense.status === 'approved') spent += expense.amount;
		else if (expense.status === 'paid') {
			spent += expense.amount;
			paid += expense.amount;
		}
	}
	return {
		funded: bucket.total,
		spent: spent as Amount,
		pending: pending as Amount,
		paid: paid as Amount,
		left: (bucket.total - spent) as Amount
	};
}

/** Money the bucket has committed: every expense not rejected. */
export function committed(bucket: Pick<BucketAccount, 'expenses'>): number {
	let sum = 0;
	for (const expense of bucket.expenses ?? []) if (expense.status !== 'rejected') sum += expense.amount;
	return sum;
}

/** Funded buckets spend; a completed project may still record what it spent. */
function spends(bucket: BucketAccount): boolean {
	return bucket.status === 'funded' || bucket.status === 'completed';
}

/**
 * recordExpense (owner): on a funded or completed bucket, a positive amount that keeps the bucket's
 * committed money within its total (over_budget), under a fresh expense id (expense_exists).
 */
export function recordExpense(state: RoundState, command: Of<'recordExpense'>, ctx: Context): Decision {
	const bucket = state.buckets.get(command.bucketId);
	if (!bucket) return refuse('unknown_bucket');
	if (ctx.memberId === undefined || !bucket.owners.includes(ctx.memberId)) return refuse('not_owner');
	if (!spends(bucket)) return refuse('wrong_status');
	if (!isAmount(command.amount) || command.amount === 0) return refuse('invalid');
	if (findExpense(state, command.expenseId)) return refuse('expense_exists');
	if (committed(bucket) + command.amount > bucket.total) return refuse('over_budget');
	const expense = { id: command.expenseId, label: command.label, ...(command.receipt && { receipt: command.receipt }) };
	return accept([draft(ctx, 'expense', { bucketId: command.bucketId, memberId: ctx.memberId as MemberId, expense }, command.amount)]);
}

/** An expense id is unique in the whole round, like a command id. */
function findExpense(state: RoundState, id: Expense['id']): Expense | undefined {
	for (const bucket of state.buckets.values()) {
		const found = bucket.expenses?.find((expense) => expense.id === id);
		if (found) return found;
	}
	return undefined;
}

/** The expense a facilitator acts on, if it is in `from` status on that bucket. */
function move(state: RoundState, command: Of<'approveExpense' | 'rejectExpense' | 'payExpense'>, ctx: Context, from: Expense['status'], to: Expense['status'], note?: string): Decision {
	const bucket = state.buckets.get(command.bucketId);
	if (!bucket) return refuse('unknown_bucket');
	const expense = bucket.expenses?.find((candidate) => candidate.id === command.expenseId);
	if (!expense) return refuse('unknown_expense');
	if (expense.status !== from) return refuse('wrong_status');
	const fields = { bucketId: command.bucketId, expenseId: expense.id, expenseStatus: to, ...(note !== undefined && { note }) };
	return accept([draft(ctx, 'expenseStatus', fields, expense.amount)]);
}

/** approveExpense (facilitator): recorded → approved. */
export function approveExpense(state: RoundState, command: Of<'approveExpense'>, ctx: Context): Decision {
	return move(state, command, ctx, 'recorded', 'approved');
}

/** rejectExpense (facilitator): recorded → rejected, with the reason the owner reads. */
export function rejectExpense(state: RoundState, command: Of<'rejectExpense'>, ctx: Context): Decision {
	return move(state, command, ctx, 'recorded', 'rejected', command.note);
}

/** payExpense (facilitator): only an approved expense is paid (wrong_status otherwise), once. */
export function payExpense(state: RoundState, command: Of<'payExpense'>, ctx: Context): Decision {
	return move(state, command, ctx, 'approved', 'paid');
}
