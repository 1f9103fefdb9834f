// The HTTP side: /api/* (JSON) and the built SPA for everything else. /sync upgrades are handled
// by the sync server; a plain GET on /sync is a 404 here.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopback, type Reachable } from '../addresses.js';
import type { Log } from '../log.js';
import { KeyedRateLimit } from '../rate-limit.js';
import { readJson } from './body.js';
import { clientAddress, type TrustProxy } from './client-address.js';
import { contentDisposition, exportHistory, exportRound, type Download, type ExportFormat } from './exports.js';
import { HttpError, sendError, sendJson } from './respond.js';
import * as rounds from './rounds.js';
import { securityHeaders } from './headers.js';
import { isPageRoute, staticFiles } from './static.js';

export interface HttpOptions {
	staticDir: string;
	bodyLimit: number;
	/** Per IP: burst and refill per minute for round creation and for joining. */
	createRate: { burst: number; perMinute: number };
	joinRate: { burst: number; perMinute: number };
	/** Origins allowed to frame the projector view (FRAME_ANCESTORS); empty: none. */
	frameAncestors?: readonly string[];
	trustProxy: TrustProxy;
	/** Where the server can be reached (known once it listens). */
	addresses: () => Reachable;
}

/**
 * The path of a request target. A target beginning with `//` is a path, not a host (new URL would
 * read it as one and throw); undefined when the target cannot be parsed.
 */
export function pathOf(target = '/'): string | undefined {
	try {
		return new URL(target.startsWith('/') ? `http://localhost${target}` : target, 'http://localhost').pathname;
	} catch {
		return undefined;
	}
}

/** package.json's version: two folders up from the source (server/http/), three from the build (dist/server/http/). */
function packageVersion(): string {
	for (const up of ['../../package.json', '../../../package.json']) {
		try {
			const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
			if (pkg.name === 'tirelire' && pkg.version) return pkg.version;
		} catch {
			// Not this folder.
		}
	}
	return 'unknown';
}
const VERSION = packageVersion();
const STARTED = Date.now();

export type HttpDeps = rounds.RoundsDeps & { log: Log };

/** A JSON answer, or a file to download. */
type Answer = [number, unknown] | { download: Download };
type Handler = (req: IncomingMessage, params: string[]) => Promise<Answer> | Answer;

export function httpHandler(deps: HttpDeps, options: HttpOptions) {
	const serveStatic = staticFiles(options.staticDir);
	const headers = securityHeaders(options.frameAncestors ?? []);
	const createLimit = new KeyedRateLimit(options.createRate.burst, options.createRate.perMinute / 60);
	const joinLimit = new KeyedRateLimit(options.joinRate.burst, options.joinRate.perMinute / 60);
	const body = (req: IncomingMessage) => readJson(req, options.bodyLimit);
	const limited = (limit: KeyedRateLimit, req: IncomingMessage): void => {
		if (!limit.take(clientAddress(req, options.trustProxy))) {
			throw new HttpError(429, 'rate_limited', 'Too many requests from your address; try again in a minute.');
		}
	};

	const routes: [string, RegExp, Handler][] = [
		['GET', /^\/api\/health$/, () => health(deps)],
		[
			'GET',
			/^\/api\/addresses$/,
			(req) => {
				// Only the machine itself may list its network addresses (the admin page opened on localhost).
				if (!isLoopback(clientAddress(req, options.trustProxy))) {
					throw new HttpError(403, 'forbidden', 'Addresses are listed only to a page opened on the server itself.');
				}
				return [200, options.addresses()];
			}
		],
		[
			'POST',
			/^\/api\/rounds$/,
			async (req) => {
				limited(createLimit, req);
				return [201, rounds.createRound(deps, await body(req))];
			}
		],
		['GET', /^\/api\/rounds\/([^/]+)\/me$/, (req, [rid]) => [200, rounds.me(deps, req, rid!)]],
		['GET', /^\/api\/rounds\/([^/]+)\/invites$/, (req, [rid]) => [200, rounds.listInvites(deps, req, rid!)]],
		[
			'POST',
			/^\/api\/rounds\/([^/]+)\/invites$/,
			async (req, [rid]) => [201, rounds.createInvite(deps, req, rid!, await body(req))]
		],
		[
			'PATCH',
			/^\/api\/rounds\/([^/]+)\/invites\/([^/]+)$/,
			async (req, [rid, code]) => [200, rounds.changeInvite(deps, req, rid!, code!, await body(req))]
		],
		['DELETE', /^\/api\/rounds\/([^/]+)\/invites\/([^/]+)$/, (req, [rid, code]) => [200, rounds.deleteInvite(deps, req, rid!, code!)]],
		[
			'POST',
			/^\/api\/rounds\/([^/]+)\/join$/,
			async (req, [rid]) => {
				limited(joinLimit, req);
				return [201, rounds.join(deps, rid!, await body(req))];
			}
		],
		['DELETE', /^\/api\/rounds\/([^/]+)\/members\/([^/]+)$/, (req, [rid, mid]) => [200, rounds.revoke(deps, req, rid!, mid!)]],
		[
			'GET',
			/^\/api\/rounds\/([^/]+)\/export\.(csv|json|pb)$/,
			(req, [rid, format]) => ({ download: exportRound(deps, req, rid!, format as ExportFormat) })
		],
		['GET', /^\/api\/rounds\/([^/]+)\/me\/history\.csv$/, (req, [rid]) => ({ download: exportHistory(deps, req, rid!) })]
	];

	function health({ store, log }: HttpDeps): Answer {
		const uptimeS = Math.round((Date.now() - STARTED) / 1000);
		try {
			return [200, { ok: true, version: VERSION, uptimeS, rounds: store.check().rounds }];
		} catch (error) {
			log('error', 'health check failed', { error: String(error) });
			return [503, { ok: false, version: VERSION, uptimeS }];
		}
	}

	async function api(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
		let pathMatched = false;
		for (const [method, pattern, handler] of routes) {
			const match = pattern.exec(pathname);
			if (!match) continue;
			pathMatched = true;
			if (method !== req.method) continue;
			const answer = await handler(req, match.slice(1).map(decodeURIComponent));
			if (Array.isArray(answer)) return sendJson(res, answer[0], answer[1]);
			const { type, filename, body: content } = answer.download;
			res.writeHead(200, {
				'Content-Type': type,
				'Content-Disposition': contentDisposition(filename),
				'Content-Length': Buffer.byteLength(content),
				'Cache-Control': 'no-store'
			});
			res.end(content);
			return;
		}
		if (pathMatched) throw new HttpError(405, 'method_not_allowed', `${req.method ?? ''} is not allowed on ${pathname}.`);
		throw new HttpError(404, 'not_found', `There is no API at ${pathname}.`);
	}

	/** A file of the build; a page (the shell) also gets the page headers: framing, permissions. */
	async function files(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
		if (isPageRoute(pathname) || pathname.endsWith('.html')) headers.page(res, pathname);
		serveStatic(req, res, pathname);
	}

	return (req: IncomingMessage, res: ServerResponse): void => {
		headers.common(req, res);
		const pathname = pathOf(req.url);
		if (pathname === undefined) return sendError(res, new HttpError(400, 'bad_path', 'The request target is not a valid path.'));
		const work = pathname.startsWith('/api/') || pathname === '/api'
			? api(req, res, pathname)
			: pathname.startsWith('/sync/')
				? Promise.reject(new HttpError(426, 'upgrade_required', 'Connect to /sync with a WebSocket.'))
				: files(req, res, pathname);
		work.catch((error: unknown) => {
			const failure =
				error instanceof HttpError
					? error
					: error instanceof URIError
						? new HttpError(400, 'bad_path', 'The path is not valid percent-encoding.')
						: new HttpError(500, 'internal', 'Something went wrong on the server.');
			if (failure.status === 500) deps.log('error', 'request failed', { method: req.method, path: pathname, error: String(error) });
			if (res.headersSent) res.destroy();
			else sendError(res, failure);
		});
	};
}
