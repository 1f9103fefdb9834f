// Wires store, rooms, sequencer, sync and HTTP into one server on one port.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { directory, writeAuthority } from './authority.js';
import { httpHandler, pathOf } from './http/index.js';
import type { Log } from './log.js';
import { Sequencer } from './sequencer/index.js';
import { openStore, type Store } from './store/index.js';
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
}

export interface RunningServer {
	url: string;
	port: number;
	close(): Promise<void>;
}

/** The loaded rooms and the sequencer over one store, wired so that each event-loop turn is one commit. */
export function roomsAndSequencer(store: Store, log: Log, idleMs: number): { rooms: Rooms; sequencer: Sequencer } {
	const rooms = new Rooms(store.rooms, (fn) => store.transaction(fn), { idleMs, compactEvery: 500 }, log);
	const sequencer = new Sequencer(store, rooms, log);
	rooms.lifecycle = { loaded: (room) => sequencer.roomLoaded(room), unloading: (room) => sequencer.roomUnloading(room) };
	rooms.work = { queued: () => sequencer.queued(), run: () => sequencer.runQueued(), rollback: () => sequencer.rollback() };
	return { rooms, sequencer };
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
	const { log } = options;
	const store = openStore(options.dataDir);
	const { rooms, sequencer } = roomsAndSequencer(store, log, options.roomIdleMs ?? 30_000);
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
		options.heartbeatMs ?? 10_000,
		log
	);
	const handler = httpHandler(
		{ store, sequencer, sync, rooms, log },
		{
			staticDir: options.staticDir,
			bodyLimit: 64 * 1024,
			createRate: options.createRate ?? { burst: 10, perMinute: 10 },
			joinRate: options.joinRate ?? { burst: 30, perMinute: 30 },
			frameAncestors: options.frameAncestors ?? []
		}
	);
	const server = createServer(handler);
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

	let closing: Promise<void> | undefined;
	const close = (): Promise<void> => {
		closing ??= new Promise<void>((resolve) => {
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
	return { url: `http://localhost:${port}`, port, close };
}
