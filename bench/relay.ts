// The reference point of the fan-out benchmark (DESIGN §10): a bare y-websocket relay, sync and
// awareness over ws the way y-websocket's own server does it, with no authentication, no guard
// and no persistence. Same URL shape as Tirelire (`/sync/<room>`), so the same stock clients
// connect to either. Like Tirelire, it encodes a broadcast once and skips the sender.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocketServer, type WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

type Changes = { added: number[]; updated: number[]; removed: number[] };

function message(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, type);
	write(encoder);
	return encoding.toUint8Array(encoder);
}

class RelayRoom {
	readonly doc = new Y.Doc();
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	/** Each socket with the awareness clientIDs it announced (removed when it leaves). */
	readonly sockets = new Map<WebSocket, Set<number>>();

	constructor() {
		this.awareness.setLocalState(null);
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			this.broadcast(message(MESSAGE_SYNC, (encoder) => syncProtocol.writeUpdate(encoder, update)), origin);
		});
		this.awareness.on('update', ({ added, updated, removed }: Changes, origin: unknown) => {
			const announced = this.sockets.get(origin as WebSocket);
			if (announced) {
				for (const client of [...added, ...updated]) announced.add(client);
				for (const client of removed) announced.delete(client);
			}
			const changed = [...added, ...updated, ...removed];
			const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
			this.broadcast(message(MESSAGE_AWARENESS, (encoder) => encoding.writeVarUint8Array(encoder, update)), origin);
		});
	}

	open(socket: WebSocket): void {
		this.sockets.set(socket, new Set());
		socket.send(message(MESSAGE_SYNC, (encoder) => syncProtocol.writeSyncStep1(encoder, this.doc)));
		const states = [...this.awareness.getStates().keys()];
		if (states.length > 0) {
			const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, states);
			socket.send(message(MESSAGE_AWARENESS, (encoder) => encoding.writeVarUint8Array(encoder, update)));
		}
	}

	receive(socket: WebSocket, data: Uint8Array): void {
		const decoder = decoding.createDecoder(data);
		const type = decoding.readVarUint(decoder);
		if (type === MESSAGE_SYNC) {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MESSAGE_SYNC);
			syncProtocol.readSyncMessage(decoder, encoder, this.doc, socket);
			if (encoding.length(encoder) > 1) socket.send(encoding.toUint8Array(encoder));
		} else if (type === MESSAGE_AWARENESS) {
			awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), socket);
		}
	}

	close(socket: WebSocket): void {
		const announced = this.sockets.get(socket);
		this.sockets.delete(socket);
		if (announced && announced.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...announced], null);
	}

	private broadcast(bytes: Uint8Array, except: unknown): void {
		for (const socket of this.sockets.keys()) if (socket !== except) socket.send(bytes);
	}
}

export interface Relay {
	url: string;
	port: number;
	close(): Promise<void>;
}

export async function startRelay(host: string, port: number): Promise<Relay> {
	const rooms = new Map<string, RelayRoom>();
	const wss = new WebSocketServer({ noServer: true });
	const server: Server = createServer((_request, response) => response.writeHead(404).end());
	server.on('upgrade', (request, socket, head: Buffer) => {
		const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
		if (!pathname.startsWith('/sync/')) return socket.destroy();
		const name = decodeURIComponent(pathname.slice('/sync/'.length));
		wss.handleUpgrade(request, socket, head, (ws) => {
			let room = rooms.get(name);
			if (!room) rooms.set(name, (room = new RelayRoom()));
			const joined = room;
			ws.binaryType = 'nodebuffer';
			ws.on('message', (data: Buffer) => {
				try {
					joined.receive(ws, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
				} catch {
					ws.close(1003, 'malformed message');
				}
			});
			ws.on('close', () => joined.close(ws));
			joined.open(ws);
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve());
	});
	const address = server.address() as AddressInfo;
	return {
		url: `http://${host}:${address.port}`,
		port: address.port,
		close: () =>
			new Promise<void>((resolve) => {
				for (const client of wss.clients) client.terminate();
				wss.close();
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
