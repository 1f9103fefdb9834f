// Wires store, rooms, sequencer, sync and HTTP into one server on one port.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { reachable, type Reachable } from './addresses.js';
import { directory, writeAuthority } from './authority.js';
import { DEFAULT_LIMITS, type Config } from './config.js';
import type { TrustProxy } from './http/client-address.js';
import { DEVICE_LINK_TTL_MS } from './http/groups.js';
import { httpHandler, pathOf } from './http/index.js';
import { DEFAULT_MEDIA_LIMITS, type MediaLimits } from './http/media.js';
import type { Log } from './log.js';
import { Sequencer } from './sequencer/index.js';
import { Scheduler, systemClock, type Clock } from './sequencer/scheduler.js';
import { openStore, type Store } from './store/index.js';
import { Cluster, DEFAULT_CLUSTER } from './cluster/index.js';
import { Rooms, SyncServer, withDefaults, type Budgets } from './sync/index.js';

export interface ServerOptions {
	port: number;
	/** PostgreSQL and Redis (DESIGN §14): several processes share the rounds; without them, SQLite in `dataDir`. */
	distributed?: Config['distributed'];
	host: string;
	dataDir: string;
	staticDir: string;
	log: Log;
	/** Unload a room after this long without connections (default 30 s). */
	roomIdleMs?: number;
	/** Largest accepted WebSocket message (default 1 MiB). */
	maxMessageBytes?: number;
	messagesPerSecond?: number;
	messageBurst?: number;
	/**
	 * Ping every WebSocket this often; one that sent nothing (not even a pong) for a whole interval
	 * is terminated and its presence removed (default 10 s).
	 */
	heartbeatMs?: number;
	/** What a member, a connection and a message may cost (server/sync/budgets.ts); overrides the three above. */
	budgets?: Partial<Budgets>;
	createRate?: { burst: number; perMinute: number };
	joinRate?: { burst: number; perMinute: number };
	/** Origins allowed to frame the projector view (FRAME_ANCESTORS); default none. */
	frameAncestors?: readonly string[];
	bodyLimitBytes?: number;
	compactEvery?: number;
	publicUrl?: string;
	tls?: Config['tls'];
	/** Off by default: X-Forwarded-For is ignored. */
	trustProxy?: TrustProxy;
	/** The sequencer's and the scheduler's time (tests give their own). */
	clock?: Clock;
	/** Upload limits of images (server/http/media.ts). */
	media?: Partial<MediaLimits>;
	/** How long a device link can be used (default 10 minutes). */
	deviceLinkTtlMs?: number;
}

export interface RunningServer {
	url: string;
	port: number;
	close(): Promise<void>;
}

/** The loaded rooms and the sequencer over one store, wired so that each turn is one commit. */
export function roomsAndSequencer(
	store: Store,
	log: Log,
	idleMs: number,
	compactEvery = DEFAULT_LIMITS.compactEvery,
	now: () => number = Date.now,
	cluster?: Cluster
): { rooms: Rooms; sequencer: Sequencer } {
	const rooms = new Rooms(store.rooms, (fn) => store.transaction(fn), { idleMs, compactEvery }, log);
	const sequencer = new Sequencer(store, rooms, log, now);
	rooms.lifecycle = { loaded: (room) => sequencer.roomLoaded(room), unloading: (room) => sequencer.roomUnloading(room) };
	rooms.work = {
		queued: () => sequencer.queued(),
		run: () => sequencer.runQueued(),
		rollback: () => sequencer.rollback(),
		committed: () => sequencer.committed()
	};
	if (cluster) {
		rooms.fanout = cluster;
		sequencer.cluster = cluster;
	}
	return { rooms, sequencer };
}

/** SQLite in `dataDir`, or the PostgreSQL store shared by every process of the distributed setup. */
async function openStoreFor(options: ServerOptions): Promise<Store> {
	if (!options.distributed) return openStore(options.dataDir);
	const { openPgStore } = await import('./store/pg/index.js');
	return openPgStore(options.distributed.databaseUrl, { log: options.log });
}

export async function startServer(options: ServerOptions): Promise<RunningServer & { addresses: Reachable }> {
	const { log } = options;
	const d = DEFAULT_LIMITS;
	// Read before opening anything: a missing certificate file stops the start cleanly.
	const tls = options.tls && { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) };
	const store = await openStoreFor(options);
	const clock = options.clock ?? systemClock;
	let cluster: Cluster | undefined;
	if (options.distributed) {
		const { databaseUrl: _, redisUrl, ...rest } = options.distributed;
		cluster = new Cluster(store, redisUrl, { ...DEFAULT_CLUSTER, ...rest }, log);
	}
	const { rooms, sequencer } = roomsAndSequencer(
		store,
		log,
		options.roomIdleMs ?? d.roomIdleMs,
		options.compactEvery,
		() => clock.now(),
		cluster
	);
	try {
		await cluster?.start(sequencer, rooms);
	} catch (error) {
		await store.close();
		throw error;
	}
	const scheduler = new Scheduler(store, sequencer, log, clock);
	sequencer.scheduleChanged = () => scheduler.changed();
	// Catch-up: every transition that came due while the server was stopped, in order, before serving.
	await scheduler.check();
	const budgets = withDefaults({
		...(options.maxMessageBytes !== undefined && { maxMessageBytes: options.maxMessageBytes }),
		...(options.messagesPerSecond !== undefined && { messagesPerSecond: options.messagesPerSecond }),
		...(options.messageBurst !== undefined && { messageBurst: options.messageBurst }),
		...options.budgets
	});
	const sync = new SyncServer(
		rooms,
		directory(store),
		writeAuthority(store, sequencer, rooms, budgets.anonymousBatchDelayMs, cluster),
		budgets,
		options.heartbeatMs ?? d.heartbeatMs,
		log
	);
	let addresses: Reachable = { share: '', all: [], publicUrl: false };
	const handler = httpHandler(
		{
			store,
			sequencer,
			sync,
			rooms,
			log,
			publicUrl: options.publicUrl ?? '',
			blobs: store.files,
			deviceLinkTtlMs: options.deviceLinkTtlMs ?? DEVICE_LINK_TTL_MS
		},
		{
			staticDir: options.staticDir,
			bodyLimit: options.bodyLimitBytes ?? d.bodyLimitBytes,
			createRate: options.createRate ?? d.createRate,
			joinRate: options.joinRate ?? d.joinRate,
			trustProxy: options.trustProxy ?? { kind: 'off' },
			addresses: () => addresses,
			frameAncestors: options.frameAncestors ?? [],
			media: { ...DEFAULT_MEDIA_LIMITS, ...options.media }
		}
	);
	const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
	server.on('upgrade', (request, socket, head: Buffer) => {
		const pathname = pathOf(request.url);
		if (!pathname?.startsWith('/sync/')) return socket.destroy();
		sync.handleUpgrade(request, socket, head);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	addresses = reachable({ host: options.host, port, tls: tls !== undefined, publicUrl: options.publicUrl });

	let closing: Promise<void> | undefined;
	const close = (): Promise<void> => {
		closing ??= new Promise<void>((resolve) => {
			scheduler.close();
			sync.close();
			server.closeAllConnections();
			server.close(() => {
				void rooms
					.closeAll()
					.catch((error: unknown) => log('error', 'rooms not saved at shutdown', { error: String(error) }))
					.then(() => cluster?.close())
					.catch((error: unknown) => log('warn', 'cluster not left cleanly', { error: String(error) }))
					.then(() => store.close())
					.catch((error: unknown) => log('error', 'store not closed', { error: String(error) }))
					.then(() => resolve());
			});
		});
		return closing;
	};
	return { url: `${tls ? 'https' : 'http'}://localhost:${port}`, port, addresses, close };
}
