// The HTTP side: /api/* (JSON) and the built SPA for everything else. /sync upgrades are handled
// by the sync server; a plain GET on /sync is a 404 here.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopback, type Reachable } from '../addresses.js';
import type { Log } from '../log.js';
import { KeyedRateLimit } from '../rate-limit.js';
import { readJson } from './body.js';
import { clientAddress, type TrustProxy } from './client-address.js';
import { contentDisposition, exportHistory, exportRound, type Download, type ExportFormat } from './exports.js';
import { media, type MediaDeps, type MediaLimits } from './media.js';
import * as publications from './publications.js';
import { StoreUnavailable } from '../store/errors.js';
import { HttpError, sendError, sendJson } from './respond.js';
import * as groups from './groups.js';
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
	media: MediaLimits;
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

/** A path as logs may show it: a public link's token is its only key, so it is left out. */
export function loggedPath(pathname: string): string {
	return pathname.replace(/^\/api\/public\/[^/]+/, '/api/public/…');
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

export type HttpDeps = MediaDeps & { log: Log };

/**
 * A JSON answer, or a file to download. A `shared` answer is the same for everyone who may see it
 * (the public page): it carries an ETag and may be cached, but is revalidated every time, so that
 * a revoked link stops answering at once.
 */
type Answer = [number, unknown] | { download: Download; shared?: true };
type Handler = (req: IncomingMessage, params: string[]) => Promise<Answer> | Answer;

export function httpHandler(deps: HttpDeps, options: HttpOptions) {
	const serveStatic = staticFiles(options.staticDir);
	const headers = securityHeaders(options.frameAncestors ?? []);
	const createLimit = new KeyedRateLimit(options.createRate.burst, options.createRate.perMinute / 60);
	const joinLimit = new KeyedRateLimit(options.joinRate.burst, options.joinRate.perMinute / 60);
	const body = (req: IncomingMessage) => readJson(req, options.bodyLimit);
	const images = media(deps, options.media);
	const publicPages = publications.publicPages(deps);
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
				return [201, await rounds.createRound(deps, await body(req))];
			}
		],
		['GET', /^\/api\/rounds\/([^/]+)\/me$/, async (req, [rid]) => [200, await rounds.me(deps, req, rid!)]],
		['GET', /^\/api\/rounds\/([^/]+)\/invites$/, async (req, [rid]) => [200, await rounds.listInvites(deps, req, rid!)]],
		[
			'POST',
			/^\/api\/rounds\/([^/]+)\/invites$/,
			async (req, [rid]) => [201, await rounds.createInvite(deps, req, rid!, await body(req))]
		],
		[
			'PATCH',
			/^\/api\/rounds\/([^/]+)\/invites\/([^/]+)$/,
			async (req, [rid, code]) => [200, await rounds.changeInvite(deps, req, rid!, code!, await body(req))]
		],
		[
			'DELETE',
			/^\/api\/rounds\/([^/]+)\/invites\/([^/]+)$/,
			async (req, [rid, code]) => [200, await rounds.deleteInvite(deps, req, rid!, code!)]
		],
		[
			'POST',
			/^\/api\/rounds\/([^/]+)\/join$/,
			async (req, [rid]) => {
				limited(joinLimit, req);
				return [201, await rounds.join(deps, rid!, await body(req))];
			}
		],
		['DELETE', /^\/api\/rounds\/([^/]+)\/members\/([^/]+)$/, async (req, [rid, mid]) => [200, await rounds.revoke(deps, req, rid!, mid!)]],
		['GET', /^\/api\/groups\/([^/]+)$/, async (req, [gid]) => [200, await groups.groupView(deps, req, gid!)]],
		[
			'POST',
			/^\/api\/groups\/([^/]+)\/rounds$/,
			async (req, [gid]) => [201, await groups.createGroupRound(deps, req, gid!, await body(req))]
		],
		[
			'POST',
			/^\/api\/groups\/([^/]+)\/invites$/,
			async (req, [gid]) => [201, await groups.createGroupInvite(deps, req, gid!, await body(req))]
		],
		[
			'POST',
			/^\/api\/groups\/([^/]+)\/join$/,
			async (req, [gid]) => {
				limited(joinLimit, req);
				return [201, await groups.joinGroup(deps, gid!, await body(req))];
			}
		],
		['GET', /^\/api\/groups\/([^/]+)\/members$/, async (req, [gid]) => [200, await groups.groupMembers(deps, req, gid!)]],
		[
			'DELETE',
			/^\/api\/groups\/([^/]+)\/members\/([^/]+)$/,
			async (req, [gid, mid]) => [200, await groups.revokeGroupMember(deps, req, gid!, mid!)]
		],
		[
			'POST',
			/^\/api\/groups\/([^/]+)\/members\/([^/]+)\/access$/,
			async (req, [gid, mid]) => [201, await groups.reissueAccess(deps, req, gid!, mid!)]
		],
		['POST', /^\/api\/groups\/([^/]+)\/device-links$/, async (req, [gid]) => [201, await groups.createDeviceLink(deps, req, gid!)]],
		[
			'POST',
			/^\/api\/groups\/([^/]+)\/device-links\/redeem$/,
			async (req, [gid]) => {
				limited(joinLimit, req);
				return [201, await groups.redeemDeviceLink(deps, gid!, await body(req))];
			}
		],
		[
			'GET',
			/^\/api\/rounds\/([^/]+)\/export\.(csv|json|pb)$/,
			async (req, [rid, format]) => ({ download: await exportRound(deps, req, rid!, format as ExportFormat) })
		],
		[
			'GET',
			/^\/api\/rounds\/([^/]+)\/export-(buckets\.csv|members\.csv)$/,
			async (req, [rid, format]) => ({ download: await exportRound(deps, req, rid!, format as ExportFormat) })
		],
		[
			'POST',
			/^\/api\/rounds\/([^/]+)\/buckets\/([^/]+)\/images$/,
			async (req, [rid, bid]) => [201, await images.upload(req, rid!, bid!)]
		],
		['GET', /^\/api\/rounds\/([^/]+)\/publication$/, async (req, [rid]) => [200, await publications.publication(deps, req, rid!)]],
		['POST', /^\/api\/rounds\/([^/]+)\/publication$/, (req, [rid]) => publications.publish(deps, req, rid!)],
		['DELETE', /^\/api\/rounds\/([^/]+)\/publication$/, async (req, [rid]) => [200, await publications.unpublish(deps, req, rid!)]],
		['GET', /^\/api\/public\/([^/]+)$/, async (_req, [token]) => ({ download: await publicPages.page(token!), shared: true })],
		[
			'GET',
			/^\/api\/public\/([^/]+)\/export\.(csv|json|pb)$/,
			async (_req, [token, format]) => ({ download: await publicPages.file(token!, format as ExportFormat), shared: true })
		],
		['GET', /^\/api\/rounds\/([^/]+)\/me\/history\.csv$/, async (req, [rid]) => ({ download: await exportHistory(deps, req, rid!) })]
	];
	/** GET and HEAD: the only routes that answer HEAD, for caches and the service worker. */
	const BLOB = /^\/api\/blobs\/([0-9a-f]{64})\.webp$/;

	async function health({ store, log }: HttpDeps): Promise<Answer> {
		const uptimeS = Math.round((Date.now() - STARTED) / 1000);
		try {
			const { rounds } = await store.check();
			return [200, { ok: true, version: VERSION, uptimeS, rounds }];
		} catch (error) {
			log('error', 'health check failed', { error: String(error) });
			return [503, { ok: false, version: VERSION, uptimeS }];
		}
	}

	async function api(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
		const blob = BLOB.exec(pathname);
		if (blob && (req.method === 'GET' || req.method === 'HEAD')) return images.serve(req, res, blob[1]!);
		if (blob) throw new HttpError(405, 'method_not_allowed', `${req.method ?? ''} is not allowed on ${pathname}.`);
		let pathMatched = false;
		for (const [method, pattern, handler] of routes) {
			const match = pattern.exec(pathname);
			if (!match) continue;
			pathMatched = true;
			if (method !== req.method) continue;
			const answer = await handler(req, match.slice(1).map(decodeURIComponent));
			if (Array.isArray(answer)) return sendJson(res, answer[0], answer[1]);
			return sendDownload(req, res, answer);
		}
		if (pathMatched) throw new HttpError(405, 'method_not_allowed', `${req.method ?? ''} is not allowed on ${pathname}.`);
		throw new HttpError(404, 'not_found', `There is no API at ${pathname}.`);
	}

	function sendDownload(req: IncomingMessage, res: ServerResponse, { download, shared }: Exclude<Answer, [number, unknown]>): void {
		const { type, filename, body: content } = download;
		const headers: Record<string, string | number> = { 'Content-Type': type, 'Cache-Control': 'no-store' };
		if (filename) headers['Content-Disposition'] = contentDisposition(filename);
		if (shared) {
			const etag = `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`;
			Object.assign(headers, { 'Cache-Control': 'public, no-cache', ETag: etag });
			if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) {
				res.writeHead(304, headers);
				res.end();
				return;
			}
		}
		res.writeHead(200, { ...headers, 'Content-Length': Buffer.byteLength(content) });
		res.end(content);
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
						: error instanceof StoreUnavailable
							? new HttpError(503, 'store_unavailable', 'The database cannot be reached; nothing was changed. Try again in a moment.')
							: new HttpError(500, 'internal', 'Something went wrong on the server.');
			if (failure.status >= 500) {
				deps.log('error', 'request failed', { method: req.method, path: loggedPath(pathname), error: String(error) });
			}
			if (res.headersSent) res.destroy();
			else sendError(res, failure);
		});
	};
}
