// WebSocket upgrades on /sync/<room>?token=…: authenticates, opens the room, and hands the
// socket to a Connection. Refusals happen after the upgrade with a close code, because browsers
// cannot read the status of a refused upgrade.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Log } from '../log.js';
import type { MemberRow } from '../store/index.js';
import type { Budgets } from './budgets.js';
import { Connection, type WriteAuthority } from './connection.js';
import { Heartbeat } from './heartbeat.js';
import { CLOSE } from './protocol.js';
import { Quotas } from './quotas.js';
import { parseRoomName } from './room.js';
import type { Rooms } from './rooms.js';

export { Rooms, type Fanout, type RoomLifecycle, type TurnWork } from './rooms.js';
export { Room, REMOTE_ORIGIN, SERVER_ORIGIN, memberRoom, roundRoom, parseRoomName, type RoomKind } from './room.js';
export type { WriteAuthority } from './connection.js';
export { DEFAULT_BUDGETS, budgetsFromEnv, withDefaults, type Budgets } from './budgets.js';
export { CLOSE } from './protocol.js';

export interface Directory {
	roundExists(roundId: string): Promise<boolean>;
	/** The active member of the round holding this token. */
	authenticate(roundId: string, token: string): Promise<MemberRow | undefined>;
	memberExists(roundId: string, memberId: string): Promise<boolean>;
}

export class SyncServer {
	private readonly wss: WebSocketServer;
	private readonly connections = new Set<Connection>();
	private readonly heartbeat: Heartbeat;
	private readonly quotas: Quotas;

	constructor(
		private readonly rooms: Rooms,
		private readonly directory: Directory,
		private readonly authority: WriteAuthority,
		private readonly budgets: Budgets,
		/** Ping every connection this often; one silent for a whole interval is terminated. */
		heartbeatMs: number,
		private readonly log: Log
	) {
		this.heartbeat = new Heartbeat(heartbeatMs);
		this.quotas = new Quotas(budgets);
		// ws refuses frames above maxPayload by itself (1009); between the limit and twice it we
		// answer 4413 so that clients learn why.
		this.wss = new WebSocketServer({ noServer: true, maxPayload: budgets.maxMessageBytes * 2 });
	}

	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		this.wss.handleUpgrade(request, socket, head, (ws) => {
			// What the client sends while the room opens is kept, in order, for its connection.
			const early: { data: Buffer; isBinary: boolean }[] = [];
			const keep = (data: Buffer, isBinary: boolean): void => void early.push({ data, isBinary });
			ws.binaryType = 'nodebuffer';
			ws.on('message', keep);
			this.open(ws, request, early)
				.catch((error: unknown) => {
					this.log('error', 'connection setup failed', { error: String(error) });
					ws.close(CLOSE.serverError, 'server error');
				})
				.finally(() => ws.off('message', keep));
		});
	}

	/** Closes every live connection of a member (revocation). */
	closeMember(roundId: string, memberId: string, code: number, reason: string): void {
		for (const connection of this.connections) {
			if (connection.member.roundId === roundId && connection.member.id === memberId) connection.close(code, reason);
		}
	}

	close(): void {
		this.heartbeat.stop();
		for (const connection of this.connections) connection.close(CLOSE.shutdown, 'server shutting down');
		for (const client of this.wss.clients) client.terminate();
		this.wss.close();
	}

	private refuse(ws: WebSocket, room: string, code: number, reason: string, memberId?: string): void {
		this.log('warn', 'connection refused', { room, code, reason, memberId });
		ws.close(code, reason);
	}

	private async open(ws: WebSocket, request: IncomingMessage, early: { data: Buffer; isBinary: boolean }[]): Promise<void> {
		const url = new URL(request.url ?? '/', 'http://localhost');
		const name = safeDecode(url.pathname.replace(/^\/sync\//, ''));
		const info = parseRoomName(name);
		if (!info || !(await this.directory.roundExists(info.roundId))) return this.refuse(ws, name, CLOSE.unknownRoom, 'unknown room');
		const member = await this.directory.authenticate(info.roundId, url.searchParams.get('token') ?? '');
		if (!member) return this.refuse(ws, name, CLOSE.badToken, 'bad or revoked token');
		if (info.kind === 'member') {
			if (!(await this.directory.memberExists(info.roundId, info.memberId))) {
				return this.refuse(ws, name, CLOSE.unknownRoom, 'unknown room', member.id);
			}
			if (info.memberId !== member.id && member.role !== 'facilitator') {
				return this.refuse(ws, name, CLOSE.forbidden, "another member's document", member.id);
			}
		}
		const quota = this.quotas.of(info.roundId, member.id);
		if (quota.pausedUntil > Date.now()) {
			return this.refuse(ws, name, CLOSE.tooFast, 'paused after exceeding a budget', member.id);
		}
		if (quota.sockets >= this.budgets.socketsPerMember) {
			return this.refuse(ws, name, CLOSE.tooManySockets, 'too many connections for this member', member.id);
		}
		quota.sockets += 1;
		let room;
		try {
			room = await this.rooms.get(name, info);
			await this.authority.prepare(room);
		} catch (error) {
			quota.sockets -= 1;
			throw error;
		}
		if (ws.readyState !== ws.OPEN) {
			quota.sockets -= 1;
			return;
		}
		const connection = new Connection(ws, member, room, this.authority, this.budgets, quota, this.log, () => this.rooms.safeFlush());
		this.connections.add(connection);
		this.rooms.join(room, connection);
		this.heartbeat.watch(ws, () => this.log('info', 'unresponsive socket terminated', { room: name, memberId: member.id }));
		const receive = (data: Buffer, isBinary: boolean): void => {
			if (!isBinary) return connection.close(CLOSE.forbidden, 'binary messages only');
			connection.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
		};
		ws.on('message', receive);
		ws.on('error', (error) => this.log('warn', 'socket error', { room: name, error: error.message }));
		ws.on('close', () => {
			connection.close(CLOSE.shutdown, 'closed');
			if (this.connections.delete(connection)) quota.sockets -= 1;
			this.rooms.leave(room, connection);
		});
		connection.start();
		for (const { data, isBinary } of early) receive(data, isBinary);
	}
}

/** Percent-decoding that yields '' (an unknown room) instead of throwing on bad input. */
function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return '';
	}
}
