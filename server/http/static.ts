// Serves the built SPA with sirv (what SvelteKit's Node adapter uses). The files of build/ are
// indexed once at start: a path is served only if it names one of them, so no path can reach
// outside build/. Brotli and gzip variants written by the build are chosen from Accept-Encoding
// (`Vary: Accept-Encoding`); ETag + Last-Modified make a revalidation a 304. Hashed files under
// /_app/immutable/ are cached for a year; everything else is revalidated (`no-cache`). A page
// route (a path with no file extension outside /_app/) gets the SPA shell; a missing file is a 404.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';
import { HttpError } from './respond.js';

/** The fallback page the adapter writes (svelte.config.js): every client route boots from it. */
const SHELL = 'index.html';
const IMMUTABLE = '/_app/immutable/';

/**
 * A path the SPA routes itself: not under /_app/ (a chunk of an older version must fail as a 404,
 * not boot the shell) and with no file extension in its last segment.
 */
export function isPageRoute(pathname: string): boolean {
	return !pathname.startsWith('/_app/') && !/\.[^/]*$/.test(pathname);
}

/**
 * Paths that no file of the build has and that only probing produces: a `..` segment, a backslash
 * or a NUL once decoded. Refused with a 400 before any lookup, so that even a change in how files
 * are found cannot turn them into a path outside build/.
 */
function suspicious(decoded: string): boolean {
	return /(^|[/\\])\.\.([/\\]|$)|[\\\0]/.test(decoded);
}

export function staticFiles(root: string) {
	if (!existsSync(join(root, SHELL))) {
		return (_req: IncomingMessage, res: ServerResponse): void => {
			res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found: the app is not built.');
		};
	}
	const files = sirv(root, {
		dev: false,
		etag: true,
		brotli: true,
		gzip: true,
		// The shell is chosen here (isPageRoute), not by sirv's guess from the path.
		single: false,
		onNoMatch: (_req, res) => {
			res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found.');
		}
	});
	return (req: IncomingMessage, res: ServerResponse, pathname: string): void => {
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			res.writeHead(405, { Allow: 'GET, HEAD' }).end();
			return;
		}
		let decoded: string;
		try {
			decoded = decodeURIComponent(pathname);
		} catch {
			throw new HttpError(400, 'bad_path', 'The path is not valid percent-encoding.');
		}
		if (suspicious(decoded)) throw new HttpError(400, 'bad_path', 'The path is not one the app serves.');
		// Set before sirv so that a 304 carries them too.
		res.setHeader('Vary', 'Accept-Encoding');
		res.setHeader('Cache-Control', pathname.startsWith(IMMUTABLE) ? 'public, max-age=31536000, immutable' : 'no-cache');
		// sirv reads req.url: give it the path checked above, normalised as the router saw it.
		req.url = pathname;
		if (!isPageRoute(decoded)) return files(req, res);
		files(req, res, () => {
			req.url = `/${SHELL}`;
			files(req, res);
		});
	};
}
