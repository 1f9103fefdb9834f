// Rules of a bucket's images (PROTOCOL §9). The bytes are the server's business (uploaded, checked
// and stored before any command names them; the sequencer refuses a reference to a file this round
// never stored); these rules only decide who may show which images on a bucket, and how many.
import { accept, draft, refuse, type Context } from './decision.js';
import type { BlobHash, BucketAccount, Command, Decision, ImageRef, MemberId, RoundState } from './types.js';

type Of<T extends Command['type']> = Extract<Command, { type: T }>;

/** At most this many images per bucket: enough to show a project, few enough for a phone's data plan. */
export const MAX_IMAGES_PER_BUCKET = 6;

/** The name of an image: the hash of its largest width. */
export function imageName(image: ImageRef): BlobHash | undefined {
	return image.variants.at(-1)?.hash;
}

/** Owners change what a bucket shows; a facilitator may too (moderation). */
function mayEdit(bucket: BucketAccount, ctx: Context): boolean {
	return ctx.facilitator || (ctx.memberId !== undefined && bucket.owners.includes(ctx.memberId));
}

/** addImage (owner or facilitator): at most MAX_IMAGES_PER_BUCKET, each image once. */
export function addImage(state: RoundState, command: Of<'addImage'>, ctx: Context): Decision {
	const bucket = state.buckets.get(command.bucketId);
	if (!bucket) return refuse('unknown_bucket');
	if (!mayEdit(bucket, ctx)) return refuse('not_owner');
	const images = bucket.images ?? [];
	const name = imageName(command.image);
	if (name === undefined) return refuse('invalid');
	if (images.some((image) => imageName(image) === name)) return refuse('image_exists');
	if (images.length >= MAX_IMAGES_PER_BUCKET) return refuse('image_limit');
	return accept([draft(ctx, 'image', { bucketId: command.bucketId, memberId: ctx.memberId as MemberId, image: command.image })]);
}

/** removeImage (owner or facilitator): the image leaves the bucket (the stored file stays: others may name it). */
export function removeImage(state: RoundState, command: Of<'removeImage'>, ctx: Context): Decision {
	const bucket = state.buckets.get(command.bucketId);
	if (!bucket) return refuse('unknown_bucket');
	if (!mayEdit(bucket, ctx)) return refuse('not_owner');
	if (!(bucket.images ?? []).some((image) => imageName(image) === command.hash)) return refuse('unknown_image');
	return accept([draft(ctx, 'imageRemoved', { bucketId: command.bucketId, memberId: ctx.memberId as MemberId, hash: command.hash })]);
}
