// A member's own money, line by line (issue 10 "my money"): every allocation, gift, take-back and
// refund in ledger order, each with the receipt of the member's own command and the balance after
// it. Read from what a member's device holds (the round doc's ledger replica, its member doc's
// commands and receipts), so that it works offline; the server reads its own ledger the same way
// for the member's history export.
//
// In an anonymous round the replica's `contribute`, `withdraw` and `refund` entries carry no
// memberId (PROTOCOL §3). Gifts and take-backs are still the member's own by their commandId (its
// own commands); a refund gives back everything each funder holds in the bucket (`refundAll`), so
// the member's refund is what it held there when the bucket was cancelled or left unfunded.
import { isAmount } from './decision.js';
import { isId } from './id.js';
import type { Amount, BucketId, CommandId, LedgerEntry, MemberCommand, MemberId, Reason, Receipt } from './types.js';

export type HistoryKind = 'allocation' | 'gift' | 'takeBack' | 'refund';

/**
 * - `accepted`, `partial` (less than asked: `amount` of `asked`, `reason` says why), `refused`
 *   (`reason`), `waiting` (no receipt yet): the member's own command;
 * - `recorded`: an entry the member did not ask for (an allocation, a refund).
 */
export type HistoryOutcome = 'accepted' | 'partial' | 'refused' | 'waiting' | 'recorded';

export interface HistoryRow {
	kind: HistoryKind;
	outcome: HistoryOutcome;
	/** The ledger entry; absent for a refused or waiting command. */
	seq?: number;
	/** The server's time of the entry, or the author's clock for a refused or waiting command. */
	at: number;
	bucketId?: BucketId;
	/** Money moved: ≥ 0, except an allocation set lower (negative). 0 when refused or waiting. */
	amount: Amount;
	/** What the command asked, for gifts and take-backs. */
	asked?: Amount;
	reason?: Reason;
	/** A refund's cause: the bucket was cancelled, or the round closed before it was funded. */
	cause?: 'cancelled' | 'unfunded';
	/** Money left after this line. */
	balance: Amount;
}

export interface HistorySource {
	memberId: MemberId;
	ledger: Iterable<LedgerEntry>;
	/** The member's commands, in the order it wrote them. */
	commands: Iterable<MemberCommand>;
	/** The member's receipts, in the order the server wrote them. */
	receipts: Iterable<Receipt>;
}

const KIND: Partial<Record<MemberCommand['type'], HistoryKind>> = { contribute: 'gift', withdraw: 'takeBack' };

/**
 * Commands are what the member's device wrote, unparsed: only a gift or a take-back with an id, a
 * bucket id, an amount and a clock value is a line. Checked by hand, not with the command schema,
 * so that the round's pages do not load the schema library for it.
 */
function isMoneyCommand(value: unknown): value is Extract<MemberCommand, { type: 'contribute' | 'withdraw' }> {
	if (typeof value !== 'object' || value === null) return false;
	const { id, type, bucketId, amount, at } = value as Record<string, unknown>;
	return (type === 'contribute' || type === 'withdraw') && isId(id) && isId(bucketId) && isAmount(amount) && Number.isFinite(at);
}

function ownOutcome(receipt: Receipt | undefined): HistoryOutcome {
	if (!receipt) return 'waiting';
	if (!receipt.ok) return 'refused';
	return receipt.reason ? 'partial' : 'accepted';
}

/** The member's money lines, oldest first, refused commands where the server answered them. */
export function memberHistory({ memberId, ledger, commands, receipts }: HistorySource): HistoryRow[] {
	const own = new Map<CommandId, MemberCommand>();
	for (const command of commands) if (isMoneyCommand(command) && !own.has(command.id)) own.set(command.id, command);
	const receiptOf = new Map<CommandId, Receipt>();
	/**
	 * Refused commands produced no entry: each goes after the last entry of the member's previous
	 * answered command and before the first of its next one, and in between where its author's
	 * clock puts it (its `at` is only informative, so it only orders lines within those bounds).
	 */
	const refusedQueue: { command: MemberCommand; after: number; before: number }[] = [];
	let answeredSeq = 0;
	for (const receipt of receipts) {
		if (receiptOf.has(receipt.commandId)) continue;
		receiptOf.set(receipt.commandId, receipt);
		if (receipt.seq !== undefined) {
			for (const queued of refusedQueue) if (queued.before === Infinity) queued.before = receipt.seq;
			answeredSeq = Math.max(answeredSeq, receipt.seq);
		}
		const command = own.get(receipt.commandId);
		if (command && !receipt.ok) refusedQueue.push({ command, after: answeredSeq, before: Infinity });
	}

	const rows: HistoryRow[] = [];
	const held = new Map<BucketId, number>();
	let balance = 0;
	let closedBy: CommandId | undefined;
	const push = (row: Omit<HistoryRow, 'balance'>) => rows.push({ ...row, balance: balance as Amount });
	/** Lines of the refused commands that come before `next` (every one left when there is none). */
	const refused = (next?: LedgerEntry) => {
		while (refusedQueue.length > 0) {
			const { command, after, before } = refusedQueue[0]!;
			if (next && !(next.seq > after && (next.at > command.at || next.seq >= before))) return;
			refusedQueue.shift();
			push({ kind: KIND[command.type]!, outcome: 'refused', at: command.at, ...moneyOf(command), amount: 0 as Amount, reason: receiptOf.get(command.id)?.reason });
		}
	};
	const refund = (entry: LedgerEntry, bucketId: BucketId, amount: number) => {
		held.set(bucketId, (held.get(bucketId) ?? 0) - amount);
		balance += amount;
		const cause = closedBy !== undefined && entry.commandId === closedBy ? 'unfunded' : 'cancelled';
		push({ kind: 'refund', outcome: 'recorded', seq: entry.seq, at: entry.at, bucketId, amount: amount as Amount, cause });
	};

	for (const entry of ledger) {
		refused(entry);
		const mine = entry.memberId === memberId || (entry.memberId === undefined && entry.commandId !== undefined && own.has(entry.commandId));
		const bucketId = entry.bucketId;
		if (entry.type === 'phase' && entry.phase === 'closed') closedBy = entry.commandId;
		if (entry.type === 'allocate' && entry.memberId === memberId) {
			balance += entry.amount;
			push({ kind: 'allocation', outcome: 'recorded', seq: entry.seq, at: entry.at, amount: entry.amount });
		} else if ((entry.type === 'contribute' || entry.type === 'withdraw') && mine && bucketId) {
			const sign = entry.type === 'contribute' ? 1 : -1;
			held.set(bucketId, (held.get(bucketId) ?? 0) + sign * entry.amount);
			balance -= sign * entry.amount;
			const command = entry.commandId !== undefined ? own.get(entry.commandId) : undefined;
			const receipt = entry.commandId !== undefined ? receiptOf.get(entry.commandId) : undefined;
			push({
				kind: entry.type === 'contribute' ? 'gift' : 'takeBack',
				outcome: command ? ownOutcome(receipt) : 'recorded',
				seq: entry.seq,
				at: entry.at,
				bucketId,
				amount: entry.amount,
				...(command && { asked: moneyOf(command).asked }),
				...(receipt?.reason && { reason: receipt.reason })
			});
		} else if (entry.type === 'refund' && entry.memberId === memberId && bucketId) {
			refund(entry, bucketId, entry.amount);
		} else if (entry.type === 'status' && bucketId && (entry.status === 'cancelled' || entry.status === 'unfunded')) {
			// An anonymous replica's refunds name nobody: what the member still held there came back.
			const left = held.get(bucketId) ?? 0;
			if (left > 0) refund(entry, bucketId, left);
		}
	}
	refused();
	for (const command of own.values()) {
		if (!receiptOf.has(command.id)) push({ kind: KIND[command.type]!, outcome: 'waiting', at: command.at, ...moneyOf(command), amount: 0 as Amount });
	}
	return rows;
}

function moneyOf(command: MemberCommand): { bucketId?: BucketId; asked?: Amount } {
	return command.type === 'contribute' || command.type === 'withdraw' ? { bucketId: command.bucketId, asked: command.amount } : {};
}
