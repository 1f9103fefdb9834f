// The addresses the server can be reached at: what it prints at start, and what the admin page
// offers when it was opened on localhost (an invite link made there works for nobody else).
import { networkInterfaces } from 'node:os';

export interface Reachable {
	/** The address to give people: PUBLIC_URL if set, else the first LAN address, else localhost. */
	share: string;
	/** Every address this server listens on, LAN ones first (IPv4, then IPv6), loopback last. */
	all: string[];
	/** Whether `share` is PUBLIC_URL (invite links are then absolute from it, good anywhere). */
	publicUrl: boolean;
}

const wildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '';
const loopback = (host: string): boolean => host === 'localhost' || host.startsWith('127.') || host === '::1';

/** `host` as it goes into a URL (IPv6 in brackets). */
const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

export function reachable(options: { host: string; port: number; tls: boolean; publicUrl?: string }): Reachable {
	const scheme = options.tls ? 'https' : 'http';
	const url = (host: string): string => `${scheme}://${urlHost(host)}:${options.port}`;
	let lan: string[] = [];
	if (wildcard(options.host)) {
		const interfaces = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
		const external = interfaces.filter((i) => !i.internal && !(i.family === 'IPv6' && i.address.startsWith('fe80:')));
		// An IPv6-only listener ('::') on Linux also takes IPv4; '0.0.0.0' takes IPv4 only.
		lan = external
			.filter((i) => i.family === 'IPv4' || options.host === '::')
			.sort((a, b) => (a.family === b.family ? 0 : a.family === 'IPv4' ? -1 : 1))
			.map((i) => url(i.address));
	} else if (!loopback(options.host)) {
		lan = [url(options.host)];
	}
	const local = wildcard(options.host) || loopback(options.host) ? [url(options.host === '::' ? '::1' : 'localhost')] : [];
	const all = [...lan, ...local];
	return { share: options.publicUrl ?? lan[0] ?? all[0]!, all, publicUrl: options.publicUrl !== undefined };
}

/** Whether a request's client address is this machine (it may see the machine's own addresses). */
export function isLoopback(address: string): boolean {
	return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
