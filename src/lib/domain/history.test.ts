import { describe, expect, it } from 'vitest';
import { memberHistory, type HistoryRow } from './history.js';
import { apply, emptyState } from './reducer.js';
import type { Actor, Amount, BucketId, Command, CommandId, LedgerEntry, MemberCommand, MemberId, Receipt, RoundSettings } from './types.js';

const F = 'facilitator-1' as MemberId;
const A = 'member-alice' as MemberId;
const B = 'member-bobby' as MemberId;
const OVEN = 'bucket-oven-01' as BucketId;
const BOOKS = 'bucket-books-1' as BucketId;
const $ = (n: number) => n as Amount;
type Body<C> = C extends unknown ? Omit<C, 'id' | 'at'> : never;

/** A round driven through the real reducer; each member keeps its commands and receipts as its member doc would. */
class Round {
	state = emptyState();
	ledger: LedgerEntry[] = [];
	commands = new Map<MemberId, MemberCommand[]>();
	receipts = new Map<MemberId, Receipt[]>();
	#n = 0;
	run(command: Command, actor: Actor): void {
		const { outcome, entries } = apply(this.state, command, actor, command.at);
		this.ledger.push(...entries);
		if (actor.kind !== 'member') return;
		const receipt: Receipt = outcome.ok
			? { commandId: command.id, ok: true, ...(outcome.accepted !== undefined && { accepted: outcome.accepted }), ...(outcome.partial && { reason: outcome.partial }), seq: this.state.seq }
			: { commandId: command.id, ok: false, reason: outcome.reason };
		this.receipts.set(actor.memberId, [...(this.receipts.get(actor.memberId) ?? []), receipt]);
	}
	sys(body: Body<Command>): void {
		this.run({ ...body, id: `sys_${++this.#n}` as CommandId, at: 5_000 + this.#n } as Command, { kind: 'system' });
	}
	by(memberId: MemberId, body: Body<MemberCommand>, opts: { unanswered?: boolean } = {}): MemberCommand {
		const command = { ...body, id: `cmd-${memberId}-${++this.#n}` as CommandId, at: 5_000 + this.#n } as MemberCommand;
		this.commands.set(memberId, [...(this.commands.get(memberId) ?? []), command]);
		if (!opts.unanswered) this.run(command, { kind: 'member', memberId, role: memberId === F ? 'facilitator' : 'member' });
		return command;
	}
	history(memberId: MemberId, ledger: LedgerEntry[] = this.ledger): HistoryRow[] {
		return memberHistory({ memberId, ledger, commands: this.commands.get(memberId) ?? [], receipts: this.receipts.get(memberId) ?? [] });
	}
}

function round(over: Partial<RoundSettings> = {}): Round {
	const r = new Round();
	const settings: RoundSettings = {
		name: 'Assemblée 2026', currency: 'EUR', locale: 'fr-FR', phase: 'proposing', defaultAllocation: $(10_000),
		maxPerMemberPerBucket: $(4_000), transparency: 'named', requireApproval: false, ...over
	};
	r.sys({ type: 'open', settings });
	for (const m of [F, A, B]) r.sys({ type: 'join', memberId: m });
	r.sys({ type: 'create', bucketId: OVEN, memberId: A });
	r.sys({ type: 'setGoals', bucketId: OVEN, minGoal: $(8_000), maxGoal: $(9_000) });
	r.sys({ type: 'create', bucketId: BOOKS, memberId: B });
	r.sys({ type: 'setGoals', bucketId: BOOKS, minGoal: $(20_000), maxGoal: $(20_000) });
	r.by(A, { type: 'publish', bucketId: OVEN });
	r.by(B, { type: 'publish', bucketId: BOOKS });
	r.by(F, { type: 'setPhase', phase: 'funding' });
	return r;
}

/** Alice: joins (100), gives 50 (capped to 40), takes 15 back, gets 20 more, gives 30 to books, books cancelled, a refused gift, then the round closes with the oven unfunded, one gift still waiting. */
function story(over: Partial<RoundSettings> = {}): Round {
	const r = round(over);
	r.by(A, { type: 'contribute', bucketId: OVEN, amount: $(5_000) });
	r.by(A, { type: 'withdraw', bucketId: OVEN, amount: $(1_500) });
	r.by(F, { type: 'allocate', memberId: A, amount: $(2_000), mode: 'add' });
	r.by(B, { type: 'contribute', bucketId: BOOKS, amount: $(1_000) });
	r.by(A, { type: 'contribute', bucketId: BOOKS, amount: $(3_000) });
	r.by(B, { type: 'cancel', bucketId: BOOKS });
	r.by(A, { type: 'contribute', bucketId: BOOKS, amount: $(500) });
	r.by(F, { type: 'setPhase', phase: 'closed' });
	r.by(A, { type: 'contribute', bucketId: OVEN, amount: $(700) }, { unanswered: true });
	return r;
}

const line = (row: HistoryRow) => [row.kind, row.outcome, row.bucketId ?? '', row.amount, row.asked ?? '', row.reason ?? row.cause ?? '', row.balance];

describe('my money (memberHistory)', () => {
	const expected = [
		['allocation', 'recorded', '', 10_000, '', '', 10_000],
		['gift', 'partial', OVEN, 4_000, 5_000, 'cap_reached', 6_000],
		['takeBack', 'accepted', OVEN, 1_500, 1_500, '', 7_500],
		['allocation', 'recorded', '', 2_000, '', '', 9_500],
		['gift', 'accepted', BOOKS, 3_000, 3_000, '', 6_500],
		['refund', 'recorded', BOOKS, 3_000, '', 'cancelled', 9_500],
		['gift', 'refused', BOOKS, 0, 500, 'wrong_status', 9_500],
		['refund', 'recorded', OVEN, 2_500, '', 'unfunded', 12_000],
		['gift', 'waiting', OVEN, 0, 700, '', 12_000]
	];

	it('§my-money: every allocation, gift, take-back and refund in order, with its receipt and the balance after it', () => {
		const r = story();
		expect(r.history(A).map(line)).toEqual(expected);
		const final = r.state.members.get(A)!;
		expect(r.history(A).at(-1)!.balance).toBe(final.allocated - final.spent);
	});

	it('§my-money anonymous: the replica names nobody, and the same lines come from own command ids and what was held', () => {
		const r = story({ transparency: 'anonymous' });
		const replica = r.ledger.map((e) => (['contribute', 'withdraw', 'refund'].includes(e.type) ? { ...e, memberId: undefined } : e));
		expect(r.history(A, replica).map(line)).toEqual(expected);
	});

	it('§my-money: other members\' money is not mine, and garbage in the commands is no line', () => {
		const r = story();
		r.commands.set(A, [...r.commands.get(A)!, { id: 'not-a-command-1', type: 'contribute', amount: 'all' } as unknown as MemberCommand]);
		expect(r.history(A).map(line)).toEqual(expected);
		expect(r.history(B).map((row) => row.kind)).toEqual(['allocation', 'gift', 'refund']);
	});

	it('§my-money: seq and the server time are on ledger lines, refused and waiting ones have none', () => {
		const rows = story().history(A);
		expect(rows.filter((row) => row.seq === undefined).map((row) => row.outcome)).toEqual(['refused', 'waiting']);
		const seqs = rows.flatMap((row) => (row.seq === undefined ? [] : [row.seq]));
		expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
	});
});
