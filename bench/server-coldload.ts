// DESIGN §10 cold load: a round whose ledger holds 10,000 entries, made through real commands;
// the server is stopped and started again, and a new client connects to the round doc. Measured:
// from the client's connect to its round doc synced (first client: the room loads from SQLite and
// the ledger is replayed; second client: the room is already loaded), and from the process start.
// Target: < 200 ms. Usage: node dist/bench/bench/server-coldload.js [--entries=10000] [--restarts=3]
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { BenchClient, roundRoom, type Member } from './server-clients.js';
import { coldLoadParts } from './server-coldload-parts.js';
import { launch } from './server-launch.js';
import { machine, ms, number, row, table } from './server-report.js';
import { fundingRound, senders } from './server-round.js';

const CLIENTS = 10;

/** Fills a new round with at least `entries` ledger entries (1-cent contributions from CLIENTS members). */
async function fill(dataDir: string, entries: number): Promise<Member> {
	const server = await launch('tirelire', { dataDir, messagesPerSecond: 1_000_000, messageBurst: 1_000_000 });
	try {
		const round = await fundingRound(server.url, CLIENTS);
		const opened = await senders(server.url, round.members);
		const each = Math.ceil(entries / CLIENTS);
		for (let i = 0; i < each; i++) for (const sender of opened) sender.send({ type: 'contribute', bucketId: round.bucketId, amount: 1 });
		await Promise.all(opened.map((sender) => sender.until(each)));
		if (opened.some((sender) => sender.accepted !== each)) throw new Error('some contributions were refused');
		for (const sender of opened) sender.client.destroy();
		return round.facilitator;
	} finally {
		await server.stop();
	}
}

/** Milliseconds from creating a client on the round doc to its sync, and the doc it got. */
async function connect(url: string, facilitator: Member): Promise<{ ms: number; doc: Y.Doc; client: BenchClient }> {
	const started = performance.now();
	const client = new BenchClient(url, roundRoom(facilitator), facilitator.token);
	await client.synced();
	return { ms: performance.now() - started, doc: client.doc, client };
}

function storedRows(dataDir: string, roundId: string): { ledger: number; roomUpdates: number } {
	const db = new Database(join(dataDir, 'tirelire.db'), { readonly: true });
	const count = (sql: string): number => (db.prepare(sql).get(roundId) as { n: number }).n;
	const rows = {
		ledger: count('SELECT COUNT(*) AS n FROM ledger WHERE round_id = ?'),
		roomUpdates: count('SELECT COUNT(*) AS n FROM room_updates WHERE room = ?')
	};
	db.close();
	return rows;
}

const entries = number('entries', 10_000);
const restarts = number('restarts', 3);
const dataDir = mkdtempSync(join(tmpdir(), 'tirelire-bench-'));
try {
	const fillStarted = performance.now();
	const facilitator = await fill(dataDir, entries);
	const stored = storedRows(dataDir, facilitator.roundId);
	const dbMb = statSync(join(dataDir, 'tirelire.db')).size / 2 ** 20;
	console.log(
		`Cold load: ${stored.ledger} ledger entries made in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s, ` +
			`round doc stored as ${stored.roomUpdates} row(s), database ${dbMb.toFixed(1)} MB. ${machine()}\n`
	);
	table([
		'restart',
		'process start → listening ms',
		'first client connect → synced ms',
		'start → synced ms',
		'second client ms',
		'server CPU for the second client ms',
		'ledger entries synced',
		'round doc KB'
	]);
	for (let r = 1; r <= restarts; r++) {
		const server = await launch('tirelire', { dataDir });
		const first = await connect(server.url, facilitator);
		const cpuBefore = await server.cpuMs();
		const second = await connect(server.url, facilitator);
		const secondCpu = (await server.cpuMs()) - cpuBefore;
		const synced = first.doc.getArray('ledger').length;
		const kb = Y.encodeStateAsUpdate(first.doc).byteLength / 1024;
		row([r, ms(server.startMs), ms(first.ms), ms(server.startMs + first.ms), ms(second.ms), ms(secondCpu), synced, kb.toFixed(0)]);
		await server.stop();
		first.client.destroy();
		second.client.destroy();
		if (synced !== stored.ledger) throw new Error(`the client synced ${synced} ledger entries, SQLite holds ${stored.ledger}`);
	}
	console.log('\nThe same steps one by one, in this process, on the stopped server\'s database:\n');
	table(['step', 'ms']);
	for (const [what, took] of await coldLoadParts(dataDir, facilitator.roundId)) row([what, ms(took)]);
} finally {
	rmSync(dataDir, { recursive: true, force: true });
}
