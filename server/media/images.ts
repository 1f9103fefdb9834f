// The image pipeline (PROTOCOL §9): an upload is judged by its bytes, never by its name or its
// Content-Type; decoded by sharp (libvips) under a pixel limit, so that a small file declaring a
// huge picture (a decompression bomb) is refused from its header before anything is decoded;
// turned upright (EXIF orientation), then re-encoded at a few widths as WebP. Re-encoding drops
// every metadata block (EXIF with its GPS position, XMP, IPTC, comments: sharp writes none unless
// asked with withMetadata/keepMetadata, which this file never calls) and whatever else the file
// carried after or inside the picture.
import sharp from 'sharp';

export const IMAGE_WIDTHS = [320, 800, 1600] as const;

export type ImageProblem = 'not_an_image' | 'unsupported_type' | 'too_many_pixels' | 'broken_image';

export class ImageError extends Error {
	constructor(
		readonly problem: ImageProblem,
		message: string
	) {
		super(message);
	}
}

export type Sniffed = 'jpeg' | 'png' | 'webp';

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) => signature.every((byte, i) => bytes[at + i] === byte);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** Formats people may try that are images but not accepted (told apart from "not an image"). */
const OTHER_IMAGES: [number[], number][] = [
	[ascii('GIF8'), 0],
	[ascii('BM'), 0],
	[[0x49, 0x49, 0x2a, 0x00], 0], // TIFF, little-endian
	[[0x4d, 0x4d, 0x00, 0x2a], 0], // TIFF, big-endian
	[ascii('ftyp'), 4], // HEIC, AVIF (ISO media)
	[[0x00, 0x00, 0x01, 0x00], 0] // ICO
];

/** The accepted format the bytes are, from their magic numbers. */
export function sniff(bytes: Uint8Array): Sniffed | ImageProblem {
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
	if (OTHER_IMAGES.some(([signature, at]) => startsWith(bytes, signature, at))) return 'unsupported_type';
	const head = Buffer.from(bytes.subarray(0, 256)).toString('utf8').trimStart().toLowerCase();
	if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'unsupported_type';
	return 'not_an_image';
}

export interface Encoded {
	width: number;
	height: number;
	bytes: Buffer;
}

export interface PipelineLimits {
	/** Width × height above which an image is refused from its header (sharp's limitInputPixels). */
	maxPixels: number;
}

/**
 * Every width of IMAGE_WIDTHS not larger than the picture (a small picture gives one, at its own
 * width), smallest first, upright, as WebP without metadata. Throws ImageError.
 */
export async function processImage(bytes: Uint8Array, limits: PipelineLimits): Promise<Encoded[]> {
	const kind = sniff(bytes);
	if (kind === 'not_an_image') throw new ImageError(kind, 'The file is not an image.');
	if (kind === 'unsupported_type') throw new ImageError(kind, 'Only JPEG, PNG and WebP images are accepted.');
	// failOn 'warning': a truncated or corrupt file is refused rather than shown half grey.
	const input = () => sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'warning', animated: false });
	let upright: { width: number; height: number };
	try {
		const meta = await input().metadata();
		if (meta.format !== kind) throw new ImageError('broken_image', 'The file is damaged.');
		if (meta.width * meta.height > limits.maxPixels) {
			throw new ImageError('too_many_pixels', `The picture has more than ${limits.maxPixels} pixels.`);
		}
		upright = { width: meta.autoOrient.width, height: meta.autoOrient.height };
	} catch (error) {
		throw asImageError(error);
	}
	const widths = [...new Set(IMAGE_WIDTHS.map((width) => Math.min(width, upright.width)))];
	try {
		return await Promise.all(
			widths.map(async (width) => {
				const { data, info } = await input()
					.rotate()
					.resize({ width, withoutEnlargement: true })
					.webp({ quality: 80 })
					.toBuffer({ resolveWithObject: true });
				return { width: info.width, height: info.height, bytes: data };
			})
		);
	} catch (error) {
		throw asImageError(error);
	}
}

function asImageError(error: unknown): ImageError {
	if (error instanceof ImageError) return error;
	const message = error instanceof Error ? error.message : String(error);
	if (/pixel limit/i.test(message)) return new ImageError('too_many_pixels', 'The picture has too many pixels.');
	return new ImageError('broken_image', 'The file is damaged or cut short.');
}
