// Rules of the review flow (DESIGN §12): facilitators define tags and guidelines, owners tag their
// buckets, members raise flags citing a guideline, facilitators resolve them. Every step is a
// ledger entry, so it is sequenced, rate-limited and auditable like any other write.
import { accept, draft, refuse, type Context } from './decision.js';
import { REVIEW_LIMITS, TAG_COLOURS, isOpen, openFlagsBy } from './review.js';
import type { Command, Decision, FlagId, RoundState } from './types.js';

type Of<T extends Command['type']> = Extract<Command, { type: T }>;

/** The bounds the schema also checks, again here: the rules must hold for any caller. */
function fits(text: string, max: number): boolean {
	return text.trim().length > 0 && text.length <= max;
}

/** defineTag (facilitator): a new tag, or a new name or colour for an existing one; at most `tags`. */
export function defineTag(state: RoundState, command: Of<'defineTag'>, ctx: Context): Decision {
	const { tag } = command;
	if (!fits(tag.name, REVIEW_LIMITS.tagName) || !(TAG_COLOURS as readonly string[]).includes(tag.colour)) return refuse('invalid');
	const tags = state.review.tags;
	if (!tags.has(tag.id) && tags.size >= REVIEW_LIMITS.tags) return refuse('too_many_tags');
	return accept([draft(ctx, 'tag', { tag: { id: tag.id, name: tag.name, colour: tag.colour } })]);
}

/** defineGuideline (facilitator): a new guideline or new words for one; at most `guidelines`. */
export function defineGuideline(state: RoundState, command: Of<'defineGuideline'>, ctx: Context): Decision {
	const { guideline } = command;
	if (!fits(guideline.title, REVIEW_LIMITS.guidelineTitle) || guideline.text.length > REVIEW_LIMITS.guidelineText) return refuse('invalid');
	const guidelines = state.review.guidelines;
	if (!guidelines.has(guideline.id) && guidelines.size >= REVIEW_LIMITS.guidelines) return refuse('too_many_guidelines');
	return accept([draft(ctx, 'guideline', { guideline: { id: guideline.id, title: guideline.title, text: guideline.text } })]);
}

/** tagBucket (owner): the bucket's tags become `tags`: defined tags only, each once, at most `bucketTags`. */
export function tagBucket(state: RoundState, command: Of<'tagBucket'>, ctx: Context): Decision {
	const bucket = state.buckets.get(command.bucketId);
	if (!bucket) return refuse('unknown_bucket');
	if (ctx.memberId === undefined || !bucket.owners.includes(ctx.memberId)) return refuse('not_owner');
	const tags = [...new Set(command.tags)];
	if (tags.length !== command.tags.length || tags.length > REVIEW_LIMITS.bucketTags) return refuse('too_many_tags');
	if (!tags.every((id) => state.review.tags.has(id))) return refuse('unknown_tag');
	return accept([draft(ctx, 'tags', { bucketId: command.bucketId, tags })]);
}

/**
 * raiseFlag (member): on a bucket that exists, citing a defined guideline, with a comment. One open
 * flag per member and bucket (already_flagged), and at most `openFlagsPerMember` open flags per
 * member (too_many_flags): a member cannot bury the round's buckets under flags.
 */
export function raiseFlag(state: RoundState, command: Of<'raiseFlag'>, ctx: Context): Decision {
	const memberId = ctx.memberId;
	if (memberId === undefined || !fits(command.text, REVIEW_LIMITS.flagText)) return refuse('invalid');
	if (!state.buckets.has(command.bucketId)) return refuse('unknown_bucket');
	const review = state.review;
	if (!review.guidelines.has(command.guidelineId)) return refuse('unknown_guideline');
	for (const flag of review.flags.values()) {
		if (isOpen(flag) && flag.bucketId === command.bucketId && flag.raisedBy === memberId) return refuse('already_flagged');
	}
	if (openFlagsBy(review, memberId) >= REVIEW_LIMITS.openFlagsPerMember) return refuse('too_many_flags');
	return accept([draft(ctx, 'flag', { bucketId: command.bucketId, memberId, guidelineId: command.guidelineId, text: command.text })]);
}

/** resolveFlag (facilitator): an open flag is resolved, with a note. */
export function resolveFlag(state: RoundState, command: Of<'resolveFlag'>, ctx: Context): Decision {
	if (command.text.length > REVIEW_LIMITS.flagText) return refuse('invalid');
	const flag = state.review.flags.get(command.flagId);
	if (!flag) return refuse('unknown_flag');
	if (!isOpen(flag)) return refuse('already_resolved');
	const flagId: FlagId = command.flagId;
	return accept([draft(ctx, 'resolve', { bucketId: flag.bucketId, memberId: ctx.memberId, flagId, text: command.text })]);
}
