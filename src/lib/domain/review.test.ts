import { describe, expect, it } from 'vitest';
import { commentNotifications, notificationsOf, parseNotification, unreadCount } from './notifications.js';
import { apply, replay } from './reducer.js';
import { REVIEW_LIMITS, findTag, openFlags } from './review.js';
import { parseCommand } from './schemas.js';
import type { Actor, Amount, BucketId, Command, FlagId, GuidelineId, LedgerEntry, MemberCommand, MemberId, RoundSettings, TagId } from './types.js';

const F = 'facilitator-1' as MemberId;
const A = 'member-alice' as MemberId;
const B = 'member-bobby' as MemberId;
const BK = 'bucket-garden' as BucketId;
const TAG = 'tag-gardening' as TagId;
const RULE = 'guideline-local' as GuidelineId;
type Body<C> = C extends unknown ? Omit<C, 'id' | 'at'> : never;

/** A round in funding: F facilitates, A owns BK (goal 3000), B is a member; one tag and one guideline. */
function round(over: Partial<RoundSettings> = {}) {
	const ledger: LedgerEntry[] = [];
	const state = replay([]);
	let n = 0;
	const run = (body: Body<Command>, actor: Actor) => {
		const result = apply(state, { ...body, id: `command-${String(++n).padStart(4, '0')}`, at: 0 } as Command, actor, 1_000 + n);
		ledger.push(...result.entries);
		return result;
	};
	const by = (memberId: MemberId, body: Body<MemberCommand>) => run(body, { kind: 'member', memberId, role: memberId === F ? 'facilitator' : 'member' });
	const settings: RoundSettings = {
		name: 'Fête',
		currency: 'EUR',
		locale: 'fr-FR',
		phase: 'proposing',
		defaultAllocation: 10_000 as Amount,
		maxPerMemberPerBucket: null,
		transparency: 'named',
		requireApproval: false,
		...over
	};
	run({ type: 'open', settings }, { kind: 'system' });
	for (const memberId of [F, A, B]) run({ type: 'join', memberId }, { kind: 'system' });
	run({ type: 'create', bucketId: BK, memberId: A }, { kind: 'system' });
	run({ type: 'setGoals', bucketId: BK, minGoal: 3_000 as Amount, maxGoal: 3_000 as Amount }, { kind: 'system' });
	by(A, { type: 'publish', bucketId: BK });
	by(F, { type: 'setPhase', phase: 'funding' });
	by(F, { type: 'defineTag', tag: { id: TAG, name: 'Gardening', colour: 'green' } });
	by(F, { type: 'defineGuideline', guideline: { id: RULE, title: 'Local', text: 'Spent in the village.' } });
	return { state, ledger, by, run };
}

describe('§12 tags and guidelines', () => {
	it('§12 tags: only facilitators define them, with a palette colour and a bounded name', () => {
		const r = round();
		expect(r.by(B, { type: 'defineTag', tag: { id: 'tag-other-1' as TagId, name: 'Other', colour: 'blue' } }).outcome).toEqual({ ok: false, reason: 'not_facilitator' });
		expect(r.by(F, { type: 'defineTag', tag: { id: 'tag-other-1' as TagId, name: 'Other', colour: '#ff0000' } }).outcome).toEqual({ ok: false, reason: 'invalid' });
		expect(r.by(F, { type: 'defineTag', tag: { id: TAG, name: 'Garden', colour: 'teal' } }).outcome.ok).toBe(true);
		expect(r.state.review.tags.get(TAG)).toEqual({ id: TAG, name: 'Garden', colour: 'teal' });
		expect(parseCommand({ id: 'command-xxxx', at: 0, type: 'defineTag', tag: { id: TAG, name: 'x'.repeat(REVIEW_LIMITS.tagName + 1), colour: 'teal' } }).ok).toBe(false);
	});

	it('§12 tags: a round defines at most REVIEW_LIMITS.tags (too_many_tags); redefining one is always allowed', () => {
		const r = round();
		for (let i = 1; i < REVIEW_LIMITS.tags; i++) {
			expect(r.by(F, { type: 'defineTag', tag: { id: `tag-number-${i}` as TagId, name: `T${i}`, colour: 'grey' } }).outcome.ok).toBe(true);
		}
		expect(r.by(F, { type: 'defineTag', tag: { id: 'tag-one-more' as TagId, name: 'More', colour: 'grey' } }).outcome).toEqual({ ok: false, reason: 'too_many_tags' });
		expect(r.by(F, { type: 'defineTag', tag: { id: TAG, name: 'Renamed', colour: 'grey' } }).outcome.ok).toBe(true);
	});

	it('§12 projector ?tag=: a tag is found by id or by name in any case, nothing for an unknown one', () => {
		const { review } = round().state;
		expect(findTag(review, TAG)?.name).toBe('Gardening');
		expect(findTag(review, ' gardening ')?.id).toBe(TAG);
		expect(findTag(review, 'Cooking')).toBeUndefined();
		expect(findTag(review, null)).toBeUndefined();
	});

	it('§12 tagBucket: owners only, defined tags only, each once, a bounded count', () => {
		const r = round();
		expect(r.by(B, { type: 'tagBucket', bucketId: BK, tags: [TAG] }).outcome).toEqual({ ok: false, reason: 'not_owner' });
		expect(r.by(A, { type: 'tagBucket', bucketId: BK, tags: ['tag-undefined' as TagId] }).outcome).toEqual({ ok: false, reason: 'unknown_tag' });
		expect(r.by(A, { type: 'tagBucket', bucketId: BK, tags: [TAG, TAG] }).outcome).toEqual({ ok: false, reason: 'too_many_tags' });
		expect(r.by(A, { type: 'tagBucket', bucketId: BK, tags: [TAG] }).outcome.ok).toBe(true);
		expect(r.state.buckets.get(BK)?.tags).toEqual([TAG]);
		expect(replay(r.ledger).buckets.get(BK)?.tags).toEqual([TAG]);
		const tooMany = Array.from({ length: REVIEW_LIMITS.bucketTags + 1 }, (_, i) => `tag-number-${i}`);
		expect(parseCommand({ id: 'command-xxxx', at: 0, type: 'tagBucket', bucketId: BK, tags: tooMany }).ok).toBe(false);
	});
});

describe('§12 flags', () => {
	it('§12 raiseFlag: cites a defined guideline of a bucket that exists, with a comment; resolveFlag by a facilitator, once', () => {
		const r = round();
		expect(r.by(B, { type: 'raiseFlag', bucketId: BK, guidelineId: 'guideline-none' as GuidelineId, text: 'Why' }).outcome).toEqual({ ok: false, reason: 'unknown_guideline' });
		expect(r.by(B, { type: 'raiseFlag', bucketId: 'bucket-nowhere' as BucketId, guidelineId: RULE, text: 'Why' }).outcome).toEqual({ ok: false, reason: 'unknown_bucket' });
		const raised = r.by(B, { type: 'raiseFlag', bucketId: BK, guidelineId: RULE, text: 'Bought in town' });
		expect(raised.outcome.ok).toBe(true);
		const flagId = raised.entries[0]!.commandId as string as FlagId;
		expect(openFlags(r.state.review, BK)).toMatchObject([{ id: flagId, raisedBy: B, guidelineId: RULE, text: 'Bought in town' }]);
		expect(r.by(B, { type: 'raiseFlag', bucketId: BK, guidelineId: RULE, text: 'Again' }).outcome).toEqual({ ok: false, reason: 'already_flagged' });
		expect(r.by(A, { type: 'resolveFlag', flagId, text: 'No' }).outcome).toEqual({ ok: false, reason: 'not_facilitator' });
		expect(r.by(F, { type: 'resolveFlag', flagId: 'command-unknown' as FlagId, text: '' }).outcome).toEqual({ ok: false, reason: 'unknown_flag' });
		expect(r.by(F, { type: 'resolveFlag', flagId, text: 'The seeds are local' }).outcome.ok).toBe(true);
		expect(r.by(F, { type: 'resolveFlag', flagId, text: 'Twice' }).outcome).toEqual({ ok: false, reason: 'already_resolved' });
		expect(openFlags(r.state.review, BK)).toEqual([]);
		expect(replay(r.ledger).review.flags.get(flagId)?.resolved).toMatchObject({ text: 'The seeds are local', by: F });
	});

	it('§12 raiseFlag: a member has at most REVIEW_LIMITS.openFlagsPerMember open flags (too_many_flags)', () => {
		const r = round();
		const buckets = Array.from({ length: REVIEW_LIMITS.openFlagsPerMember + 1 }, (_, i) => `bucket-extra-${i}` as BucketId);
		for (const bucketId of buckets) r.run({ type: 'create', bucketId, memberId: A }, { kind: 'system' });
		const outcomes = buckets.map((bucketId) => r.by(B, { type: 'raiseFlag', bucketId, guidelineId: RULE, text: 'Why' }).outcome);
		expect(outcomes.slice(0, -1).every((o) => o.ok)).toBe(true);
		expect(outcomes.at(-1)).toEqual({ ok: false, reason: 'too_many_flags' });
		// Another member is not bounded by B's flags.
		expect(r.by(F, { type: 'raiseFlag', bucketId: buckets.at(-1)!, guidelineId: RULE, text: 'Why' }).outcome.ok).toBe(true);
	});
});

describe('§12 notifications', () => {
	it('§12 notifications: owners hear of money (one sum per turn, no names), funding and flags; funders of refunds; everyone of phases', () => {
		const r = round();
		const first = r.by(B, { type: 'contribute', bucketId: BK, amount: 1_000 as Amount }).entries;
		const second = r.by(F, { type: 'contribute', bucketId: BK, amount: 2_000 as Amount }).entries;
		const outbox = notificationsOf(r.state, [...first, ...second]);
		expect(outbox.get(A)).toEqual([
			{ at: expect.any(Number), kind: 'received', bucketId: BK, amount: 3_000 },
			{ at: expect.any(Number), kind: 'funded', bucketId: BK }
		]);
		expect(outbox.has(B)).toBe(false);
		const closing = r.by(F, { type: 'setPhase', phase: 'closed' }).entries;
		expect(notificationsOf(r.state, closing).get(B)).toEqual([{ at: expect.any(Number), kind: 'phase', phase: 'closed' }]);
	});

	it('§12 notifications: a cancelled bucket tells each funder its refund; a flag and a comment tell the owners but not their author', () => {
		const r = round();
		r.by(B, { type: 'contribute', bucketId: BK, amount: 500 as Amount });
		const cancel = r.by(A, { type: 'cancel', bucketId: BK }).entries;
		expect(notificationsOf(r.state, cancel).get(B)).toEqual([{ at: expect.any(Number), kind: 'refunded', bucketId: BK, amount: 500, status: 'cancelled' }]);
		const flag = r.by(B, { type: 'raiseFlag', bucketId: BK, guidelineId: RULE, text: 'Why' }).entries;
		expect([...notificationsOf(r.state, flag).keys()]).toEqual([A]);
		expect([...commentNotifications(r.state, BK, A, 5).keys()]).toEqual([]);
		expect(commentNotifications(r.state, BK, B, 5).get(A)).toEqual([{ at: 5, kind: 'comment', bucketId: BK }]);
	});

	it('§12 notifications: in an anonymous round they name nobody', () => {
		const r = round({ transparency: 'anonymous' });
		const entries = r.by(B, { type: 'contribute', bucketId: BK, amount: 3_000 as Amount }).entries;
		const told = JSON.stringify([...notificationsOf(r.state, entries)]);
		expect(told).toContain('received');
		expect(told.replace(`"${A}"`, '')).not.toContain(B);
	});

	it('§12 readers drop notifications that do not parse and count the unread after the marker', () => {
		expect(parseNotification({ n: 1, at: 2, kind: 'funded', bucketId: BK })).toEqual({ n: 1, at: 2, kind: 'funded', bucketId: BK });
		for (const bad of [null, 'x', { n: 1, at: 2, kind: 'gossip' }, { n: '1', at: 2, kind: 'phase' }, { n: 1, at: 2, kind: 'phase', phase: 'party' }]) {
			expect(parseNotification(bad)).toBeUndefined();
		}
		const list = [1, 2, 3].map((n) => ({ n, at: n, kind: 'phase' as const }));
		expect(unreadCount(list, 1)).toBe(2);
		expect(unreadCount(list, 3)).toBe(0);
	});
});
