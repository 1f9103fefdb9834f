// Security headers. Every answer: nosniff, no referrer, and HSTS when the connection itself is TLS.
// Every page (the SPA shell): no framing, and the browser features the app never uses turned off.
// The Content-Security-Policy for scripts and styles is a <meta> that the build writes into the
// shell with the hash of SvelteKit's bootstrap script (kit.csp in svelte.config.js); a meta cannot
// carry frame-ancestors, so the header sends that one, and both policies apply.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';

const PERMISSIONS = [
	'camera',
	'microphone',
	'geolocation',
	'payment',
	'usb',
	'serial',
	'hid',
	'midi',
	'display-capture'
]
	.map((feature) => `${feature}=()`)
	.join(', ');

/** The projector view, which a venue may embed in its own page (FRAME_ANCESTORS). */
const PROJECTOR = /^\/r\/[^/]+\/live\/?$/;

/** One source of frame-ancestors: 'self' or an http(s) origin, its host possibly `*.`-prefixed. */
const SOURCE = /^(?:'self'|https?:\/\/(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?)$/i;

/**
 * Parses FRAME_ANCESTORS: origins separated by spaces or commas, e.g.
 * "https://screen.example.org 'self'". Empty means none. Anything else is refused with the
 * offending word, so that a typo cannot open the page to every site.
 */
export function parseFrameAncestors(text: string | undefined): string[] {
	const sources = (text ?? '').split(/[\s,]+/).filter(Boolean);
	const wrong = sources.find((source) => !SOURCE.test(source));
	if (wrong !== undefined) {
		throw new Error(`FRAME_ANCESTORS must list origins like https://screen.example.org or 'self', not "${wrong}".`);
	}
	return sources;
}

/** Served over TLS by this process. Behind a TLS-terminating proxy this is false: the proxy sends HSTS. */
function encrypted(req: IncomingMessage): boolean {
	return (req.socket as Partial<TLSSocket>).encrypted === true;
}

export function securityHeaders(frameAncestors: readonly string[]) {
	const projectorAncestors = frameAncestors.length ? frameAncestors.join(' ') : "'none'";
	return {
		/** For every answer, API and files alike. */
		common(req: IncomingMessage, res: ServerResponse): void {
			res.setHeader('X-Content-Type-Options', 'nosniff');
			res.setHeader('Referrer-Policy', 'no-referrer');
			if (encrypted(req)) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
		},
		/** For an answer that is a page (the shell). */
		page(res: ServerResponse, pathname: string): void {
			const ancestors = PROJECTOR.test(pathname) ? projectorAncestors : "'none'";
			res.setHeader('Content-Security-Policy', `frame-ancestors ${ancestors}`);
			if (ancestors === "'none'") res.setHeader('X-Frame-Options', 'DENY');
			res.setHeader('Permissions-Policy', PERMISSIONS);
		}
	};
}
