// Wires store, rooms, sequencer, sync and HTTP into one server on one port.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
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
import { FileBlobStore, openStore, type Store } from './store/index.js';
import { Rooms, SyncServer, withDefaults, type Budgets } from './sync/index.js';

export interface ServerOptions {
	port: number;
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

/** The loaded rooms and the sequencer over one store, wired so that each event-loop turn is one commit. */
export function roomsAndSequencer(
	store: Store,
	log: Log,
	idleMs: number,
	compactEvery = DEFAULT_LIMITS.compactEvery,
	now: () => number = Date.now
): { rooms: Rooms; sequencer: Sequencer } {
	const rooms = new Rooms(store.rooms, (fn) => store.transaction(fn), { idleMs, compactEvery }, log);
	const sequencer = new Sequencer(store, rooms, log, now);
	rooms.lifecycle = { loaded: (room) => sequencer.roomLoaded(room), unloading: (room) => sequencer.roomUnloading(room) };
	rooms.work = { queued: () => sequencer.queued(), run: () => sequencer.runQueued(), rollback: () => sequencer.rollback() };
	return { rooms, sequencer };
}

export async function startServer(options: ServerOptions): Promise<RunningServer & { addresses: Reachable }> {
	const { log } = options;
	const d = DEFAULT_LIMITS;
	// Read before opening anything: a missing certificate file stops the start cleanly.
	const tls = options.tls && { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) };
	const store = openStore(options.dataDir);
	const clock = options.clock ?? systemClock;
	const { rooms, sequencer } = roomsAndSequencer(store, log, options.roomIdleMs ?? d.roomIdleMs, options.compactEvery, () => clock.now());
	const scheduler = new Scheduler(store, sequencer, log, clock);
	sequencer.scheduleChanged = () => scheduler.changed();
	// Catch-up: every transition that came due while the server was stopped, in order, before serving.
	scheduler.check();
	const budgets = withDefaults({
		...(options.maxMessageBytes !== undefined && { maxMessageBytes: options.maxMessageBytes }),
		...(options.messagesPerSecond !== undefined && { messagesPerSecond: options.messagesPerSecond }),
		...(options.messageBurst !== undefined && { messageBurst: options.messageBurst }),
		...options.budgets
	});
	const sync = new SyncServer(
		rooms,
		directory(store),
		writeAuthority(store, sequencer, budgets.anonymousBatchDelayMs),
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
			blobs: new FileBlobStore(join(options.dataDir, 'blobs')),
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
				try {
					rooms.closeAll();
				} finally {
					store.close();
				}
				resolve();
			});
		});
		return closing;
	};
	return { url: `${tls ? 'https' : 'http'}://localhost:${port}`, port, addresses, close };
}
