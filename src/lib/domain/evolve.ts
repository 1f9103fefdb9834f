// Folding one ledger entry into the state. The ledger is the source of truth: `evolve` does not
// judge entries (that is `decide`'s job), it only refuses entries that cannot belong to a ledger
// it produced (a gap in seq, a bucket or member that never appeared), so that a corrupt ledger is
// caught at replay instead of silently producing a wrong state.
import type { Amount, BucketAccount, BucketId, Expense, FlagId, LedgerEntry, MemberId, RoundSettings, RoundState } from './types.js';

export class LedgerError extends Error {
	readonly code = 'ledger_corrupt';
	constructor(entry: LedgerEntry, why: string) {
		super(`Ledger entry seq ${entry.seq} (${entry.type}): ${why}`);
		this.name = 'LedgerError';
	}
}

function need<T>(value: T | undefined, entry: LedgerEntry, field: string): T {
	if (value === undefined) throw new LedgerError(entry, `missing ${field}`);
	return value;
}

function bucketOf(state: RoundState, entry: LedgerEntry): BucketAccount {
	const bucket = state.buckets.get(need(entry.bucketId, entry, 'bucketId'));
	if (!bucket) throw new LedgerError(entry, `unknown bucket ${entry.bucketId}`);
	return bucket;
}

/**
 * Moves `amount` of a member's money into (positive) or out of (negative) a bucket.
 * Entries without memberId (the round doc's replica of an anonymous round) still keep bucket
 * totals right; only that member's own accounting is unknown to such a reader.
 */
function move(state: RoundState, entry: LedgerEntry, signed: number): void {
	const bucket = bucketOf(state, entry);
	bucket.total = (bucket.total + signed) as Amount;
	const memberId = entry.memberId;
	if (memberId === undefined) return;
	const account = state.members.get(memberId);
	if (!account) throw new LedgerError(entry, `unknown member ${memberId}`);
	account.spent = (account.spent + signed) as Amount;
	const bucketId = entry.bucketId as BucketId;
	let byMember = state.contributions.get(bucketId);
	if (!byMember) {
		byMember = new Map<MemberId, Amount>();
		state.contributions.set(bucketId, byMember);
	}
	const own = (byMember.get(memberId) ?? 0) + signed;
	// A member with nothing left in a bucket is not one of its funders any more.
	if (own === 0) byMember.delete(memberId);
	else byMember.set(memberId, own as Amount);
}

/** Folds ONE entry into `state`, in place, and returns the same object. */
export function evolve(state: RoundState, entry: LedgerEntry): RoundState {
	if (entry.seq !== state.seq + 1) {
		throw new LedgerError(entry, `expected seq ${state.seq + 1}`);
	}
	switch (entry.type) {
		case 'open':
			state.settings = { ...(need(entry.settings, entry, 'settings') as RoundSettings) };
			break;
		case 'configure':
			Object.assign(state.settings, need(entry.settings, entry, 'settings'));
			break;
		case 'phase':
			state.settings.phase = need(entry.phase, entry, 'phase');
			break;
		case 'allocate': {
			const memberId = need(entry.memberId, entry, 'memberId');
			const account = state.members.get(memberId);
			if (account) account.allocated = (account.allocated + entry.amount) as Amount;
			else state.members.set(memberId, { allocated: entry.amount, spent: 0 as Amount });
			break;
		}
		case 'create': {
			const bucketId = need(entry.bucketId, entry, 'bucketId');
			state.buckets.set(bucketId, {
				status: 'draft',
				owners: [need(entry.memberId, entry, 'memberId')],
				minGoal: 0 as Amount,
				maxGoal: 0 as Amount,
				total: 0 as Amount,
				tags: []
			});
			state.contributions.set(bucketId, new Map());
			break;
		}
		case 'owner':
			bucketOf(state, entry).owners.push(need(entry.memberId, entry, 'memberId'));
			break;
		case 'goals': {
			const bucket = bucketOf(state, entry);
			bucket.minGoal = need(entry.minGoal, entry, 'minGoal');
			bucket.maxGoal = need(entry.maxGoal, entry, 'maxGoal');
			break;
		}
		case 'status':
			bucketOf(state, entry).status = need(entry.status, entry, 'status');
			break;
		case 'contribute':
			move(state, entry, entry.amount);
			state.contributed = true;
			break;
		case 'withdraw':
		case 'refund':
			move(state, entry, -entry.amount);
			break;
		case 'settle': {
			const bucket = bucketOf(state, entry);
			bucket.status = 'funded';
			bucket.settledAt = entry.at;
			break;
		}
		case 'paid':
			bucketOf(state, entry).paidAt = entry.at;
			break;
		case 'schedule':
			state.schedule = { ...need(entry.schedule, entry, 'schedule') };
			break;
		// Images and expenses: new arrays every time (see BucketAccount), never edited in place.
		case 'image': {
			const bucket = bucketOf(state, entry);
			bucket.images = [...(bucket.images ?? []), need(entry.image, entry, 'image')];
			break;
		}
		case 'imageRemoved': {
			const bucket = bucketOf(state, entry);
			const hash = need(entry.hash, entry, 'hash');
			bucket.images = (bucket.images ?? []).filter((image) => image.variants.at(-1)?.hash !== hash);
			break;
		}
		case 'expense': {
			const bucket = bucketOf(state, entry);
			const { id, label, receipt } = need(entry.expense, entry, 'expense');
			const memberId = need(entry.memberId, entry, 'memberId');
			const expense: Expense = { id, memberId, label, amount: entry.amount, status: 'recorded', at: entry.at, ...(receipt && { receipt }) };
			bucket.expenses = [...(bucket.expenses ?? []), expense];
			break;
		}
		case 'expenseStatus': {
			const bucket = bucketOf(state, entry);
			const id = need(entry.expenseId, entry, 'expenseId');
			const status = need(entry.expenseStatus, entry, 'expenseStatus');
			if (!bucket.expenses?.some((expense) => expense.id === id)) throw new LedgerError(entry, `unknown expense ${id}`);
			bucket.expenses = bucket.expenses.map((expense) =>
				expense.id === id ? { ...expense, status, ...(entry.note !== undefined && { note: entry.note }) } : expense
			);
			break;
		}
		case 'tag': {
			const tag = need(entry.tag, entry, 'tag');
			state.review.tags.set(tag.id, { ...tag });
			break;
		}
		case 'guideline': {
			const guideline = need(entry.guideline, entry, 'guideline');
			state.review.guidelines.set(guideline.id, { ...guideline });
			break;
		}
		case 'tags':
			bucketOf(state, entry).tags = [...need(entry.tags, entry, 'tags')];
			break;
		case 'flag': {
			const id = need(entry.commandId, entry, 'commandId') as string as FlagId;
			bucketOf(state, entry);
			const bucketId = entry.bucketId as BucketId;
			const flag = { id, bucketId, guidelineId: need(entry.guidelineId, entry, 'guidelineId'), text: need(entry.text, entry, 'text'), at: entry.at };
			// In an anonymous round's replica a flag does not say who raised it.
			state.review.flags.set(id, entry.memberId === undefined ? flag : { ...flag, raisedBy: entry.memberId });
			break;
		}
		case 'resolve': {
			const id = need(entry.flagId, entry, 'flagId');
			const flag = state.review.flags.get(id);
			if (!flag) throw new LedgerError(entry, `unknown flag ${id}`);
			const resolved = { at: entry.at, text: need(entry.text, entry, 'text'), ...(entry.memberId === undefined ? {} : { by: entry.memberId }) };
			// A new object: a cloned state shares the old one.
			state.review.flags.set(id, { ...flag, resolved });
			break;
		}
		default:
			throw new LedgerError(entry, 'unknown entry type');
	}
	if (entry.commandId !== undefined) state.applied.add(entry.commandId);
	state.seq = entry.seq;
	return state;
}
