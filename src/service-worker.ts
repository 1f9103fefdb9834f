/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
// The offline shell (DESIGN §8): after one visit the app opens with no network; the rounds
// themselves come from IndexedDB (y-dexie), never from this cache. Installing precaches what the
// pages need offline, listed at build time in /_app/precache.json (scripts/build.mjs): the shell,
// every route and what it imports, the catalogs; not chart.js, which the projector loads online.
// Any other file of this version is cached the first time it is fetched. Bucket images
// (/api/blobs/<sha-256>.webp, PROTOCOL §9) are cached the first time they are shown, in a cache of
// their own that outlives versions: a name is the hash of its bytes, so a copy never goes stale.
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const CACHE = `tirelire-shell-${version}`;
/** The SPA fallback page the adapter writes: every route boots from it. */
const SHELL = '/index.html';
/** Stored images: content-addressed, so kept across versions; the oldest leave past BLOB_ENTRIES. */
const BLOBS = 'tirelire-blobs';
const BLOB_ENTRIES = 400;
const BLOB = /^\/api\/blobs\/[0-9a-f]{64}\.webp$/;
/** Every file of this version: the only ones this worker caches besides the images. */
const ASSETS = new Set([...build, ...files, SHELL]);

/** The build's list, kept to files of this version; the whole version if the list cannot be read. */
async function precacheList(): Promise<string[]> {
	try {
		const response = await fetch('/_app/precache.json', { cache: 'no-cache' });
		const listed: unknown = response.ok ? await response.json() : undefined;
		if (Array.isArray(listed)) return [SHELL, ...listed.filter((path): path is string => typeof path === 'string' && ASSETS.has(path))];
	} catch {
		// Network or JSON failure: fall back to everything.
	}
	return [...ASSETS];
}

/** Live data has its own offline story (y-dexie, pending commands): never serve it from a cache. */
function isLive(url: URL): boolean {
	return url.pathname.startsWith('/api/') || url.pathname === '/api' || url.pathname.startsWith('/sync/');
}

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			await cache.addAll([...new Set(await precacheList())]);
			await sw.skipWaiting();
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key !== CACHE && key !== BLOBS) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

/** Pages: the network first (a new version shows at once), the cached shell when offline. */
async function navigate(request: Request): Promise<Response> {
	try {
		return await fetch(request);
	} catch (error) {
		const shell = await caches.match(SHELL, { cacheName: CACHE });
		if (shell) return shell;
		throw error;
	}
}

/** Build files carry a hash and static files change only with a new version: cache first. */
async function asset(request: Request): Promise<Response> {
	const cache = await caches.open(CACHE);
	const cached = await cache.match(request);
	if (cached) return cached;
	const response = await fetch(request);
	if (response.ok) await cache.put(request, response.clone());
	return response;
}

/** An image: from the cache when it was shown before (offline too), else fetched and kept. */
async function blob(request: Request): Promise<Response> {
	const cache = await caches.open(BLOBS);
	const cached = await cache.match(request);
	if (cached) return cached;
	const response = await fetch(request);
	if (response.ok) {
		await cache.put(request, response.clone());
		const keys = await cache.keys();
		for (const old of keys.slice(0, Math.max(0, keys.length - BLOB_ENTRIES))) await cache.delete(old);
	}
	return response;
}

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (BLOB.test(url.pathname)) return event.respondWith(blob(request));
	if (isLive(url)) return;
	if (request.mode === 'navigate') event.respondWith(navigate(request));
	else if (ASSETS.has(url.pathname)) event.respondWith(asset(request));
});
