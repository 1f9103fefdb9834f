// Which address a request comes from, for rate limits and logs. Behind a reverse proxy every
// request arrives from the proxy, and the client's address is in X-Forwarded-For — a header
// anybody can write, so it is believed only as far as TRUST_PROXY says:
//   off (default)      the socket's address; X-Forwarded-For is ignored;
//   a hop count n       the n-th address from the right of [X-Forwarded-For…, socket address]
//                       (1: one proxy in front, which appends the address it saw);
//   addresses/CIDRs     walk from the socket's address leftwards while the address is a listed proxy.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export type TrustProxy = { kind: 'off' } | { kind: 'hops'; hops: number } | { kind: 'list'; proxies: BlockList };

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`, how a dual-stack socket reports IPv4) as plain IPv4. */
function plain(address: string): string {
	return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** The setting, or a sentence saying what is wrong with it. */
export function parseTrustProxy(text: string): TrustProxy | string {
	const value = text.trim();
	if (value === '' || value === '0' || value === 'false') return { kind: 'off' };
	if (/^\d{1,2}$/.test(value)) return { kind: 'hops', hops: Number(value) };
	const proxies = new BlockList();
	for (const item of value.split(',').map((part) => part.trim())) {
		const [address = '', prefix, extra] = item.split('/');
		const family = isIP(address);
		const bits = prefix === undefined ? (family === 4 ? 32 : 128) : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
		if (family === 0 || extra !== undefined || !(bits >= 0 && bits <= (family === 4 ? 32 : 128))) {
			return `TRUST_PROXY must be a hop count (e.g. 1) or a comma list of proxy addresses or CIDRs (e.g. 127.0.0.1,10.0.0.0/8), not "${text}".`;
		}
		proxies.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
	}
	return { kind: 'list', proxies };
}

function trusted(proxies: BlockList, address: string): boolean {
	const family = isIP(address);
	return family !== 0 && proxies.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
	const socket = plain(req.socket.remoteAddress ?? 'unknown');
	if (trust.kind === 'off') return socket;
	const header = req.headers['x-forwarded-for'];
	const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
		.split(',')
		.map((part) => plain(part.trim()))
		.filter((part) => part !== '');
	const chain = [...forwarded, socket];
	let index = chain.length - 1;
	if (trust.kind === 'hops') index = Math.max(0, index - trust.hops);
	else while (index > 0 && trusted(trust.proxies, chain[index]!)) index -= 1;
	const address = chain[index]!;
	// A proxy writes addresses; anything else was written by a client and says nothing.
	return isIP(address) === 0 ? socket : address;
}
