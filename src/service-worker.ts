/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
// The offline shell (DESIGN §8): after one visit the app opens with no network; the rounds
// themselves come from IndexedDB (y-dexie), never from this cache.
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const CACHE = `tirelire-shell-${version}`;
/** The SPA fallback page the adapter writes: every route boots from it. */
const SHELL = '/index.html';
const ASSETS = new Set([...build, ...files, SHELL]);

/** Live data has its own offline story (y-dexie, pending commands): never serve it from a cache. */
function isLive(url: URL): boolean {
	return url.pathname.startsWith('/api/') || url.pathname === '/api' || url.pathname.startsWith('/sync/');
}

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			await cache.addAll([...ASSETS]);
			await sw.skipWaiting();
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
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
	const cached = await caches.match(request, { cacheName: CACHE });
	return cached ?? fetch(request);
}

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin || isLive(url)) return;
	if (request.mode === 'navigate') event.respondWith(navigate(request));
	else if (ASSETS.has(url.pathname)) event.respondWith(asset(request));
});
