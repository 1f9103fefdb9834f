// DESIGN §10 sequencer: durably committed commands per second (contributions sent as fast as the
// clients can, every receipt counted, the SQLite commands table checked afterwards), and receipt
// latency at a steady rate. Targets: ≥ 5,000 commands/s; receipt p99 < 50 ms at 500 commands/s.
// Usage: node dist/bench/bench/server-sequencer.js [--commands=5000] [--clients=10] [--rate=500] [--seconds=10]
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { launch, type ServerUnderTest } from './server-launch.js';
import type { ProcessOptions } from './server-process.js';
import { machine, ms, number, percentile, row, sleep, table } from './server-report.js';
import { fundingRound, senders, type Sender } from './server-round.js';

/** A command per message is far above the default 100 messages/s per connection (that limit is the point of the latency run). */
const UNTHROTTLED: ProcessOptions = { messagesPerSecond: 1_000_000, messageBurst: 1_000_000 };

interface Outcome {
	received: number;
	accepted: number;
	seconds: number;
	latencies: number[];
	cpuMs: number;
	committed: number;
}

/** Runs `work` against a fresh server and round with `clients` members; counts what SQLite holds afterwards. */
async function session(
	options: ProcessOptions,
	clients: number,
	work: (senders: Sender[], bucketId: string) => Promise<number>
): Promise<Outcome> {
	const dataDir = mkdtempSync(join(tmpdir(), 'tirelire-bench-'));
	let server: ServerUnderTest | undefined = await launch('tirelire', { dataDir, ...options });
	try {
		const round = await fundingRound(server.url, clients);
		const opened = await senders(server.url, round.members);
		const cpuBefore = await server.cpuMs();
		const seconds = await work(opened, round.bucketId);
		const cpuMs = (await server.cpuMs()) - cpuBefore;
		const logged = await server.stop();
		server = undefined;
		if (logged.errors > 0) console.log(`(the server logged ${logged.errors} errors and ${logged.warnings} warnings: see stderr)`);
		for (const sender of opened) sender.client.destroy();
		const db = new Database(join(dataDir, 'tirelire.db'), { readonly: true });
		const committed = (db.prepare("SELECT COUNT(*) AS n FROM commands WHERE type = 'contribute' AND ok = 1").get() as { n: number }).n;
		db.close();
		return {
			received: opened.reduce((sum, s) => sum + s.receipted, 0),
			accepted: opened.reduce((sum, s) => sum + s.accepted, 0),
			seconds,
			latencies: opened.flatMap((s) => s.latencies),
			cpuMs,
			committed
		};
	} finally {
		await server?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

/** Every client sends `perClient` contributions at once; seconds from the first send to the last receipt. */
function burst(perClient: number) {
	return async (clients: Sender[], bucketId: string): Promise<number> => {
		const started = performance.now();
		for (let i = 0; i < perClient; i++) for (const client of clients) client.send({ type: 'contribute', bucketId, amount: 1 });
		await Promise.all(clients.map((client) => client.until(perClient)));
		return (performance.now() - started) / 1000;
	};
}

/** `rate` contributions per second for `seconds`, spread round-robin over the clients, each sent when due. */
function steady(rate: number, seconds: number, lateness: number[]) {
	return async (clients: Sender[], bucketId: string): Promise<number> => {
		const total = rate * seconds;
		const interval = 1000 / rate;
		const started = performance.now();
		for (let i = 0; i < total; ) {
			const now = performance.now();
			for (; i < total && started + i * interval <= now; i++) {
				lateness.push(now - (started + i * interval));
				clients[i % clients.length]!.send({ type: 'contribute', bucketId, amount: 1 });
			}
			await sleep(1);
		}
		const sendSeconds = (performance.now() - started) / 1000;
		await Promise.all(clients.map((client, c) => client.until(Math.floor(total / clients.length) + (c < total % clients.length ? 1 : 0))));
		return sendSeconds;
	};
}

function report(what: string, outcome: Outcome, sent: number): void {
	const { received, accepted, seconds, latencies, cpuMs, committed } = outcome;
	row([
		what,
		`${received}/${sent}`,
		`${accepted} / ${committed}`,
		Math.round(received / seconds),
		ms(percentile(latencies, 50)),
		ms(percentile(latencies, 99)),
		ms(Math.max(...latencies)),
		((cpuMs * 1000) / received).toFixed(0)
	]);
}

const commands = number('commands', 5000);
const clientCount = number('clients', 10);
const rate = number('rate', 500);
const seconds = number('seconds', 10);
console.log(`Sequencer: contributions of 1 cent to one open bucket, synchronous=FULL. ${machine()}\n`);
table(['run', 'receipts', 'accepted / in SQLite', 'commands/s', 'receipt p50 ms', 'p99 ms', 'max ms', 'server CPU µs/command']);

report(`1 client, ${commands} at once`, await session(UNTHROTTLED, 1, burst(commands)), commands);
const each = Math.ceil(commands / clientCount);
report(`${clientCount} clients × ${each} at once`, await session(UNTHROTTLED, clientCount, burst(each)), each * clientCount);
const steadyClients = Math.max(1, Math.ceil(rate / 25));
const lateness: number[] = [];
const paced = await session({}, steadyClients, steady(rate, seconds, lateness));
report(`${rate}/s for ${seconds} s, ${steadyClients} clients, default limits`, paced, rate * seconds);
console.log(`\nSteady run: commands were sent p50 ${ms(percentile(lateness, 50))} ms, p99 ${ms(percentile(lateness, 99))} ms after they were due; "commands/s" there is the sending rate achieved.`);
