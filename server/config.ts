// Every setting of the server, read from the environment in one place. A bad value stops the
// start with one sentence naming the variable, what it takes, and what it was given.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseTrustProxy, type TrustProxy } from './http/client-address.js';
import { parseFrameAncestors } from './http/headers.js';
import { DEFAULT_MEDIA_LIMITS, type MediaLimits } from './http/media.js';
import { budgetsFromEnv, type Budgets } from './sync/budgets.js';

/** Limits of the HTTP side and of rooms; what a member, a connection and a message may cost is in `budgets`. */
export interface Limits {
	/** Unload a room after this long without connections. */
	roomIdleMs: number;
	/** Ping every WebSocket this often; one silent for a whole interval is terminated. */
	heartbeatMs: number;
	/** Largest accepted JSON request body, in bytes. */
	bodyLimitBytes: number;
	/** Per client address: burst and refill per minute for round creation and for joining. */
	createRate: { burst: number; perMinute: number };
	joinRate: { burst: number; perMinute: number };
	/** Compact a room's update log into one snapshot once it holds this many updates. */
	compactEvery: number;
}

export const DEFAULT_LIMITS: Limits = {
	roomIdleMs: 30_000,
	heartbeatMs: 10_000,
	bodyLimitBytes: 64 * 1024,
	createRate: { burst: 10, perMinute: 10 },
	joinRate: { burst: 30, perMinute: 30 },
	compactEvery: 500
};

export interface Config {
	port: number;
	host: string;
	dataDir: string;
	staticDir: string;
	/** The address members reach the server at (invite links, QR codes), without a trailing slash. */
	publicUrl?: string;
	/** Paths of a PEM certificate (chain) and its key: the server speaks HTTPS and WSS. */
	tls?: { certFile: string; keyFile: string };
	trustProxy: TrustProxy;
	limits: Limits;
	/** Per-member, per-connection and per-message budgets of the sync layer (server/sync/budgets.ts). */
	budgets: Partial<Budgets>;
	/** Origins allowed to frame the projector view (FRAME_ANCESTORS). */
	frameAncestors: string[];
	/** Image uploads: IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS. */
	media: Partial<MediaLimits>;
	/** DATABASE_URL and REDIS_URL together: the distributed setup (DESIGN §14); NODE_ID and LEASE_TTL_MS tune it. */
	distributed?: { databaseUrl: string; redisUrl: string; nodeId: string; leaseTtlMs: number; pollMs: number };
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

/** A whole number in [min, max] from `env[name]`, or `fallback` when unset or empty. */
function integer(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
	const text = env[name]?.trim();
	if (text === undefined || text === '') return fallback;
	const value = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
	if (!(value >= min && value <= max)) {
		throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${text}".`);
	}
	return value;
}

function publicUrl(env: Env): string | undefined {
	const text = env.PUBLIC_URL?.trim();
	if (!text) return undefined;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new ConfigError(`PUBLIC_URL must be an address like https://tirelire.example.org, not "${text}".`);
	}
	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) {
		throw new ConfigError(`PUBLIC_URL must be a plain http:// or https:// address (no query, no login), not "${text}".`);
	}
	return url.href.replace(/\/+$/, '');
}

function tls(env: Env): Config['tls'] {
	const certFile = env.TLS_CERT?.trim();
	const keyFile = env.TLS_KEY?.trim();
	if (!certFile && !keyFile) return undefined;
	if (!certFile || !keyFile) throw new ConfigError('TLS_CERT and TLS_KEY go together: set both (PEM file paths) or neither.');
	return { certFile: resolve(certFile), keyFile: resolve(keyFile) };
}

function host(env: Env): string {
	const text = env.HOST?.trim() || '0.0.0.0';
	if (isIP(text) === 0 && !/^[A-Za-z0-9.-]{1,253}$/.test(text)) {
		throw new ConfigError(`HOST must be an IP address or a host name, not "${text}".`);
	}
	return text;
}

/** A URL of one of the schemes given, or a sentence naming the variable. */
function serviceUrl(env: Env, name: string, schemes: string[], example: string): string | undefined {
	const text = env[name]?.trim();
	if (!text) return undefined;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new ConfigError(`${name} must be an address like ${example}, not a value of ${text.length} characters that does not parse.`);
	}
	if (!schemes.includes(url.protocol)) throw new ConfigError(`${name} must start with ${schemes.map((s) => `${s}//`).join(' or ')} (like ${example}).`);
	return text;
}

function distributed(env: Env): Config['distributed'] {
	const databaseUrl = serviceUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://tirelire@db.internal/tirelire');
	const redisUrl = serviceUrl(env, 'REDIS_URL', ['redis:', 'rediss:'], 'redis://cache.internal:6379');
	if (!databaseUrl && !redisUrl) return undefined;
	if (!databaseUrl || !redisUrl) {
		throw new ConfigError('DATABASE_URL and REDIS_URL go together: set both for several processes, or neither for one process on SQLite.');
	}
	const nodeId = env.NODE_ID?.trim() ?? '';
	if (nodeId && !/^[A-Za-z0-9._-]{1,64}$/.test(nodeId)) throw new ConfigError(`NODE_ID must be 1 to 64 letters, digits, dots, dashes or underscores, not "${nodeId}".`);
	const leaseTtlMs = integer(env, 'LEASE_TTL_MS', 3000, 500, 60_000);
	return { databaseUrl, redisUrl, nodeId, leaseTtlMs, pollMs: Math.max(100, Math.min(500, Math.floor(leaseTtlMs / 6))) };
}

export function loadConfig(env: Env = process.env): Config {
	const d = DEFAULT_LIMITS;
	const trustProxy = parseTrustProxy(env.TRUST_PROXY ?? '');
	if (typeof trustProxy === 'string') throw new ConfigError(trustProxy);
	let budgets: Partial<Budgets>;
	let frameAncestors: string[];
	try {
		budgets = budgetsFromEnv(env);
		frameAncestors = parseFrameAncestors(env.FRAME_ANCESTORS);
	} catch (error) {
		throw new ConfigError(error instanceof Error ? error.message : String(error));
	}
	return {
		budgets,
		frameAncestors,
		distributed: distributed(env),
		port: integer(env, 'PORT', 3000, 0, 65_535),
		host: host(env),
		dataDir: resolve(env.DATA_DIR?.trim() || './data'),
		staticDir: resolve(env.STATIC_DIR?.trim() || './build'),
		publicUrl: publicUrl(env),
		tls: tls(env),
		trustProxy,
		media: {
			maxBytes: integer(env, 'IMAGE_MAX_BYTES', DEFAULT_MEDIA_LIMITS.maxBytes, 1024, 64 * 1024 * 1024),
			maxPixels: integer(env, 'IMAGE_MAX_PIXELS', DEFAULT_MEDIA_LIMITS.maxPixels, 10_000, 200_000_000)
		},
		limits: {
			roomIdleMs: integer(env, 'ROOM_IDLE_MS', d.roomIdleMs, 0),
			heartbeatMs: integer(env, 'HEARTBEAT_MS', d.heartbeatMs, 1000),
			bodyLimitBytes: integer(env, 'HTTP_BODY_LIMIT_BYTES', d.bodyLimitBytes, 1024, 16 * 1024 * 1024),
			createRate: {
				burst: integer(env, 'CREATE_RATE_BURST', d.createRate.burst, 1),
				perMinute: integer(env, 'CREATE_RATE_PER_MINUTE', d.createRate.perMinute, 1)
			},
			joinRate: {
				burst: integer(env, 'JOIN_RATE_BURST', d.joinRate.burst, 1),
				perMinute: integer(env, 'JOIN_RATE_PER_MINUTE', d.joinRate.perMinute, 1)
			},
			compactEvery: integer(env, 'COMPACT_EVERY', d.compactEvery, 2)
		}
	};
}
