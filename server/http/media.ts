// Bucket images and expense receipts (PROTOCOL §9): POST /api/rounds/:rid/buckets/:bid/images
// stores an upload, GET /api/blobs/<hash>.webp serves a stored width. Uploading stores files and
// answers their names; showing one on a bucket (addImage) or on an expense (recordExpense) is a
// command of the owner, which the sequencer refuses if it names a file this round did not store.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BlobHash, BucketId, ImageRef } from '../../src/lib/domain/types.js';
import { ImageError, processImage, type ImageProblem } from '../media/images.js';
import { KeyedRateLimit } from '../rate-limit.js';
import { HASH, type BlobStore } from '../store/blobs.js';
import { requireMember } from './auth.js';
import { readBytes } from './body.js';
import { HttpError } from './respond.js';
import type { RoundsDeps } from './rounds.js';

export interface MediaLimits {
	/** Largest upload, in bytes, refused as it streams (IMAGE_MAX_BYTES). */
	maxBytes: number;
	/** Largest picture, width × height (IMAGE_MAX_PIXELS). */
	maxPixels: number;
	/** Uploads per member: burst, then per hour. */
	uploads: { burst: number; perHour: number };
	/** Bytes of stored files one member may add to a round per day. */
	bytesPerDay: number;
}

export const DEFAULT_MEDIA_LIMITS: MediaLimits = {
	maxBytes: 10 * 1024 * 1024,
	maxPixels: 40_000_000,
	uploads: { burst: 12, perHour: 60 },
	bytesPerDay: 50 * 1024 * 1024
};

export type MediaDeps = RoundsDeps & { blobs: BlobStore };

const STATUS: Record<ImageProblem, number> = { not_an_image: 415, unsupported_type: 415, too_many_pixels: 413, broken_image: 422 };

export function media(deps: MediaDeps, limits: MediaLimits) {
	const uploads = new KeyedRateLimit(limits.uploads.burst, limits.uploads.perHour / 3600);
	// One decode at a time: libvips already uses every core for one image, and a queue of uploads
	// should cost the meeting's live editing as little as possible.
	let queue: Promise<unknown> = Promise.resolve();
	const serially = <T>(work: () => Promise<T>): Promise<T> => {
		const next = queue.then(work, work);
		queue = next.catch(() => undefined);
		return next;
	};

	/**
	 * An owner of the bucket (or a facilitator) uploads one image; 201 `{ image }` with alt ''. How
	 * many a bucket shows is the addImage command's rule (image_limit); the web app checks it first.
	 */
	async function upload(req: IncomingMessage, roundId: string, bucketId: string): Promise<{ image: ImageRef }> {
		const member = await requireMember(deps.store, req, roundId);
		const bucket = (await deps.sequencer.runtime(roundId)).state.buckets.get(bucketId as BucketId);
		if (!bucket) {
			req.resume();
			throw new HttpError(404, 'unknown_bucket', 'There is no bucket with this id in the round.');
		}
		if (member.role !== 'facilitator' && !bucket.owners.includes(member.id as never)) {
			req.resume();
			throw new HttpError(403, 'forbidden', 'Only an owner of this bucket or a facilitator may add images to it.');
		}
		if (!uploads.take(`${roundId}/${member.id}`)) {
			req.resume();
			throw new HttpError(429, 'rate_limited', 'Too many uploads; try again in a while.');
		}
		const since = Date.now() - 86_400_000;
		if ((await deps.store.blobs.bytesSince(roundId, member.id, since)) >= limits.bytesPerDay) {
			req.resume();
			throw new HttpError(429, 'upload_budget', 'You uploaded as much as a day allows in this round; try again tomorrow.');
		}
		const bytes = await readBytes(req, limits.maxBytes);
		const encoded = await serially(() => processImage(bytes, { maxPixels: limits.maxPixels })).catch((error: unknown) => {
			if (error instanceof ImageError) throw new HttpError(STATUS[error.problem], error.problem, error.message);
			throw error;
		});
		const variants = [];
		const now = Date.now();
		for (const { width, height, bytes: webp } of encoded) {
			const hash = (await deps.blobs.put(webp)) as BlobHash;
			await deps.store.blobs.add(roundId, hash, member.id, webp.length, now);
			variants.push({ width, height, hash });
		}
		return { image: { alt: '', variants } };
	}

	/**
	 * A stored file, for anyone who knows its name (a 256-bit content address, published only in the
	 * round doc of the round that stored it): immutable, with an ETag for revalidation.
	 */
	async function serve(req: IncomingMessage, res: ServerResponse, hash: string): Promise<void> {
		const tag = `"${hash}"`;
		if (!HASH.test(hash) || !(await deps.store.blobs.known(hash))) throw new HttpError(404, 'not_found', 'There is no such file.');
		const headers = {
			'Cache-Control': 'public, max-age=31536000, immutable',
			ETag: tag,
			'Cross-Origin-Resource-Policy': 'same-origin',
			'Content-Security-Policy': "default-src 'none'"
		};
		if (req.headers['if-none-match']?.split(',').some((candidate) => candidate.trim() === tag)) {
			res.writeHead(304, headers);
			return void res.end();
		}
		const bytes = await deps.blobs.get(hash);
		if (!bytes) throw new HttpError(404, 'not_found', 'There is no such file.');
		res.writeHead(200, { ...headers, 'Content-Type': 'image/webp', 'Content-Length': bytes.length });
		res.end(req.method === 'HEAD' ? undefined : bytes);
	}

	return { upload, serve };
}
