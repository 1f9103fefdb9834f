import { describe, expect, it } from 'vitest';
import { apply, balance, cloneState, decide, emptyState, evolve, LedgerError, ownTotal, replay } from './reducer.js';
import type {
	Actor,
	Amount,
	BucketId,
	Command,
	CommandId,
	LedgerEntry,
	MemberCommand,
	MemberId,
	RoundSettings,
	SystemCommand
} from './types.js';

const F = 'facilitator-1' as MemberId;
const A = 'member-alice' as MemberId;
const B = 'member-bobby' as MemberId;
const X = 'member-stranger' as MemberId;
const BK = 'bucket-garden' as BucketId;
const BK2 = 'bucket-library' as BucketId;
const SYSTEM: Actor = { kind: 'system' };
const $ = (n: number) => n as Amount;

type Body<C> = C extends unknown ? Omit<C, 'id' | 'at'> : never;

function settings(over: Partial<RoundSettings> = {}): RoundSettings {
	return {
		name: 'Fête 2026',
		currency: 'EUR',
		locale: 'fr-FR',
		phase: 'proposing',
		defaultAllocation: $(10_000),
		maxPerMemberPerBucket: null,
		transparency: 'named',
		requireApproval: false,
		...over
	};
}

/** A round driven through `apply`, keeping its ledger like the sequencer does. */
class Round {
	state = emptyState();
	ledger: LedgerEntry[] = [];
	private n = 0;
	nextId(): CommandId {
		return `command-${String(++this.n).padStart(4, '0')}` as CommandId;
	}
	run(command: Command, actor: Actor) {
		const result = apply(this.state, command, actor, 1_000 + this.n);
		this.ledger.push(...result.entries);
		return result;
	}
	sys(body: Body<SystemCommand>) {
		return this.run({ ...body, id: this.nextId(), at: 0 } as Command, SYSTEM);
	}
	by(memberId: MemberId, body: Body<MemberCommand>) {
		const role = memberId === F ? 'facilitator' : 'member';
		return this.run({ ...body, id: this.nextId(), at: 0 } as Command, { kind: 'member', memberId, role });
	}
}

/** Open round, F, A and B joined, A's bucket BK with goals 3000–5000, published, phase funding. */
function fundingRound(over: Partial<RoundSettings> = {}): Round {
	const r = new Round();
	r.sys({ type: 'open', settings: settings(over) });
	for (const m of [F, A, B]) r.sys({ type: 'join', memberId: m });
	r.sys({ type: 'create', bucketId: BK, memberId: A });
	r.sys({ type: 'setGoals', bucketId: BK, minGoal: $(3_000), maxGoal: $(5_000) });
	r.by(A, { type: 'publish', bucketId: BK });
	r.by(F, { type: 'setPhase', phase: 'funding' });
	return r;
}

describe('common checks', () => {
	it('§3 open: the first entry is seq 1 with the full settings and the phase they carry', () => {
		const r = new Round();
		const { outcome, entries } = r.sys({ type: 'open', settings: settings() });
		expect(outcome).toEqual({ ok: true });
		expect(entries).toMatchObject([{ seq: 1, type: 'open', settings: settings() }]);
		expect(r.state.settings.phase).toBe('proposing');
		expect(r.sys({ type: 'open', settings: settings() }).outcome).toEqual({ ok: false, reason: 'invalid' });
	});

	it('§3 open: nothing but open before the round is open; invalid settings are refused', () => {
		const r = new Round();
		expect(r.sys({ type: 'join', memberId: A }).outcome).toEqual({ ok: false, reason: 'invalid' });
		const bad = { ...settings(), defaultAllocation: 1.5 } as unknown as RoundSettings;
		expect(r.sys({ type: 'open', settings: bad }).outcome).toEqual({ ok: false, reason: 'invalid' });
		expect(r.state.seq).toBe(0);
	});

	it('§3 system commands need the system actor, member commands a member', () => {
		const r = fundingRound();
		const asMember = r.run({ id: r.nextId(), at: 0, type: 'join', memberId: X }, { kind: 'member', memberId: F, role: 'facilitator' });
		expect(asMember.outcome).toEqual({ ok: false, reason: 'invalid' });
		const asSystem = r.run({ id: r.nextId(), at: 0, type: 'publish', bucketId: BK }, SYSTEM);
		expect(asSystem.outcome).toEqual({ ok: false, reason: 'invalid' });
	});

	it('§3 unknown_member: a member command from someone without an allocate entry', () => {
		const r = fundingRound();
		expect(r.by(X, { type: 'contribute', bucketId: BK, amount: $(100) }).outcome).toEqual({ ok: false, reason: 'unknown_member' });
	});

	it('§3 duplicate: an id that produced entries is refused with no entries, whoever sends it', () => {
		const r = fundingRound();
		const command: Command = { id: 'contribution-0001' as CommandId, at: 0, type: 'contribute', bucketId: BK, amount: $(100) };
		expect(r.run(command, { kind: 'member', memberId: A, role: 'member' }).outcome.ok).toBe(true);
		const seq = r.state.seq;
		const again = r.run(command, { kind: 'member', memberId: A, role: 'member' });
		expect(again).toMatchObject({ outcome: { ok: false, reason: 'duplicate' }, entries: [] });
		expect(r.run(command, { kind: 'member', memberId: B, role: 'member' }).outcome).toEqual({ ok: false, reason: 'duplicate' });
		expect(r.state.seq).toBe(seq);
		expect(balance(r.state, A)).toBe(9_900);
	});

	it('§3 duplicate: a refused id leaves no trace, so it is judged again when sent again', () => {
		const r = fundingRound();
		const command: Command = { id: 'early-contribution' as CommandId, at: 0, type: 'contribute', bucketId: BK2, amount: $(100) };
		const actor: Actor = { kind: 'member', memberId: A, role: 'member' };
		expect(r.run(command, actor).outcome).toEqual({ ok: false, reason: 'unknown_bucket' });
		r.sys({ type: 'create', bucketId: BK2, memberId: A });
		r.sys({ type: 'setGoals', bucketId: BK2, minGoal: $(1_000), maxGoal: $(1_000) });
		r.by(A, { type: 'publish', bucketId: BK2 });
		expect(r.run(command, actor).outcome).toEqual({ ok: true, accepted: 100 });
	});

	it('§3 round_closed: a closed round refuses member commands', () => {
		const r = fundingRound();
		r.by(F, { type: 'setPhase', phase: 'closed' });
		expect(r.by(A, { type: 'contribute', bucketId: BK, amount: $(1) }).outcome).toEqual({ ok: false, reason: 'round_closed' });
		expect(r.by(F, { type: 'setPhase', phase: 'funding' }).outcome).toEqual({ ok: false, reason: 'round_closed' });
	});

	it('§3 not_facilitator: facilitator commands need the role', () => {
		const r = fundingRound();
		for (const body of [
			{ type: 'approve', bucketId: BK },
			{ type: 'allocate', memberId: A, amount: $(1), mode: 'add' },
			{ type: 'configure', settings: { name: 'x' } },
			{ type: 'setPhase', phase: 'closed' },
			{ type: 'markPaid', bucketId: BK }
		] as Body<MemberCommand>[]) {
			expect(r.by(A, body).outcome).toEqual({ ok: false, reason: 'not_facilitator' });
		}
	});

	it('decide is pure: it never changes the state it reads', () => {
		const r = fundingRound({ maxPerMemberPerBucket: $(2_000) });
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(1_000) });
		const before = cloneState(r.state);
		const actor: Actor = { kind: 'member', memberId: B, role: 'member' };
		decide(r.state, { id: r.nextId(), at: 0, type: 'contribute', bucketId: BK, amount: $(5_000) }, actor, 1);
		decide(r.state, { id: r.nextId(), at: 0, type: 'setPhase', phase: 'closed' }, { kind: 'member', memberId: F, role: 'facilitator' }, 1);
		expect(r.state).toEqual(before);
	});
});

describe('members and money', () => {
	it('§3 join: allocate entry of defaultAllocation; 0 still registers; already_member', () => {
		const r = new Round();
		r.sys({ type: 'open', settings: settings({ defaultAllocation: $(0) }) });
		expect(r.sys({ type: 'join', memberId: A }).entries).toMatchObject([{ type: 'allocate', memberId: A, amount: 0 }]);
		expect(r.state.members.has(A)).toBe(true);
		expect(r.sys({ type: 'join', memberId: A }).outcome).toEqual({ ok: false, reason: 'already_member' });
	});

	it('§3 allocate: add and set change the allocation by a signed delta entry', () => {
		const r = fundingRound();
		expect(r.by(F, { type: 'allocate', memberId: A, amount: $(500), mode: 'add' }).entries).toMatchObject([{ type: 'allocate', amount: 500 }]);
		expect(r.by(F, { type: 'allocate', memberId: A, amount: $(2_000), mode: 'set' }).entries).toMatchObject([{ type: 'allocate', amount: -8_500 }]);
		expect(balance(r.state, A)).toBe(2_000);
		expect(r.by(F, { type: 'allocate', memberId: X, amount: $(1), mode: 'add' }).outcome).toEqual({ ok: false, reason: 'unknown_member' });
	});

	it('§3 allocate: never below what the member already spent (below_spent)', () => {
		const r = fundingRound();
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(1_500) });
		expect(r.by(F, { type: 'allocate', memberId: A, amount: $(1_499), mode: 'set' }).outcome).toEqual({ ok: false, reason: 'below_spent' });
		expect(r.by(F, { type: 'allocate', memberId: A, amount: $(1_500), mode: 'set' }).outcome.ok).toBe(true);
		expect(balance(r.state, A)).toBe(0);
	});

	it('§3 contribute: only in phase funding (wrong_phase) and into open or funded buckets (wrong_status)', () => {
		const r = fundingRound();
		r.sys({ type: 'create', bucketId: BK2, memberId: B });
		expect(r.by(A, { type: 'contribute', bucketId: BK2, amount: $(1) }).outcome).toEqual({ ok: false, reason: 'wrong_status' });
		r.by(F, { type: 'setPhase', phase: 'proposing' });
		expect(r.by(A, { type: 'contribute', bucketId: BK, amount: $(1) }).outcome).toEqual({ ok: false, reason: 'wrong_phase' });
	});

	it('§3 contribute: accepted = min(amount, balance, maxGoal − total, cap − own), partial names the binding limit', () => {
		const r = fundingRound({ maxPerMemberPerBucket: $(4_000), defaultAllocation: $(3_500) });
		expect(r.by(A, { type: 'contribute', bucketId: BK, amount: $(9_000) }).outcome).toEqual({ ok: true, accepted: 3_500, partial: 'insufficient_balance' });
		r.by(F, { type: 'allocate', memberId: A, amount: $(5_000), mode: 'add' });
		expect(r.by(A, { type: 'contribute', bucketId: BK, amount: $(9_000) }).outcome).toEqual({ ok: true, accepted: 500, partial: 'cap_reached' });
		expect(r.by(A, { type: 'contribute', bucketId: BK, amount: $(1) }).outcome).toEqual({ ok: false, reason: 'cap_reached' });
		expect(r.by(B, { type: 'contribute', bucketId: BK, amount: $(3_000) }).outcome).toEqual({ ok: true, accepted: 1_000, partial: 'bucket_full' });
		expect(r.by(B, { type: 'contribute', bucketId: BK, amount: $(1) }).outcome).toEqual({ ok: false, reason: 'bucket_full' });
		expect(r.state.buckets.get(BK)?.total).toBe(5_000);
	});

	it('§3 contribute: an empty wallet refuses with insufficient_balance; a non-positive amount is invalid', () => {
		const r = fundingRound({ defaultAllocation: $(0) });
		expect(r.by(A, { type: 'contribute', bucketId: BK, amount: $(1) }).outcome).toEqual({ ok: false, reason: 'insufficient_balance' });
		expect(r.by(A, { type: 'contribute', bucketId: BK, amount: $(0) }).outcome).toEqual({ ok: false, reason: 'invalid' });
		expect(r.by(A, { type: 'contribute', bucketId: BK, amount: $(1.5) }).outcome).toEqual({ ok: false, reason: 'invalid' });
	});

	it('§3 settlement: reaching minGoal from open settles (funded, settledAt); stretch up to maxGoal after', () => {
		const r = fundingRound();
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(2_000) });
		const { entries } = r.by(B, { type: 'contribute', bucketId: BK, amount: $(1_000) });
		expect(entries.map((e) => e.type)).toEqual(['contribute', 'settle']);
		expect(entries[1]).toMatchObject({ bucketId: BK, amount: 3_000 });
		expect(r.state.buckets.get(BK)).toMatchObject({ status: 'funded', total: 3_000, settledAt: entries[1]?.at });
		expect(r.by(B, { type: 'contribute', bucketId: BK, amount: $(500) }).entries.map((e) => e.type)).toEqual(['contribute']);
		expect(r.state.buckets.get(BK)?.total).toBe(3_500);
	});

	it('§3 withdraw: from an open bucket, up to the own total (partial), else nothing_to_withdraw', () => {
		const r = fundingRound();
		expect(r.by(A, { type: 'withdraw', bucketId: BK, amount: $(1) }).outcome).toEqual({ ok: false, reason: 'nothing_to_withdraw' });
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(700) });
		expect(r.by(A, { type: 'withdraw', bucketId: BK, amount: $(200) }).outcome).toEqual({ ok: true, accepted: 200 });
		expect(r.by(A, { type: 'withdraw', bucketId: BK, amount: $(900) }).outcome).toEqual({ ok: true, accepted: 500, partial: 'nothing_to_withdraw' });
		expect(ownTotal(r.state, BK, A)).toBe(0);
		expect(balance(r.state, A)).toBe(10_000);
	});

	it('§3 withdraw: funded money is locked (wrong_status)', () => {
		const r = fundingRound();
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(3_000) });
		expect(r.by(A, { type: 'withdraw', bucketId: BK, amount: $(1) }).outcome).toEqual({ ok: false, reason: 'wrong_status' });
	});
});

describe('buckets', () => {
	it('§3 create: a draft owned by its creator; bucket_exists; the creator must be a member', () => {
		const r = fundingRound();
		r.sys({ type: 'create', bucketId: BK2, memberId: B });
		expect(r.state.buckets.get(BK2)).toEqual({ status: 'draft', owners: [B], minGoal: 0, maxGoal: 0, total: 0, tags: [] });
		expect(r.sys({ type: 'create', bucketId: BK2, memberId: A }).outcome).toEqual({ ok: false, reason: 'bucket_exists' });
		expect(r.sys({ type: 'create', bucketId: 'bucket-other' as BucketId, memberId: X }).outcome).toEqual({ ok: false, reason: 'unknown_member' });
	});

	it('§3 setGoals: before funded only; never below the total; stretch ≥ needed; published keeps a budget', () => {
		const r = fundingRound();
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(2_000) });
		expect(r.sys({ type: 'setGoals', bucketId: BK, minGoal: $(1_000), maxGoal: $(1_999) }).outcome).toEqual({ ok: false, reason: 'goals_below_total' });
		expect(r.sys({ type: 'setGoals', bucketId: BK, minGoal: $(0), maxGoal: $(5_000) }).outcome).toEqual({ ok: false, reason: 'no_budget' });
		expect(r.sys({ type: 'setGoals', bucketId: BK, minGoal: $(6_000), maxGoal: $(5_000) }).outcome).toEqual({ ok: false, reason: 'stretch_below_needed' });
		expect(r.sys({ type: 'setGoals', bucketId: BK2, minGoal: $(1), maxGoal: $(1) }).outcome).toEqual({ ok: false, reason: 'unknown_bucket' });
	});

	it('budget governance: an approved bucket goes back to idea when its goals change, and keeps its goals once it holds money', () => {
		const r = fundingRound({ requireApproval: true });
		r.by(F, { type: 'approve', bucketId: BK });
		const { entries } = r.sys({ type: 'setGoals', bucketId: BK, minGoal: $(500_000), maxGoal: $(500_000) });
		expect(entries.map((e) => e.type)).toEqual(['goals', 'status']);
		expect(r.state.buckets.get(BK)).toMatchObject({ status: 'idea', minGoal: 500_000 });
		expect(r.by(B, { type: 'contribute', bucketId: BK, amount: $(100) }).outcome).toEqual({ ok: false, reason: 'wrong_status' });
		r.by(F, { type: 'approve', bucketId: BK });
		r.by(B, { type: 'contribute', bucketId: BK, amount: $(100) });
		expect(r.sys({ type: 'setGoals', bucketId: BK, minGoal: $(8_000), maxGoal: $(8_000) }).outcome).toEqual({ ok: false, reason: 'goals_locked' });
		expect(r.state.buckets.get(BK)).toMatchObject({ status: 'open', minGoal: 500_000 });
	});

	it('budget governance: minGoal never drops to what others gave (their money would be locked)', () => {
		const r = fundingRound();
		r.by(B, { type: 'contribute', bucketId: BK, amount: $(2_000) });
		expect(r.sys({ type: 'setGoals', bucketId: BK, minGoal: $(2_000), maxGoal: $(4_000) }).outcome).toEqual({ ok: false, reason: 'would_lock_funders' });
		expect(r.sys({ type: 'setGoals', bucketId: BK, minGoal: $(1_500), maxGoal: $(4_000) }).outcome).toEqual({ ok: false, reason: 'would_lock_funders' });
		expect(r.state.buckets.get(BK)).toMatchObject({ status: 'open', minGoal: 3_000 });
		expect(r.by(B, { type: 'withdraw', bucketId: BK, amount: $(2_000) }).outcome).toEqual({ ok: true, accepted: 2_000 });
		expect(r.sys({ type: 'setGoals', bucketId: BK, minGoal: $(2_500), maxGoal: $(4_000) }).outcome).toEqual({ ok: true });
	});

	it('§3 setGoals: lowering minGoal to the open total settles the bucket when only its owners’ money is in it; funded goals are frozen', () => {
		const r = fundingRound();
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(2_000) });
		const { entries } = r.sys({ type: 'setGoals', bucketId: BK, minGoal: $(2_000), maxGoal: $(4_000) });
		expect(entries.map((e) => e.type)).toEqual(['goals', 'settle']);
		expect(r.state.buckets.get(BK)).toMatchObject({ status: 'funded', minGoal: 2_000, maxGoal: 4_000 });
		expect(r.sys({ type: 'setGoals', bucketId: BK, minGoal: $(2_000), maxGoal: $(9_000) }).outcome).toEqual({ ok: false, reason: 'wrong_status' });
	});

	it('§3 publish: owner only, a draft with a budget, open or idea when approval is required', () => {
		const r = fundingRound({ requireApproval: true });
		r.sys({ type: 'create', bucketId: BK2, memberId: B });
		expect(r.by(A, { type: 'publish', bucketId: BK2 }).outcome).toEqual({ ok: false, reason: 'not_owner' });
		expect(r.by(B, { type: 'publish', bucketId: BK2 }).outcome).toEqual({ ok: false, reason: 'no_budget' });
		r.sys({ type: 'setGoals', bucketId: BK2, minGoal: $(100), maxGoal: $(100) });
		r.by(B, { type: 'publish', bucketId: BK2 });
		expect(r.state.buckets.get(BK2)?.status).toBe('idea');
		expect(r.by(B, { type: 'publish', bucketId: BK2 }).outcome).toEqual({ ok: false, reason: 'wrong_status' });
		expect(r.state.buckets.get(BK)?.status).toBe('idea');
	});

	it('§3 approve: a facilitator moves an idea to open; anything else is wrong_status', () => {
		const r = fundingRound({ requireApproval: true });
		expect(r.by(F, { type: 'approve', bucketId: BK }).outcome).toEqual({ ok: true });
		expect(r.state.buckets.get(BK)?.status).toBe('open');
		expect(r.by(F, { type: 'approve', bucketId: BK }).outcome).toEqual({ ok: false, reason: 'wrong_status' });
	});

	it('§3 addOwner: an owner adds a known member once', () => {
		const r = fundingRound();
		expect(r.by(B, { type: 'addOwner', bucketId: BK, memberId: B }).outcome).toEqual({ ok: false, reason: 'not_owner' });
		expect(r.by(A, { type: 'addOwner', bucketId: BK, memberId: X }).outcome).toEqual({ ok: false, reason: 'unknown_member' });
		expect(r.by(A, { type: 'addOwner', bucketId: BK, memberId: B }).outcome).toEqual({ ok: true });
		expect(r.by(B, { type: 'addOwner', bucketId: BK, memberId: A }).outcome).toEqual({ ok: false, reason: 'already_owner' });
		expect(r.state.buckets.get(BK)?.owners).toEqual([A, B]);
	});

	it('§3 complete: an owner completes a funded bucket, also after the round closed', () => {
		const r = fundingRound();
		expect(r.by(A, { type: 'complete', bucketId: BK }).outcome).toEqual({ ok: false, reason: 'wrong_status' });
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(3_000) });
		r.by(F, { type: 'setPhase', phase: 'closed' });
		expect(r.by(B, { type: 'complete', bucketId: BK }).outcome).toEqual({ ok: false, reason: 'not_owner' });
		expect(r.by(A, { type: 'complete', bucketId: BK }).outcome).toEqual({ ok: true });
		expect(r.state.buckets.get(BK)?.status).toBe('completed');
	});

	it('§3 cancel: an owner cancels an open bucket and every contribution is refunded', () => {
		const r = fundingRound();
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(1_000) });
		r.by(B, { type: 'contribute', bucketId: BK, amount: $(700) });
		expect(r.by(B, { type: 'cancel', bucketId: BK }).outcome).toEqual({ ok: false, reason: 'not_owner' });
		const { entries } = r.by(A, { type: 'cancel', bucketId: BK });
		expect(entries.map((e) => [e.type, e.memberId, e.amount])).toEqual([
			['refund', A, 1_000],
			['refund', B, 700],
			['status', undefined, 0]
		]);
		expect(r.state.buckets.get(BK)).toMatchObject({ status: 'cancelled', total: 0 });
		expect([balance(r.state, A), balance(r.state, B)]).toEqual([10_000, 10_000]);
	});

	it('§3 cancel: a funded bucket only by a facilitator, and not once paid out', () => {
		const r = fundingRound();
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(3_000) });
		expect(r.by(A, { type: 'cancel', bucketId: BK }).outcome).toEqual({ ok: false, reason: 'wrong_status' });
		const paid = fundingRound();
		paid.by(A, { type: 'contribute', bucketId: BK, amount: $(3_000) });
		paid.by(F, { type: 'markPaid', bucketId: BK });
		expect(paid.by(F, { type: 'cancel', bucketId: BK }).outcome).toEqual({ ok: false, reason: 'already_paid' });
		expect(r.by(F, { type: 'cancel', bucketId: BK }).outcome).toEqual({ ok: true });
		expect(balance(r.state, A)).toBe(10_000);
	});

	it('paid out: a paid bucket takes no more money (already_paid)', () => {
		const r = fundingRound();
		r.by(B, { type: 'contribute', bucketId: BK, amount: $(3_000) });
		r.by(F, { type: 'markPaid', bucketId: BK });
		expect(r.by(A, { type: 'contribute', bucketId: BK, amount: $(500) }).outcome).toEqual({ ok: false, reason: 'already_paid' });
		expect(r.state.buckets.get(BK)?.total).toBe(3_000);
	});

	it('§3 markPaid: a funded or completed bucket, once, also after the round closed', () => {
		const r = fundingRound();
		expect(r.by(F, { type: 'markPaid', bucketId: BK }).outcome).toEqual({ ok: false, reason: 'wrong_status' });
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(3_200) });
		r.by(F, { type: 'setPhase', phase: 'closed' });
		const { entries } = r.by(F, { type: 'markPaid', bucketId: BK });
		expect(entries).toMatchObject([{ type: 'paid', bucketId: BK, amount: 3_200 }]);
		expect(r.state.buckets.get(BK)?.paidAt).toBe(entries[0]?.at);
		expect(r.by(F, { type: 'markPaid', bucketId: BK }).outcome).toEqual({ ok: false, reason: 'already_paid' });
	});
});

describe('round', () => {
	it('§3 setPhase: proposing ↔ funding, the current phase is wrong_phase', () => {
		const r = fundingRound();
		expect(r.by(F, { type: 'setPhase', phase: 'funding' }).outcome).toEqual({ ok: false, reason: 'wrong_phase' });
		expect(r.by(F, { type: 'setPhase', phase: 'proposing' }).entries).toMatchObject([{ type: 'phase', phase: 'proposing' }]);
		expect(r.state.settings.phase).toBe('proposing');
	});

	it('§3 closing refunds every draft/idea/open bucket (unfunded); funded buckets keep their money', () => {
		const r = fundingRound();
		r.sys({ type: 'create', bucketId: BK2, memberId: B });
		r.sys({ type: 'setGoals', bucketId: BK2, minGoal: $(8_000), maxGoal: $(8_000) });
		r.by(B, { type: 'publish', bucketId: BK2 });
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(3_000) });
		r.by(A, { type: 'contribute', bucketId: BK2, amount: $(1_000) });
		r.by(B, { type: 'contribute', bucketId: BK2, amount: $(2_000) });
		r.sys({ type: 'create', bucketId: 'bucket-draft-only' as BucketId, memberId: B });
		const { entries } = r.by(F, { type: 'setPhase', phase: 'closed' });
		expect(entries.map((e) => e.type)).toEqual(['phase', 'refund', 'refund', 'status', 'status']);
		expect(r.state.buckets.get(BK2)).toMatchObject({ status: 'unfunded', total: 0 });
		expect(r.state.buckets.get('bucket-draft-only' as BucketId)?.status).toBe('unfunded');
		expect(r.state.buckets.get(BK)).toMatchObject({ status: 'funded', total: 3_000 });
		expect([balance(r.state, A), balance(r.state, B)]).toEqual([7_000, 10_000]);
	});

	it('§3 configure: a valid patch of known settings; defaultAllocation affects later joiners only', () => {
		const r = fundingRound();
		expect(r.by(F, { type: 'configure', settings: { defaultAllocation: $(50), name: 'Fête' } }).entries).toMatchObject([
			{ type: 'configure', settings: { defaultAllocation: 50, name: 'Fête' } }
		]);
		r.sys({ type: 'join', memberId: X });
		expect([balance(r.state, A), balance(r.state, X)]).toEqual([10_000, 50]);
		const phase = { phase: 'closed' } as unknown as Partial<RoundSettings>;
		expect(r.by(F, { type: 'configure', settings: phase }).outcome).toEqual({ ok: false, reason: 'invalid' });
		expect(r.by(F, { type: 'configure', settings: {} }).outcome).toEqual({ ok: false, reason: 'invalid' });
	});

	it('§5 configure country: set, replaced and cleared with null; an unknown code changes nothing', () => {
		const r = fundingRound();
		expect(r.state.settings.country).toBeUndefined();
		expect(r.by(F, { type: 'configure', settings: { country: 'BE' } }).entries).toMatchObject([{ type: 'configure', settings: { country: 'BE' } }]);
		expect(r.state.settings.country).toBe('BE');
		expect(r.by(F, { type: 'configure', settings: { country: 'EU' } }).outcome).toEqual({ ok: false, reason: 'invalid' });
		expect(r.state.settings.country).toBe('BE');
		r.by(F, { type: 'configure', settings: { country: null } });
		expect(r.state.settings.country).toBeNull();
		expect(replay(r.ledger).settings.country).toBeNull();
		expect(r.by(A, { type: 'configure', settings: { country: 'FR' } }).outcome).toMatchObject({ ok: false });
	});

	it('transparency: anonymous → named is refused once money moved, even taken back; named → anonymous always', () => {
		const r = fundingRound({ transparency: 'anonymous' });
		expect(r.by(F, { type: 'configure', settings: { transparency: 'named' } }).outcome).toEqual({ ok: true });
		expect(r.by(F, { type: 'configure', settings: { transparency: 'anonymous' } }).outcome).toEqual({ ok: true });
		r.by(B, { type: 'contribute', bucketId: BK, amount: $(100) });
		r.by(B, { type: 'withdraw', bucketId: BK, amount: $(100) });
		expect(r.by(F, { type: 'configure', settings: { transparency: 'named' } }).outcome).toEqual({ ok: false, reason: 'transparency_locked' });
		expect(replay(r.ledger).contributed).toBe(true);
		const named = fundingRound();
		named.by(B, { type: 'contribute', bucketId: BK, amount: $(100) });
		expect(named.by(F, { type: 'configure', settings: { transparency: 'anonymous' } }).outcome).toEqual({ ok: true });
	});

	it('§3 configure: currency_locked while a bucket holds money', () => {
		const r = fundingRound();
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(10) });
		expect(r.by(F, { type: 'configure', settings: { currency: 'CHF' } }).outcome).toEqual({ ok: false, reason: 'currency_locked' });
		r.by(A, { type: 'withdraw', bucketId: BK, amount: $(10) });
		expect(r.by(F, { type: 'configure', settings: { currency: 'CHF' } }).outcome).toEqual({ ok: true });
	});

	it('§3 configure: the cap may not drop below a member total in a bucket taking money', () => {
		const r = fundingRound();
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(1_200) });
		expect(r.by(F, { type: 'configure', settings: { maxPerMemberPerBucket: $(1_000) } }).outcome).toEqual({ ok: false, reason: 'cap_below_contributions' });
		expect(r.by(F, { type: 'configure', settings: { maxPerMemberPerBucket: $(1_200) } }).outcome).toEqual({ ok: true });
		expect(r.state.settings.maxPerMemberPerBucket).toBe(1_200);
	});
});

describe('ledger', () => {
	function playedRound(): Round {
		const r = fundingRound({ maxPerMemberPerBucket: $(2_500) });
		r.by(A, { type: 'contribute', bucketId: BK, amount: $(2_500) });
		r.by(B, { type: 'contribute', bucketId: BK, amount: $(600) });
		r.by(F, { type: 'allocate', memberId: B, amount: $(200), mode: 'add' });
		r.by(A, { type: 'complete', bucketId: BK });
		r.by(F, { type: 'markPaid', bucketId: BK });
		return r;
	}

	it('§3 replay: replaying the ledger reproduces the state exactly', () => {
		const r = playedRound();
		expect(replay(r.ledger)).toEqual(r.state);
		expect(r.ledger.map((e) => e.seq)).toEqual(r.ledger.map((_, i) => i + 1));
	});

	it('cloneState: applying to a clone leaves the original untouched', () => {
		const r = playedRound();
		const snapshot = replay(r.ledger);
		const preview = cloneState(r.state);
		apply(preview, { id: r.nextId(), at: 0, type: 'setPhase', phase: 'closed' }, { kind: 'member', memberId: F, role: 'facilitator' }, 1);
		expect(preview.settings.phase).toBe('closed');
		expect(r.state).toEqual(snapshot);
	});

	it('evolve refuses a ledger with a gap or an entry about an unknown bucket', () => {
		const r = playedRound();
		expect(() => replay(r.ledger.filter((e) => e.seq !== 3))).toThrow(LedgerError);
		const state = emptyState();
		evolve(state, r.ledger[0] as LedgerEntry);
		expect(() => evolve(state, { seq: 2, at: 0, type: 'contribute', bucketId: BK, amount: $(1) })).toThrow(/unknown bucket/);
	});

	it('evolve keeps bucket totals from an anonymous replica (contributions without memberId)', () => {
		const r = playedRound();
		const anonymous = r.ledger.map((e) => (e.type === 'contribute' ? { ...e, memberId: undefined } : e));
		expect(replay(anonymous).buckets.get(BK)?.total).toBe(3_100);
	});
});
