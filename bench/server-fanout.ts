// DESIGN §10 fan-out: one round, N stock y-websocket clients reading it, one more member appends
// comments; measured is the time from the append until the N-th client has it (p50/p99 over the
// updates). Tirelire and the stock y-websocket server (stock.ts) run side by side, each in its own
// process with its own N clients, and the updates alternate between them so that both see the same
// machine load. Target: Tirelire p99 ≤ 1.5 × the stock server's; < 100 ms at N = 1,000.
// "connect s" is the time to open the N clients (50 at a time, each batch synced before the next),
// after the members joined over HTTP (not counted: the stock server has no members).
// Usage: node dist/bench/bench/server-fanout.js [--clients=10,100,500,1000] [--updates=100] [--presence]
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
const GAP_MS = 10;
const presence = process.argv.includes('--presence');

interface Room {
	editor: BenchClient;
	author: string;
	readers: BenchClient[];
	bucketId: string;
}

const comments = (doc: Y.Doc, bucketId: string): Y.Array<unknown> => doc.getMap<Y.Array<unknown>>('comments').get(bucketId)!;
const bucketId = (): string => `bench_bucket_${Date.now().toString(36)}`;

/** A Tirelire round with n members (joined beforehand); the facilitator creates a bucket, the server creates its comment array. */
async function tirelireRoom(server: ServerUnderTest, facilitator: Member, members: Member[]): Promise<Room> {
	const editor = new BenchClient(server.url, facilitator.roundId, facilitator.token, presence);
	await editor.synced();
	const bucket = bucketId();
	createBucket(editor.doc, bucket, [{ label: 'Chairs', min: 1_000, max: null }]);
	await when(editor.doc, () => editor.doc.getMap('comments').get(bucket) instanceof Y.Array, 'the comment array');
	const readers = await connectAll(server.url, members, roundRoom, presence);
	return { editor, author: facilitator.memberId, readers, bucketId: bucket };
}

/** The same document shape on the stock server: the editor makes the bucket and its comment array itself. */
async function stockRoom(server: ServerUnderTest, n: number): Promise<Room> {
	const roundId = `bench_room_${Date.now().toString(36)}`;
	const editor = new BenchClient(server.url, roundId, '', presence);
	await editor.synced();
	const bucket = bucketId();
	createBucket(editor.doc, bucket, [{ label: 'Chairs', min: 1_000, max: null }]);
	editor.doc.getMap('comments').set(bucket, new Y.Array());
	const readers: Member[] = Array.from({ length: n }, (_, i) => ({ roundId, memberId: `reader${i}`, token: '' }));
	return { editor, author: 'editor', readers: await connectAll(server.url, readers, roundRoom, presence), bucketId: bucket };
}

/** Appends comments to a room and times their arrival at every reader. */
class Probe {
	readonly last: number[] = [];
	readonly median: number[] = [];
	private target = 0;
	private arrivals: number[] = [];
	private complete: () => void = () => {};
	private readonly own: Y.Array<unknown>;

	constructor(private readonly room: Room) {
		this.own = comments(room.editor.doc, room.bucketId);
		for (const reader of room.readers) {
			const array = comments(reader.doc, room.bucketId);
			let reached = array.length;
			array.observe(() => {
				if (array.length < this.target || reached >= this.target) return;
				reached = this.target;
				this.arrivals.push(performance.now());
				if (this.arrivals.length === room.readers.length) this.complete();
			});
		}
	}

	/** One comment; records when the last reader (and the median reader) had it, unless warming up. */
	async once(record: boolean): Promise<void> {
		this.target = this.own.length + 1;
		this.arrivals = [];
		const readers = this.room.readers.length;
		const done = new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`${this.arrivals.length}/${readers} clients after 20 s`)), 20_000);
			this.complete = () => {
				clearTimeout(timer);
				resolve();
			};
		});
		const sent = performance.now();
		this.own.push([{ id: `c${this.target}_${Date.now().toString(36)}`, author: this.room.author, text: `Comment ${this.target}`, at: Date.now() }]);
		await done;
		if (!record) return;
		this.last.push(Math.max(...this.arrivals) - sent);
		this.median.push(percentile(this.arrivals, 50) - sent);
	}
}

interface Side {
	kind: ServerKind;
	server: ServerUnderTest;
	dataDir: string;
	room?: Room;
	probe?: Probe;
	cpuMs: number;
	setupS: number;
}

async function open(kind: ServerKind, n: number): Promise<Side> {
	const dataDir = mkdtempSync(join(tmpdir(), 'tirelire-bench-'));
	const side: Side = { kind, server: await launch(kind, { dataDir }), dataDir, cpuMs: 0, setupS: 0 };
	if (kind === 'stock') {
		const started = performance.now();
		side.room = await stockRoom(side.server, n);
		side.setupS = (performance.now() - started) / 1000;
	} else {
		const facilitator = await createRound(side.server.url, 10_000);
		const members = await joinMembers(side.server.url, facilitator, n);
		const started = performance.now();
		side.room = await tirelireRoom(side.server, facilitator, members);
		side.setupS = (performance.now() - started) / 1000;
	}
	side.probe = new Probe(side.room);
	return side;
}

async function close(side: Side): Promise<void> {
	const logged = await side.server.stop();
	for (const client of side.room ? [side.room.editor, ...side.room.readers] : []) client.destroy();
	rmSync(side.dataDir, { recursive: true, force: true });
	if (logged.errors > 0) console.log(`(${side.kind} logged ${logged.errors} errors and ${logged.warnings} warnings: see stderr)`);
}

/** Both servers with n readers each; updates alternate between them (which goes first alternates too). */
async function compare(n: number, updates: number): Promise<number> {
	const sides: Side[] = [];
	try {
		sides.push(await open('stock', n), await open('tirelire', n));
		for (let k = 0; k < WARMUP; k++) for (const side of sides) await side.probe!.once(false);
		for (const side of sides) side.cpuMs = await side.server.cpuMs();
		for (let k = 0; k < updates; k++) {
			for (const side of k % 2 === 0 ? sides : [...sides].reverse()) {
				await side.probe!.once(true);
				await sleep(GAP_MS);
			}
		}
		for (const side of sides) side.cpuMs = ((await side.server.cpuMs()) - side.cpuMs) / updates;
		for (const { kind, probe, cpuMs, setupS } of sides) {
			const { last, median } = probe!;
			row([n, kind, ms(percentile(last, 50)), ms(percentile(last, 99)), ms(Math.max(...last)), ms(percentile(median, 50)), ms(cpuMs), setupS.toFixed(1)]);
		}
		return percentile(sides[1]!.probe!.last, 99) / percentile(sides[0]!.probe!.last, 99);
	} finally {
		for (const side of sides) await close(side);
	}
}

const sizes = numbers('clients', [10, 100, 500, 1000]);
const updates = number('updates', 100);
console.log(
	`Fan-out: ${updates} comments per server (after ${WARMUP} warm-up), alternating between the two servers, ${GAP_MS} ms apart; ` +
		`clients ${presence ? 'with' : 'without'} presence (awareness). ${machine()}\n`
);
table(['N clients', 'server', 'all N have it: p50 ms', 'p99 ms', 'max ms', 'median client p50 ms', 'server CPU ms/update', 'connect s']);
const ratios: string[] = [];
for (const n of sizes) ratios.push(`N = ${n}: ${(await compare(n, updates)).toFixed(2)}×`);
console.log(`\nTirelire p99 / stock p99: ${ratios.join(', ')}`);
