// The reconnect storm (DESIGN §10 and §15): after a Wi-Fi drop or a restart every phone reconnects in the
// same second. For each N: one round document (Tirelire's, with N joined members; the stock server
// is seeded with a copy of it), then N clients open at once, each sending sync step 1 with the
// state vector of the document it already holds, as a phone coming back does; measured is the time
// until the last of them has received sync step 2. Then the server is restarted on the same port
// and data directory, and measured is the time from the restarted server listening until every
// client, reconnecting with y-websocket's backoff, has step 2 again (Tirelire only: the stock
// server keeps nothing across a restart).
//
// The N clients are raw WebSockets that do not decode the document: a thousand phones decode in
// parallel, one benchmark process cannot, and decoding a 180 KB document a thousand times here
// would measure this process, not the server. Members join over HTTP first (not counted).
// Targets: Tirelire ≤ 2 × the stock `@y/websocket-server` at N = 1,000; after a restart all
// synced within 5 s. Usage: node dist/bench/bench/server-storm.js [--clients=100,1000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { BenchClient, createRound, joinMembers, type Member } from './server-clients.js';
import { launch, type ServerUnderTest } from './server-launch.js';
import type { ServerKind } from './server-process.js';
import { machine, numbers, row, table } from './server-report.js';

const MESSAGE_SYNC = 0;

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, step);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

/** A client that reconnects as y-websocket does (200 ms, doubling, at most 2.5 s) and counts each sync step 2. */
class StormClient {
	private socket?: WebSocket;
	private failures = 0;
	private stopped = false;
	private onSynced: () => void = () => {};

	constructor(
		private readonly url: string,
		private readonly step1: Uint8Array
	) {}

	/** Resolves at the next sync step 2 received. */
	nextSync(): Promise<void> {
		return new Promise((resolve) => (this.onSynced = resolve));
	}

	connect(): void {
		if (this.stopped) return;
		const socket = new WebSocket(this.url);
		this.socket = socket;
		socket.binaryType = 'nodebuffer';
		socket.on('open', () => socket.send(this.step1));
		socket.on('message', (data: Buffer) => {
			if (data[0] !== MESSAGE_SYNC || data[1] !== 1) return;
			this.failures = 0;
			this.onSynced();
		});
		socket.on('error', () => {});
		socket.on('close', () => {
			this.failures += 1;
			setTimeout(() => this.connect(), Math.min(2 ** this.failures * 100, 2_500));
		});
	}

	destroy(): void {
		this.stopped = true;
		this.socket?.terminate();
	}
}

interface Side {
	server: ServerUnderTest;
	dataDir: string;
	/** The URL path and query each client connects to. */
	paths: string[];
}

/** Tirelire: a round with n joined members; returns its document as the facilitator's client sees it. */
async function tirelire(n: number): Promise<{ side: Side; doc: Y.Doc }> {
	const dataDir = mkdtempSync(join(tmpdir(), 'tirelire-storm-'));
	const server = await launch('tirelire', { dataDir });
	const facilitator = await createRound(server.url, 10_000);
	const members: Member[] = await joinMembers(server.url, facilitator, n);
	const viewer = new BenchClient(server.url, facilitator.roundId, facilitator.token, false);
	await viewer.synced();
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(viewer.doc));
	viewer.destroy();
	const paths = members.map((m) => `/sync/${m.roundId}?token=${m.token}`);
	return { side: { server, dataDir, paths }, doc };
}

/** The stock server, its room seeded with a copy of `doc`. */
async function stock(n: number, doc: Y.Doc): Promise<Side> {
	const dataDir = mkdtempSync(join(tmpdir(), 'tirelire-storm-'));
	const server = await launch('stock', { dataDir });
	const room = `storm_${Date.now().toString(36)}`;
	const seeder = new BenchClient(server.url, room, '', false);
	await seeder.synced();
	Y.applyUpdate(seeder.doc, Y.encodeStateAsUpdate(doc));
	// The seed has arrived once a fresh client receives all of it.
	const check = new BenchClient(server.url, room, '', false);
	await check.synced();
	const expected = Y.encodeStateVector(doc).join();
	while (Y.encodeStateVector(check.doc).join() !== expected) await new Promise((r) => setTimeout(r, 20));
	check.destroy();
	return { server, dataDir, paths: Array.from({ length: n }, () => `/sync/${room}`) };
}

async function storm(kind: ServerKind, side: Side, stateVector: Uint8Array): Promise<{ connectS: number; restartS: number; cpuMs: number }> {
	const base = side.server.url.replace(/^http/, 'ws');
	const clients = side.paths.map((path) => new StormClient(base + path, syncMessage(0, stateVector)));
	try {
		const cpuBefore = await side.server.cpuMs();
		const started = performance.now();
		const synced = Promise.all(clients.map((c) => c.nextSync()));
		for (const client of clients) client.connect();
		await synced;
		const connectS = (performance.now() - started) / 1000;
		const cpuMs = (await side.server.cpuMs()) - cpuBefore;
		if (kind === 'stock') return { connectS, restartS: Number.NaN, cpuMs };
		const again = Promise.all(clients.map((c) => c.nextSync()));
		const port = Number(new URL(side.server.url).port);
		await side.server.stop();
		side.server = await launch(kind, { dataDir: side.dataDir, port });
		const listening = performance.now();
		await again;
		return { connectS, restartS: (performance.now() - listening) / 1000, cpuMs };
	} finally {
		for (const client of clients) client.destroy();
		await side.server.stop();
		rmSync(side.dataDir, { recursive: true, force: true });
	}
}

const sizes = numbers('clients', [100, 1000]);
console.log(`Reconnect storm: N clients open at once on one round document. ${machine()}\n`);
table(['N clients', 'document KB', 'server', 'all synced s', 'server CPU ms', 'after restart: all synced s', 'Tirelire / stock']);
const fmt = (x: number): string => (Number.isNaN(x) ? '—' : x.toFixed(2));
for (const n of sizes) {
	const { side, doc } = await tirelire(n);
	const stateVector = Y.encodeStateVector(doc);
	const kb = (Y.encodeStateAsUpdate(doc).byteLength / 1024).toFixed(0);
	const stockSide = await stock(n, doc);
	const s = await storm('stock', stockSide, stateVector);
	const t = await storm('tirelire', side, stateVector);
	row([n, kb, 'stock', fmt(s.connectS), s.cpuMs.toFixed(0), fmt(s.restartS), '']);
	row([n, kb, 'tirelire', fmt(t.connectS), t.cpuMs.toFixed(0), fmt(t.restartS), `${(t.connectS / s.connectS).toFixed(2)}×`]);
}
