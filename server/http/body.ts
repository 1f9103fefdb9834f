// Reads a request body under a size limit, as it streams: 413 as soon as it is known to be too
// large (from Content-Length, else from the bytes read so far), and 400 when JSON is not JSON.
import type { IncomingMessage } from 'node:http';
import { HttpError } from './respond.js';

export function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
	const tooLarge = new HttpError(413, 'too_large', `The body exceeds ${limit} bytes.`);
	if (Number(req.headers['content-length'] ?? 0) > limit) {
		req.resume();
		return Promise.reject(tooLarge);
	}
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const onData = (chunk: Buffer): void => {
			size += chunk.length;
			if (size <= limit) return void chunks.push(chunk);
			// Keep reading but drop the rest, so that the answer still reaches the client.
			chunks.length = 0;
			req.off('data', onData);
			req.resume();
			reject(tooLarge);
		};
		req.on('data', onData);
		req.on('error', reject);
		req.on('end', () => {
			if (size <= limit) resolve(Buffer.concat(chunks));
		});
	});
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
	const text = (await readBytes(req, limit)).toString('utf8');
	if (text.trim() === '') return {};
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new HttpError(400, 'bad_json', 'The body is not valid JSON.');
	}
}
