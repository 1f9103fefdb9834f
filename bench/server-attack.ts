// An honest member's edit as another member sees it, with and without hostile members attacking
// the same round (docs/BENCHMARKS.md "Honest latency under attack"). The server runs in its own
// process; attackers, writer and reader share this one (so the attackers' own cost counts
// against the figures, not for them). Every attack is closed by its budget; attackers reconnect
// and try again until the honest edits are done. Loopback only; bounded in count and time.
// `npm run bench:attack -- --edits=300`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { awarenessFlood, mapSets, syncUpdate } from './attack-payloads.js';
import { launch } from './server-launch.js';
import { BenchClient, createBucket, createRound, joinMembers, memberRoom, roundRoom, when, type Member } from './server-clients.js';
import { machine, ms, number, percentile, row, sleep, table } from './server-report.js';

let nextClient = 2_000_000_000;
const fresh = (): number => (nextClient += 1);

interface Attack {
	name: string;
	/** Room and messages of one try; the server closes the socket (or, for sockets, refuses the extra ones). */
	member: Member;
	room: string;
	messages: Uint8Array[];
	sockets: number;
}

/** One try: open `sockets` sockets, send the messages on the first, wait until each is closed or 5 s pass. */
async function attempt(base: string, attack: Attack, codes: Map<string, number>): Promise<void> {
	const url = `${base.replace(/^http/, 'ws')}/sync/${attack.room}?token=${attack.member.token}`;
	const sockets = Array.from({ length: attack.sockets }, () => new WebSocket(url));
	const closed = sockets.map(
		(ws) =>
			new Promise<void>((resolve) => {
				ws.on('error', () => resolve());
				ws.on('close', (code) => {
					const key = `${attack.name} ${code}`;
					codes.set(key, (codes.get(key) ?? 0) + 1);
					resolve();
				});
			})
	);
	await new Promise<void>((resolve) => {
		sockets[0]!.once('open', () => {
			for (const message of attack.messages) sockets[0]!.send(message);
			resolve();
		});
		sockets[0]!.once('error', () => resolve());
	});
	await Promise.race([Promise.all(closed), sleep(5_000)]);
	for (const ws of sockets) ws.terminate();
}

async function ownBucketParent(base: string, member: Member): Promise<Y.ID> {
	const client = new BenchClient(base, roundRoom(member), member.token, false);
	await client.synced();
	const bucketId = `bkt_attack_${member.memberId}`;
	createBucket(client.doc, bucketId, [{ label: 'Rien', min: 100, max: null }]);
	await when(client.doc, () => client.doc.getMap('bucketState').has(bucketId), 'attacker bucket');
	const parent = (client.doc.getMap('buckets').get(bucketId) as Y.Map<unknown>)._item!.id;
	client.destroy();
	return parent;
}

async function attacks(base: string, members: Member[]): Promise<Attack[]> {
	const [a, b, c, d, e] = members as [Member, Member, Member, Member, Member];
	const commands = new Y.Doc();
	commands.getArray('commands').push(Array.from({ length: 100_000 }, () => ({})));
	return [
		{ name: '25,000 clientIDs in one update', member: a, room: roundRoom(a), messages: [syncUpdate(mapSets(25_000, await ownBucketParent(base, a), fresh))], sockets: 1 },
		{ name: '10,000 clientIDs in one update', member: b, room: roundRoom(b), messages: [syncUpdate(mapSets(10_000, await ownBucketParent(base, b), fresh))], sockets: 1 },
		{ name: '20,000 clientIDs of awareness', member: c, room: roundRoom(c), messages: [awarenessFlood(20_000, fresh).message], sockets: 1 },
		{ name: '100,000 commands in one member-doc update', member: d, room: memberRoom(d), messages: [syncUpdate(Y.encodeStateAsUpdate(commands))], sockets: 1 },
		{ name: '200 sockets at once', member: e, room: memberRoom(e), messages: [], sockets: 200 }
	];
}

/** `edits` edits of the writer's bucket summary; each timed until the reader's doc has it. */
async function latencies(writer: BenchClient, reader: BenchClient, bucketId: string, edits: number, label: string): Promise<number[]> {
	const mine = writer.doc.getMap('buckets').get(bucketId) as Y.Map<unknown>;
	const theirs = (): unknown => (reader.doc.getMap('buckets').get(bucketId) as Y.Map<unknown> | undefined)?.get('summary');
	const result: number[] = [];
	for (let i = 0; i < edits; i++) {
		const text = `${label} ${i}`;
		const seen = when(reader.doc, () => theirs() === text, `edit ${text}`, 30_000);
		const started = performance.now();
		mine.set('summary', text);
		await seen;
		result.push(performance.now() - started);
		await sleep(10);
	}
	return result;
}

const edits = number('edits', 300);
const dataDir = mkdtempSync(join(tmpdir(), 'tirelire-attack-'));
const server = await launch('tirelire', { dataDir });
try {
	const facilitator = await createRound(server.url, 1_000_000);
	const [alice, bob, ...attackers] = await joinMembers(server.url, facilitator, 7);
	const writer = new BenchClient(server.url, roundRoom(alice!), alice!.token);
	const reader = new BenchClient(server.url, roundRoom(bob!), bob!.token);
	await Promise.all([writer.synced(), reader.synced()]);
	const bucketId = 'bkt_honest_edits';
	createBucket(writer.doc, bucketId, [{ label: 'Fresque', min: 10_000, max: null }]);
	await when(reader.doc, () => reader.doc.getMap('buckets').has(bucketId), 'honest bucket at the reader');
	const hostile = await attacks(server.url, attackers);

	const quiet = await latencies(writer, reader, bucketId, edits, 'quiet');
	const codes = new Map<string, number>();
	let attacking = true;
	let tries = 0;
	const loops = hostile.map(async (attack) => {
		for (let i = 0; attacking && i < 10_000; i++) {
			await attempt(server.url, attack, codes);
			tries += 1;
		}
	});
	const cpuBefore = await server.cpuMs();
	const loud = await latencies(writer, reader, bucketId, edits, 'attacked');
	const cpuDuring = (await server.cpuMs()) - cpuBefore;
	attacking = false;
	await Promise.all(loops);
	writer.destroy();
	reader.destroy();

	console.log(`\nHonest edit seen by another member, ${edits} edits each (${machine()})\n`);
	table(['', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms']);
	for (const [name, values] of [['no attack', quiet], ['under attack', loud]] as const) {
		row([name, ms(percentile(values, 50)), ms(percentile(values, 95)), ms(percentile(values, 99)), ms(Math.max(...values))]);
	}
	console.log(`\np99 under attack / p99 without: ${(percentile(loud, 99) / percentile(quiet, 99)).toFixed(2)}×`);
	console.log(`attack tries during the attacked edits: ${tries}; server CPU meanwhile ${cpuDuring.toFixed(0)} ms\n`);
	table(['attack', 'close code', 'sockets closed']);
	for (const [key, count] of [...codes].sort()) {
		const at = key.lastIndexOf(' ');
		row([key.slice(0, at), key.slice(at + 1), count]);
	}
} finally {
	const { warnings, errors } = await server.stop();
	console.log(`\nserver logged ${warnings} warnings (one per refused message) and ${errors} errors`);
	rmSync(dataDir, { recursive: true, force: true });
}
