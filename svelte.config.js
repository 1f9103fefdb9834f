import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: the server answers every unknown path with the fallback page.
		// precompress: a .br and a .gz beside each file, which the server picks by Accept-Encoding.
		adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true, precompress: true }),
		serviceWorker: { register: true },
		// Written into the shell as a <meta>, with the hash of SvelteKit's inline bootstrap script:
		// no inline script runs without it. Svelte sets style attributes (transitions, widths of
		// progress bars), so styles allow inline. frame-ancestors cannot be set by a meta: the
		// server sends it as a header (server/http/headers.ts).
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				// 'self' covers ws:/wss: to the same host (CSP Level 3).
				'connect-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
