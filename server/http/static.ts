// Serves the built SPA: files from build/ with their MIME type; hashed assets cached for a year,
// everything else revalidated; any other GET falls back to index.html (client-side routing).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const MIME: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.webmanifest': 'application/manifest+json; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.ico': 'image/x-icon',
	'.webp': 'image/webp',
	'.woff2': 'font/woff2',
	'.woff': 'font/woff',
	'.txt': 'text/plain; charset=utf-8',
	'.map': 'application/json; charset=utf-8',
	'.wasm': 'application/wasm'
};

async function fileAt(path: string): Promise<{ size: number } | undefined> {
	try {
		const info = await stat(path);
		return info.isFile() ? { size: info.size } : undefined;
	} catch {
		return undefined;
	}
}

export function staticFiles(root: string) {
	const base = normalize(root + sep);
	return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			res.writeHead(405, { Allow: 'GET, HEAD' }).end();
			return;
		}
		const candidate = normalize(join(base, decodeURIComponent(pathname)));
		const inside = candidate.startsWith(base);
		let path = inside ? candidate : join(base, 'index.html');
		let file = inside ? await fileAt(path) : undefined;
		if (!file) {
			path = join(base, 'index.html');
			file = await fileAt(path);
		}
		if (!file) {
			res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found: the app is not built.');
			return;
		}
		const immutable = pathname.startsWith('/_app/immutable/');
		res.writeHead(200, {
			'Content-Type': MIME[extname(path)] ?? 'application/octet-stream',
			'Content-Length': file.size,
			'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
			'X-Content-Type-Options': 'nosniff'
		});
		if (req.method === 'HEAD') {
			res.end();
			return;
		}
		createReadStream(path).pipe(res);
	};
}
