// Reads a JSON request body under a size limit (413 beyond it, 400 when it is not JSON).
import type { IncomingMessage } from 'node:http';
import { HttpError } from './respond.js';

export function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
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
			req.off('data', onData);
			req.resume();
			reject(tooLarge);
		};
		req.on('data', onData);
		req.on('error', reject);
		req.on('end', () => {
			if (size > limit) return;
			const text = Buffer.concat(chunks).toString('utf8');
			if (text.trim() === '') return resolve({});
			try {
				resolve(JSON.parse(text) as unknown);
			} catch {
				reject(new HttpError(400, 'bad_json', 'The body is not valid JSON.'));
			}
		});
	});
}
