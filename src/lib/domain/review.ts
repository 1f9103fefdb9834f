// The review flow's vocabulary (Cobudget's tags, guidelines and flags; DESIGN §12): the fixed tag
// palette, the bounds every rule and form uses, and read helpers over a round's review state.
import type { BucketId, Flag, MemberId, Review, Tag, TagId } from './types.js';

/**
 * Tag colours, by name. Each is dark enough for white text at WCAG AA (contrast ≥ 4.5:1); pages map
 * a name to its colour (TagChip), so a tag never carries a colour of its own.
 */
export const TAG_COLOURS = ['blue', 'green', 'amber', 'red', 'purple', 'pink', 'teal', 'grey'] as const;
export type TagColour = (typeof TAG_COLOURS)[number];

export const REVIEW_LIMITS = {
	/** Tags a round may define. */
	tags: 24,
	tagName: 30,
	/** Tags one bucket may carry. */
	bucketTags: 5,
	guidelines: 20,
	guidelineTitle: 80,
	guidelineText: 500,
	/** A flag's comment and a resolution's note. */
	flagText: 500,
	/** Open flags one member may have raised at a time. */
	openFlagsPerMember: 3
} as const;

export function emptyReview(): Review {
	return { tags: new Map(), guidelines: new Map(), flags: new Map() };
}

export function cloneReview(review: Review): Review {
	return { tags: new Map(review.tags), guidelines: new Map(review.guidelines), flags: new Map(review.flags) };
}

export function isOpen(flag: Flag): boolean {
	return flag.resolved === undefined;
}

/** Open flags, oldest first; of one bucket when `bucketId` is given. */
export function openFlags(review: Review, bucketId?: BucketId): Flag[] {
	return [...review.flags.values()].filter((flag) => isOpen(flag) && (bucketId === undefined || flag.bucketId === bucketId));
}

/** How many open flags `memberId` raised (the bound of `raiseFlag`). */
export function openFlagsBy(review: Review, memberId: MemberId): number {
	let count = 0;
	for (const flag of review.flags.values()) if (isOpen(flag) && flag.raisedBy === memberId) count++;
	return count;
}

/** The defined tags among `ids`, in the round's order of definition. */
export function tagsOf(review: Review, ids: readonly TagId[]): Tag[] {
	return [...review.tags.values()].filter((tag) => ids.includes(tag.id));
}

/** The tag a link names (`?tag=` on the projector), by id or by name in any case. */
export function findTag(review: Review, wanted: string | null): Tag | undefined {
	if (!wanted) return undefined;
	const folded = wanted.trim().toLowerCase();
	return review.tags.get(wanted as TagId) ?? [...review.tags.values()].find((tag) => tag.name.toLowerCase() === folded);
}
