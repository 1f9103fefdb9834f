import { describe, expect, it } from 'vitest';
import type { Amount, BucketId, CommandId, MemberCommand, MemberId, RoundSettings } from '$lib/domain/types';
import { previewPending, type Known } from './preview';
import type { BucketView } from './round.svelte';

const ME = 'member-alice' as MemberId;
const OTHER = 'member-bobby' as MemberId;
const BK = 'bucket-garden' as BucketId;
const $ = (n: number) => n as Amount;

const settings: RoundSettings = {
	name: 'Fête',
	currency: 'EUR',
	locale: 'fr-FR',
	phase: 'funding',
	defaultAllocation: $(10_000),
	maxPerMemberPerBucket: $(2_500),
	transparency: 'named',
	requireApproval: false
};

function bucket(total: number): BucketView {
	return {
		id: BK,
		title: 'Jardin',
		summary: '',
		description: '',
		items: [],
		status: 'open',
		owners: [OTHER],
		minGoal: $(8_000),
		maxGoal: $(8_000),
		total: $(total),
		createdAt: 0,
		tags: [],
		comments: [],
		funders: []
	};
}

/** Alice already gave 2,000 (confirmed); Bobby 1,000; the cap per member is 2,500. */
const known: Known = {
	settings,
	memberIds: [ME, OTHER],
	buckets: [bucket(3_000)],
	wallet: { allocated: 10_000, spent: 2_000, balance: 8_000, contributions: { [BK]: 2_000 } },
	memberId: ME,
	role: 'member',
	seq: 10
};

const give = (amount: number): MemberCommand => ({ type: 'contribute', id: 'command-pending1' as CommandId, at: 0, bucketId: BK, amount: $(amount) });

describe('previewPending', () => {
	it('counts the confirmed money of a bucket that pending money goes to as well (cap, own, total)', () => {
		const preview = previewPending(known, new Map(), [give(1_000)]);
		// 2,000 confirmed + at most 500 more under the 2,500 cap.
		expect(preview.outcomes.get('command-pending1' as CommandId)).toMatchObject({ ok: true, accepted: 500 });
		expect(preview.balance).toBe(7_500);
		expect(preview.limits.get(BK)).toBe(0);
	});

	it('a pending take-back can take back the confirmed money', () => {
		const takeBack: MemberCommand = { type: 'withdraw', id: 'command-pending2' as CommandId, at: 0, bucketId: BK, amount: $(2_000) };
		const preview = previewPending(known, new Map(), [takeBack]);
		expect(preview.outcomes.get('command-pending2' as CommandId)).toMatchObject({ ok: true });
		expect(preview.balance).toBe(10_000);
	});

	it('§12 closed round: the page offers no cancel (nor any command the server refuses), only what still applies', () => {
		const funded = { ...bucket(8_000), status: 'funded' as const, owners: [ME] };
		const facilitator = { ...known, role: 'facilitator' as const, buckets: [funded] };
		const during = previewPending(facilitator, new Map(), []);
		expect([...(during.offered.get(BK) ?? [])].sort()).toEqual(['cancel', 'complete', 'markPaid']);
		const closed = previewPending({ ...facilitator, settings: { ...settings, phase: 'closed' } }, new Map(), []);
		expect([...(closed.offered.get(BK) ?? [])].sort()).toEqual(['complete', 'markPaid']);
		expect(closed.limits.get(BK)).toBe(0);
	});

	it('a member who owns nothing is offered nothing on someone else’s bucket', () => {
		expect([...(previewPending(known, new Map(), []).offered.get(BK) ?? [])]).toEqual([]);
	});
});
