// DESIGN §10 fan-out: one round, N stock y-websocket clients reading it, one more member appends
// comments; measured is the time from the append until the N-th client has it (p50/p99 over the
// updates), for Tirelire and, in the same run, for the bare relay of relay.ts with the same clients.
// Target: Tirelire p99 ≤ 1.5 × the relay's; < 100 ms at N = 1,000.
// Usage: node dist/bench/bench/server-fanout.js [--clients=10,100,500,1000] [--updates=50]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { BenchClient, connectAll, createBucket, createRound, joinMembers, roundRoom, when, type Member } from './server-clients.js';
import { launch, type ServerUnderTest } from './server-launch.js';
import type { ServerKind } from './server-process.js';
import { machine, ms, number, numbers, percentile, row, sleep, table } from './server-report.js';

const WARMUP = 5;
const GAP_MS = 20;

interface Room {
	editor: BenchClient;
	author: string;
	readers: BenchClient[];
	bucketId: string;
}

const comments = (doc: Y.Doc, bucketId: string): Y.Array<unknown> => doc.getMap<Y.Array<unknown>>('comments').get(bucketId)!;

/** A Tirelire round with n members; the facilitator creates a bucket, the server creates its comment array. */
async function tirelireRoom(server: ServerUnderTest, n: number): Promise<Room> {
	const facilitator = await createRound(server.url, 10_000);
	const members = await joinMembers(server.url, facilitator, n);
	const editor = new BenchClient(server.url, facilitator.roundId, facilitator.token);
	await editor.synced();
	const bucketId = `bench_bucket_${Date.now().toString(36)}`;
	createBucket(editor.doc, bucketId, [{ label: 'Chairs', min: 1_000, max: null }]);
	await when(editor.doc, () => editor.doc.getMap('comments').get(bucketId) instanceof Y.Array, 'the comment array');
	const readers = await connectAll(server.url, members, roundRoom);
	return { editor, author: facilitator.memberId, readers, bucketId };
}

/** The same document shape on the relay: the editor makes the bucket and its comment array itself. */
async function relayRoom(server: ServerUnderTest, n: number): Promise<Room> {
	const roundId = `bench_room_${Date.now().toString(36)}`;
	const editor = new BenchClient(server.url, roundId);
	await editor.synced();
	const bucketId = `bench_bucket_${Date.now().toString(36)}`;
	createBucket(editor.doc, bucketId, [{ label: 'Chairs', min: 1_000, max: null }]);
	editor.doc.getMap('comments').set(bucketId, new Y.Array());
	const readers: Member[] = Array.from({ length: n }, (_, i) => ({ roundId, memberId: `reader${i}`, token: '' }));
	return { editor, author: 'editor', readers: await connectAll(server.url, readers, roundRoom), bucketId };
}

/** Appends `count` comments one after the other; for each, when every reader had it (ms after the append). */
async function measure(room: Room, count: number): Promise<{ last: number[]; median: number[] }> {
	const arrays = room.readers.map((reader) => comments(reader.doc, room.bucketId));
	const own = comments(room.editor.doc, room.bucketId);
	let target = 0;
	let arrivals: number[] = [];
	let complete: () => void = () => {};
	for (const array of arrays) {
		let reached = array.length;
		array.observe(() => {
			if (array.length < target || reached >= target) return;
			reached = target;
			arrivals.push(performance.now());
			if (arrivals.length === arrays.length) complete();
		});
	}
	const last: number[] = [];
	const median: number[] = [];
	for (let k = 0; k < count; k++) {
		target = own.length + 1;
		arrivals = [];
		const done = new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`update ${k}: ${arrivals.length}/${arrays.length} clients after 20 s`)), 20_000);
			complete = () => {
				clearTimeout(timer);
				resolve();
			};
		});
		const sent = performance.now();
		own.push([{ id: `c${k}_${Date.now().toString(36)}`, author: room.author, text: `Comment ${k}`, at: Date.now() }]);
		await done;
		last.push(Math.max(...arrivals) - sent);
		median.push(percentile(arrivals, 50) - sent);
		await sleep(GAP_MS);
	}
	return { last, median };
}

async function run(kind: ServerKind, n: number, updates: number): Promise<{ p99: number }> {
	const dataDir = mkdtempSync(join(tmpdir(), 'tirelire-bench-'));
	const server = await launch(kind, { dataDir });
	const setupStarted = performance.now();
	const room = kind === 'relay' ? await relayRoom(server, n) : await tirelireRoom(server, n);
	const setupS = (performance.now() - setupStarted) / 1000;
	try {
		await measure(room, WARMUP);
		const cpuBefore = await server.cpuMs();
		const { last, median } = await measure(room, updates);
		const cpuPerUpdate = ((await server.cpuMs()) - cpuBefore) / updates;
		const p99 = percentile(last, 99);
		row([n, kind, ms(percentile(last, 50)), ms(p99), ms(Math.max(...last)), ms(percentile(median, 50)), ms(cpuPerUpdate), setupS.toFixed(1)]);
		return { p99 };
	} finally {
		const logged = await server.stop();
		for (const client of [room.editor, ...room.readers]) client.destroy();
		rmSync(dataDir, { recursive: true, force: true });
		if (logged.errors > 0) console.log(`(${kind} logged ${logged.errors} errors and ${logged.warnings} warnings: see stderr)`);
	}
}

const sizes = numbers('clients', [10, 100, 500, 1000]);
const updates = number('updates', 50);
console.log(`Fan-out: ${updates} comments (after ${WARMUP} warm-up), ${GAP_MS} ms apart. ${machine()}\n`);
table(['N clients', 'server', 'all N have it: p50 ms', 'p99 ms', 'max ms', 'median client p50 ms', 'server CPU ms/update', 'setup s']);
const ratios: string[] = [];
for (const n of sizes) {
	const relay = await run('relay', n, updates);
	const tirelire = await run('tirelire', n, updates);
	ratios.push(`N = ${n}: ${(tirelire.p99 / relay.p99).toFixed(2)}×`);
}
console.log(`\nTirelire p99 / relay p99: ${ratios.join(', ')}`);
