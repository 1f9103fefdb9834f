// DESIGN §14, issue 14 item 6: the distributed setup against one process. Every figure comes from
// real server processes (`node dist/server/index.js` with DATABASE_URL and REDIS_URL, on free
// ports, a fresh PostgreSQL database each) and stock y-websocket clients in this process, so one
// clock times both ends.
// - Fan-out: one round, N readers of the round doc, the facilitator appends comments through the
//   first process; measured is the time from the append until each reader has it (per reader, and
//   until the last one), with the N readers on 1 process, then spread evenly over 3.
// - Sequencer through PostgreSQL: members spread over 3 processes send contributions at once;
//   commands/s counts receipts (each given only after its commit), checked against the `commands`
//   table afterwards.
// - Lease takeover: members on every process keep contributing; the holder of the round's lease
//   (round_leases) is SIGKILLed; measured is the time from the kill until the first receipt of a
//   command sent after it. The server's default LEASE_TTL_MS.
// Targets: fan-out p99 with 3 processes ≤ 2 × with 1; ≥ 2,000 committed commands/s in one round;
// takeover ≤ 5 s. Needs PostgreSQL and Redis (tests/support/services.ts says how to start them).
// Usage: npm run bench:scale -- [--clients=1000] [--updates=50] [--commands=10000] [--senders=30] [--kills=5]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import * as Y from 'yjs';
import type { Receipt } from '../src/lib/domain/types.js';
import { committedContributions, leaseOf } from '../tests/cluster/database.js';
import { Cluster, GENEROUS_LIMITS, type ServerProcess } from '../tests/cluster/harness.js';
import { freshDatabase, REDIS_TEST_URL, servicesFor } from '../tests/support/services.js';
import { BenchClient, connectAll, createBucket, createRound, joinMembers, roundRoom, when, WireReader, type Member } from './server-clients.js';
import { machine, ms, number, percentile, row, sleep, table } from './server-report.js';
import { fundingRound, Sender } from './server-round.js';

const WARMUP = 5;
const GAP_MS = 10;
/** A benchmark's members send far more than a person does: the per-connection and per-member limits would measure themselves. */
const UNTHROTTLED: Record<string, string> = {
	...GENEROUS_LIMITS,
	MESSAGES_PER_SECOND: '1000000',
	MESSAGE_BURST: '1000000',
	COMMENTS_PER_MINUTE: '1000000/1000000',
	ROOM_IDLE_MS: '30000'
};

/** What the servers logged as errors, per measurement, printed after the tables. */
const logged: string[] = [];

/** A cluster on a database of its own for one measurement, always taken down afterwards. */
async function withCluster<T>(what: string, processes: number, work: (cluster: Cluster, db: pg.Pool) => Promise<T>): Promise<T> {
	const database = await freshDatabase('tirelire_bench');
	const db = new pg.Pool({ connectionString: database.url, max: 2 });
	let cluster: Cluster | undefined;
	try {
		cluster = await Cluster.start({ processes, databaseUrl: database.url, redisUrl: REDIS_TEST_URL, env: UNTHROTTLED });
		return await work(cluster, db);
	} finally {
		const errors = cluster?.processes.flatMap((process) => process.logs().filter((line) => line.level === 'error')) ?? [];
		if (errors.length > 0) logged.push(`${what}: the servers logged ${errors.length} errors, the first: ${JSON.stringify(errors[0])}`);
		await cluster?.dispose();
		await db.end();
		await database.drop();
	}
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux); NaN elsewhere. */
function cpuMs(process: ServerProcess): number {
	try {
		const stat = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
	} catch {
		return Number.NaN;
	}
}

const totalCpu = (cluster: Cluster): number => cluster.processes.reduce((sum, process) => sum + cpuMs(process), 0);

interface FanOut {
	processes: number;
	clients: number;
	/** Per update: when the last reader had it. */
	last: number[];
	/** Per update and reader: when that reader had it. */
	each: number[];
	/** Per update and reader of the Y.Doc sample: when the comment was in its doc. */
	docs: number[];
	cpuMsPerUpdate: number;
	connectS: number;
}

/** Readers per process that are stock y-websocket clients, a Y.Doc each; the others are wire readers. */
const DOC_READERS_PER_PROCESS = 20;

async function connectWire(base: string, members: Member[], batch = 200): Promise<WireReader[]> {
	const readers: WireReader[] = [];
	for (let i = 0; i < members.length; i += batch) {
		const opened = members.slice(i, i + batch).map((member) => new WireReader(base, roundRoom(member), member.token));
		readers.push(...opened);
		await Promise.all(opened.map((reader) => reader.synced()));
	}
	return readers;
}

/**
 * N readers of one round spread evenly over the processes; the facilitator comments through the
 * first. On each process, DOC_READERS_PER_PROCESS readers are stock clients (the comment counted
 * when it is in their Y.Doc), the others wire readers (counted when the message carrying the
 * comment's id arrives on their socket).
 */
async function fanOut(processes: number, clients: number, updates: number): Promise<FanOut> {
	return withCluster(`fan-out on ${processes}`, processes, async (cluster) => {
		const first = cluster.processes[0]!;
		const facilitator = await createRound(first.url, 10_000);
		const members = await joinMembers(first.url, facilitator, clients);
		const editor = new BenchClient(first.url, facilitator.roundId, facilitator.token, false);
		const docReaders: BenchClient[] = [];
		const wireReaders: WireReader[] = [];
		try {
			await editor.synced();
			const bucketId = `bench_bucket_${Date.now().toString(36)}`;
			createBucket(editor.doc, bucketId, [{ label: 'Chairs', min: 1_000, max: null }]);
			await when(editor.doc, () => editor.doc.getMap('comments').get(bucketId) instanceof Y.Array, 'the comment array');
			const connecting = performance.now();
			for (let p = 0; p < processes; p++) {
				const share = members.filter((_, i) => i % processes === p);
				const url = cluster.processes[p]!.url;
				docReaders.push(...(await connectAll(url, share.slice(0, DOC_READERS_PER_PROCESS), roundRoom, false)));
				wireReaders.push(...(await connectWire(url, share.slice(DOC_READERS_PER_PROCESS))));
			}
			const connectS = (performance.now() - connecting) / 1000;
			const readers = docReaders.length + wireReaders.length;
			const thread = (doc: Y.Doc): Y.Array<unknown> => doc.getMap<Y.Array<unknown>>('comments').get(bucketId)!;
			await Promise.all(docReaders.map((reader) => when(reader.doc, () => thread(reader.doc) instanceof Y.Array, 'the comment array')));

			let target = 0;
			let marker = Buffer.alloc(0);
			let arrivals: number[] = [];
			let docArrivals: number[] = [];
			let complete = (): void => {};
			const arrived = (): void => {
				arrivals.push(performance.now());
				if (arrivals.length === readers) complete();
			};
			for (const reader of docReaders) {
				const array = thread(reader.doc);
				let reached = array.length;
				array.observe(() => {
					if (array.length < target || reached >= target) return;
					reached = target;
					docArrivals.push(performance.now());
					arrived();
				});
			}
			for (const reader of wireReaders) {
				let reached = 0;
				reader.onMessage = (data) => {
					if (reached === target || !data.includes(marker)) return;
					reached = target;
					arrived();
				};
			}
			const own = thread(editor.doc);
			const result: FanOut = { processes, clients, last: [], each: [], docs: [], cpuMsPerUpdate: 0, connectS };
			let cpuBefore = 0;
			for (let k = 0; k < WARMUP + updates; k++) {
				if (k === WARMUP) cpuBefore = totalCpu(cluster);
				target = own.length + 1;
				const id = `c${target}_${Date.now().toString(36)}`;
				marker = Buffer.from(id);
				arrivals = [];
				docArrivals = [];
				const done = new Promise<void>((resolve, reject) => {
					const timer = setTimeout(() => reject(new Error(`${arrivals.length}/${readers} readers after 30 s`)), 30_000);
					complete = () => {
						clearTimeout(timer);
						resolve();
					};
				});
				const sent = performance.now();
				own.push([{ id, author: facilitator.memberId, text: `Comment ${target}`, at: Date.now() }]);
				await done;
				if (k >= WARMUP) {
					result.last.push(Math.max(...arrivals) - sent);
					result.each.push(...arrivals.map((at) => at - sent));
					result.docs.push(...docArrivals.map((at) => at - sent));
				}
				await sleep(GAP_MS);
			}
			result.cpuMsPerUpdate = (totalCpu(cluster) - cpuBefore) / updates;
			return result;
		} finally {
			editor.destroy();
			for (const reader of docReaders) reader.destroy();
			for (const reader of wireReaders) reader.destroy();
		}
	});
}

/** Receipts of the senders' commands with the time each was sent and seen. */
class Tracker {
	readonly sentAt = new Map<string, number>();
	readonly seenAt = new Map<string, number>();

	watch(sender: Sender): void {
		sender.client.doc.getArray<Receipt>('receipts').observe((event) => {
			const now = performance.now();
			for (const change of event.changes.delta) {
				for (const receipt of (change.insert as Receipt[] | undefined) ?? []) {
					if (this.sentAt.has(receipt.commandId) && !this.seenAt.has(receipt.commandId)) this.seenAt.set(receipt.commandId, now);
				}
			}
		});
	}

	send(sender: Sender, command: Record<string, unknown>): void {
		this.sentAt.set(sender.send(command), performance.now());
	}

	/** When the first command sent after `since` was receipted, if one was. */
	firstReceiptAfter(since: number): number | undefined {
		let first: number | undefined;
		for (const [id, at] of this.seenAt) if (this.sentAt.get(id)! > since && (first === undefined || at < first)) first = at;
		return first;
	}
}

async function spreadSenders(cluster: Cluster, members: Member[]): Promise<Sender[]> {
	const opened = members.map((member, i) => new Sender(cluster.processes[i % cluster.processes.length]!.url, member));
	await Promise.all(opened.map((sender) => sender.client.synced()));
	return opened;
}

interface Throughput {
	sent: number;
	receipts: number;
	accepted: number;
	committed: number;
	seconds: number;
	latencies: number[];
	/** CPU the three servers used per receipted command, and the clients' process (this one). */
	serverCpuMs: number;
	clientCpuMs: number;
}

/** `senders` members on 3 processes each send their share of `commands` contributions at once. */
async function throughput(commands: number, senderCount: number): Promise<Throughput> {
	return withCluster('sequencer', 3, async (cluster, db) => {
		const round = await fundingRound(cluster.processes[0]!.url, senderCount);
		const senders = await spreadSenders(cluster, round.members);
		try {
			const each = Math.ceil(commands / senderCount);
			const cpuBefore = totalCpu(cluster);
			const clientBefore = process.cpuUsage();
			const started = performance.now();
			for (let i = 0; i < each; i++) for (const sender of senders) sender.send({ type: 'contribute', bucketId: round.bucketId, amount: 1 });
			await Promise.all(senders.map((sender) => sender.until(each, 300_000)));
			const seconds = (performance.now() - started) / 1000;
			const client = process.cpuUsage(clientBefore);
			const receipts = senders.reduce((sum, sender) => sum + sender.receipted, 0);
			return {
				serverCpuMs: (totalCpu(cluster) - cpuBefore) / receipts,
				clientCpuMs: (client.user + client.system) / 1000 / receipts,
				sent: each * senderCount,
				receipts: senders.reduce((sum, sender) => sum + sender.receipted, 0),
				accepted: senders.reduce((sum, sender) => sum + sender.accepted, 0),
				committed: await committedContributions(db, round.facilitator.roundId),
				seconds,
				latencies: senders.flatMap((sender) => sender.latencies)
			};
		} finally {
			for (const sender of senders) sender.client.destroy();
		}
	});
}

/** Members on every process contribute every 10 ms, round-robin; the lease holder is SIGKILLed `kills` times. */
async function takeover(kills: number): Promise<number[]> {
	return withCluster('takeover', 3, async (cluster, db) => {
		const round = await fundingRound(cluster.processes[0]!.url, 6);
		const senders = await spreadSenders(cluster, round.members);
		const tracker = new Tracker();
		for (const sender of senders) tracker.watch(sender);
		let going = true;
		const flow = (async () => {
			for (let i = 0; going; i++) {
				tracker.send(senders[i % senders.length]!, { type: 'contribute', bucketId: round.bucketId, amount: 1 });
				await sleep(10);
			}
		})();
		const times: number[] = [];
		try {
			for (let kill = 0; kill < kills; kill++) {
				const live = performance.now();
				while (tracker.firstReceiptAfter(live) === undefined) await sleep(10);
				const lease = await leaseOf(db, round.facilitator.roundId);
				if (!lease) throw new Error('the round has no row in round_leases');
				const holder = cluster.holderProcess(lease.holder);
				const killedAt = performance.now();
				await holder.kill();
				let first: number | undefined;
				while ((first = tracker.firstReceiptAfter(killedAt)) === undefined) {
					if (performance.now() - killedAt > 60_000) throw new Error(`no receipt within 60 s of killing ${holder.nodeId}`);
					await sleep(5);
				}
				times.push(first - killedAt);
				await holder.start();
			}
			return times;
		} finally {
			going = false;
			await flow;
			for (const sender of senders) sender.client.destroy();
		}
	});
}

if (!(await servicesFor('bench:scale', ['postgres', 'redis']))) process.exit(1);
const clients = number('clients', 1000);
const updates = number('updates', 50);
const commands = number('commands', 10_000);
const senderCount = number('senders', 30);
const kills = number('kills', 5);
console.log(`Scale: server processes on PostgreSQL and Redis, clients in this process. ${machine()}\n`);

console.log(
	`Fan-out: ${updates} comments (after ${WARMUP} warm-up), ${GAP_MS} ms apart, ${clients} readers without presence; ` +
		`${DOC_READERS_PER_PROCESS} per process apply them in a Y.Doc, the others read the wire.\n`
);
table([
	'processes',
	'readers per process',
	'all have it: p50 ms',
	'p99 ms',
	'each reader: p50 ms',
	'p99 ms',
	'Y.Doc readers: p50 ms',
	'p99 ms',
	'servers CPU ms/update',
	'connect s'
]);
const fanOuts: FanOut[] = [];
// One process with `clients` readers; three sharing the same readers; three with `clients` each.
for (const [processes, readers] of [
	[1, clients],
	[3, clients],
	[3, 3 * clients]
] as const) {
	const result = await fanOut(processes, readers, updates);
	fanOuts.push(result);
	row([
		processes,
		Math.round(readers / processes),
		ms(percentile(result.last, 50)),
		ms(percentile(result.last, 99)),
		ms(percentile(result.each, 50)),
		ms(percentile(result.each, 99)),
		ms(percentile(result.docs, 50)),
		ms(percentile(result.docs, 99)),
		ms(result.cpuMsPerUpdate),
		result.connectS.toFixed(1)
	]);
}
const ratio = (run: number, pick: (f: FanOut) => number[]): string =>
	(percentile(pick(fanOuts[run]!), 99) / percentile(pick(fanOuts[0]!), 99)).toFixed(2);
console.log(
	`\np99 with 3 processes / with 1 (target ≤ 2×): the same ${clients} readers spread, all have it ${ratio(1, (f) => f.last)}×, ` +
		`each reader ${ratio(1, (f) => f.each)}×; ${clients} readers on each, all have it ${ratio(2, (f) => f.last)}×, each reader ${ratio(2, (f) => f.each)}×.\n`
);

console.log(`Sequencer through PostgreSQL: ${senderCount} members on 3 processes send ${commands} contributions of 1 cent at once.\n`);
table(['receipts', 'accepted / in PostgreSQL', 'commands/s', 'receipt p50 ms', 'p99 ms', 'max ms', 'servers CPU ms/command', 'clients CPU ms/command']);
const rate = await throughput(commands, senderCount);
row([
	`${rate.receipts}/${rate.sent}`,
	`${rate.accepted} / ${rate.committed}`,
	Math.round(rate.receipts / rate.seconds),
	ms(percentile(rate.latencies, 50)),
	ms(percentile(rate.latencies, 99)),
	ms(Math.max(...rate.latencies)),
	rate.serverCpuMs.toFixed(2),
	rate.clientCpuMs.toFixed(2)
]);
console.log(`\nTarget: ≥ 2,000 durably committed commands/s in one round.\n`);

console.log(`Lease takeover: ${kills} SIGKILLs of the holder, 3 processes, 6 members contributing every 10 ms in turn.\n`);
table(['kills', 'takeover p50 ms', 'max ms', 'each ms']);
const takeovers = await takeover(kills);
row([kills, ms(percentile(takeovers, 50)), ms(Math.max(...takeovers)), takeovers.map((t) => Math.round(t)).join(', ')]);
console.log(`\nTarget: ≤ 5,000 ms (kill → first receipt of a command sent after it), with the default LEASE_TTL_MS.`);
if (logged.length > 0) console.log(`\n${logged.join('\n')}`);
