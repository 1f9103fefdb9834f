// §12 images: the pipeline against real files made here with sharp, and hostile ones made by hand.
import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ImageError, processImage, sniff } from '../../server/media/images.js';

const LIMITS = { maxPixels: 40_000_000 };
const picture = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#3a7d44' } });

async function problemOf(bytes: Uint8Array): Promise<string> {
	try {
		await processImage(bytes, LIMITS);
	} catch (error) {
		if (error instanceof ImageError) return error.problem;
		throw error;
	}
	return 'accepted';
}

/** A PNG whose header declares `width` × `height` (valid chunks and CRCs) but carries one tiny row of data. */
function pngDeclaring(width: number, height: number): Buffer {
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(body));
		return Buffer.concat([length, body, crc]);
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(Buffer.alloc(1024))),
		chunk('IEND', Buffer.alloc(0))
	]);
}

describe('image pipeline (PROTOCOL §9)', () => {
	it('§12 images: a JPEG with EXIF GPS and a rotation comes out upright, as WebP, with no metadata at all', async () => {
		const jpeg = await picture(1200, 900)
			.jpeg()
			.withMetadata({ orientation: 6 })
			.withExifMerge({ IFD0: { Artist: 'Alice Martin' }, IFD3: { GPSLatitudeRef: 'N', GPSMapDatum: 'WGS-84' } })
			.toBuffer();
		expect(jpeg.includes('WGS-84')).toBe(true);
		const out = await processImage(jpeg, LIMITS);
		// Orientation 6: the 1200 × 900 picture is shown 900 wide, so 320, 800 and its own 900.
		expect(out.map((v) => [v.width, v.height])).toEqual([[320, 427], [800, 1067], [900, 1200]]);
		for (const variant of out) {
			const meta = await sharp(variant.bytes).metadata();
			expect(meta.format).toBe('webp');
			expect(meta.exif).toBeUndefined();
			expect(meta.xmp).toBeUndefined();
			expect(meta.orientation).toBeUndefined();
			expect(variant.bytes.includes('WGS-84')).toBe(false);
			expect(variant.bytes.includes('Alice Martin')).toBe(false);
		}
	});

	it('§12 images: PNG and WebP are accepted, never enlarged, widths smallest first', async () => {
		const png = await picture(2000, 1000).png().toBuffer();
		expect((await processImage(png, LIMITS)).map((v) => v.width)).toEqual([320, 800, 1600]);
		const webp = await picture(500, 400).webp().toBuffer();
		expect((await processImage(webp, LIMITS)).map((v) => v.width)).toEqual([320, 500]);
	});

	it('§12 images: judged by the bytes, not the name: text renamed .jpg, a GIF, an SVG', async () => {
		expect(await problemOf(Buffer.from('holiday.jpg: this is not a picture\n'))).toBe('not_an_image');
		expect(await problemOf(await picture(20, 20).gif().toBuffer())).toBe('unsupported_type');
		expect(await problemOf(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('unsupported_type');
		expect(sniff(await picture(4, 4).jpeg().toBuffer())).toBe('jpeg');
	});

	it('§12 images: a PNG declaring 100,000 × 100,000 pixels is refused from its header (decompression bomb)', async () => {
		const bomb = pngDeclaring(100_000, 100_000);
		expect(bomb.length).toBeLessThan(2_000);
		expect(await problemOf(bomb)).toBe('too_many_pixels');
	});

	it('§12 images: a truncated JPEG is refused as damaged, not shown half grey', async () => {
		const jpeg = await picture(800, 600).jpeg({ quality: 90 }).toBuffer();
		expect(await problemOf(jpeg.subarray(0, Math.floor(jpeg.length / 2)))).toBe('broken_image');
	});
});
