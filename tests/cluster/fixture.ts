// One cluster per test file: a fresh database, the processes, the faults the file asks for, and
// after its tests the check that no member token reached a process's output.
import pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import * as Y from 'yjs';
import { freshDatabase, REDIS_TEST_URL } from '../support/services.js';
import { Client, createBucket, createRound, invite, roundJson, type Member } from '../server/helpers.js';
import { between, Cluster, OwnRedis, TcpRelay, sleep, TEST_APPLICATION, until, type ServerProcess } from './harness.js';
import { leaseOf, storedLedger } from './database.js';
import { Witness } from './witness.js';

// Every WebsocketProvider adds a process 'exit' listener; a file opens dozens of clients.
process.setMaxListeners(0);

export interface ClusterRun {
	cluster: Cluster;
	/** The test's own connections to the cluster's database (never through the relay). */
	db: pg.Pool;
	databaseUrl: string;
	/** With `ownRedis`: the Redis the processes use, which the test may kill and resume. */
	redis: OwnRedis | undefined;
	/** With `relay`: the processes reach PostgreSQL only through it. */
	relay: TcpRelay | undefined;
	/** Opens a client, remembers it for the end of the file, and waits for its first sync. */
	open(client: Client): Promise<Client>;
	/** Remembers a token, so that the end of the file checks it is in no process's output. */
	secret(member: Member): Member;
}

export interface FileOptions {
	processes: number;
	leaseTtlMs?: number;
	ownRedis?: boolean;
	relay?: boolean;
	/** One process (0 is p1) reaches Redis through a relay holding every chunk `lagMs` each way. */
	slowRedis?: { process: number; lagMs: number };
	/** One process (0 is p1) reaches PostgreSQL through a relay holding every chunk `lagMs` each way. */
	slowPostgres?: { process: number; lagMs: number };
	env?: Record<string, string>;
}

export function clusterForFile(options: FileOptions): () => ClusterRun {
	let run: ClusterRun | undefined;
	// Each part is kept as soon as it exists, so that a start failing halfway still takes down the rest.
	let drop: (() => Promise<void>) | undefined;
	let db: pg.Pool | undefined;
	let redis: OwnRedis | undefined;
	let relay: TcpRelay | undefined;
	let slowLink: TcpRelay | undefined;
	let slowDbLink: TcpRelay | undefined;
	const clients: Client[] = [];
	const tokens: string[] = [];
	beforeAll(async () => {
		const database = await freshDatabase('tirelire_cluster');
		drop = database.drop;
		db = new pg.Pool({ connectionString: database.url, max: 4, application_name: TEST_APPLICATION });
		// Should a fault reach the pool's idle connections, the pool replaces them; an 'error' event
		// without a listener would end the test process instead.
		db.on('error', () => undefined);
		redis = options.ownRedis ? await OwnRedis.start() : undefined;
		relay = options.relay ? await TcpRelay.start(database.url) : undefined;
		const redisUrl = redis?.url ?? REDIS_TEST_URL;
		const slow = options.slowRedis;
		slowLink = slow ? await TcpRelay.start(redisUrl, { lagMs: slow.lagMs }) : undefined;
		const slowDb = options.slowPostgres;
		slowDbLink = slowDb ? await TcpRelay.start(database.url, { lagMs: slowDb.lagMs }) : undefined;
		const cluster = await Cluster.start({
			processes: options.processes,
			databaseUrl: relay ? relay.through(database.url) : database.url,
			redisUrl,
			leaseTtlMs: options.leaseTtlMs,
			env: options.env,
			envOf: (i): Record<string, string> => ({
				...(slowLink && i === slow?.process ? { REDIS_URL: slowLink.through(redisUrl) } : {}),
				...(slowDbLink && i === slowDb?.process ? { DATABASE_URL: slowDbLink.through(database.url) } : {})
			})
		});
		run = {
			cluster,
			db,
			databaseUrl: database.url,
			redis,
			relay,
			open: async (client) => {
				clients.push(client);
				await until(() => client.provider.synced, `first sync of ${client.provider.roomname} at ${client.provider.serverUrl}`, 20_000);
				return client;
			},
			secret: (member) => {
				tokens.push(member.token);
				return member;
			}
		};
	}, 120_000);
	afterAll(async () => {
		const output = run?.cluster.output() ?? '';
		try {
			for (const client of clients) client.destroy();
			if (run) console.log(`warnings and errors the processes logged: ${problems(run.cluster)}`);
		} finally {
			// Whatever a test left broken, the processes and the database go.
			await run?.cluster.dispose();
			await db?.end();
			await relay?.dispose();
			await slowLink?.dispose();
			await slowDbLink?.dispose();
			await redis?.dispose();
			await drop?.();
		}
		for (const token of tokens) expect(output.includes(token), 'a member token in a process output').toBe(false);
	}, 60_000);
	return () => {
		if (!run) throw new Error('the cluster did not start (see the beforeAll error)');
		return run;
	};
}

/**
 * Each process's warn and error log lines, counted by message, with the first one's error (the
 * faults provoke some; which, and why, is what a failure needs).
 */
function problems(cluster: Cluster): string {
	const lines = cluster.processes.map((process) => {
		const counts = new Map<string, { n: number; error: unknown }>();
		for (const line of process.logs()) {
			if (line.level !== 'warn' && line.level !== 'error') continue;
			const key = `${line.level} "${String(line.msg)}"`;
			const seen = counts.get(key);
			if (seen) seen.n += 1;
			else counts.set(key, { n: 1, error: line.error });
		}
		const listed = [...counts].map(
			([key, { n, error }]) => `${n}× ${key}${error === undefined ? '' : ` (${String(error).slice(0, 160)})`}`
		);
		return `${process.nodeId}: ${listed.join(', ') || 'none'}`;
	});
	return lines.join('; ');
}

/**
 * A round created through `process` whose lease that process took. The process a round is
 * created on takes its lease at once; another could take it first only by polling the inbox in
 * the few milliseconds between: such a round is set aside and another one created (5 tries).
 */
export async function roundHeldBy(run: ClusterRun, process: ServerProcess, overrides: Record<string, unknown> = {}): Promise<Member> {
	for (let attempt = 0; attempt < 5; attempt++) {
		const created = run.secret(await createRound(process, overrides));
		if ((await leaseOf(run.db, created.roundId))?.holder.startsWith(`${process.nodeId}/`)) return created;
	}
	throw new Error(`${process.nodeId} never held the lease of a round created on it`);
}

const ALLOCATION = 1_000_000;
/** A goal no test reaches, so that the bucket stays open and every contribution is accepted in full. */
const GOAL = 1_000_000_000;

export interface FundingRound {
	facilitator: Member;
	members: Member[];
	bucketId: string;
	witness: Witness;
}

/**
 * A round created on the first process, with `count` members who joined through the processes in
 * turn, one published bucket and the funding phase open (both commands sent through the last process).
 */
export async function fundingRound(run: ClusterRun, count: number): Promise<FundingRound> {
	const { processes } = run.cluster;
	const at = (i: number): ServerProcess => processes[i % processes.length]!;
	const facilitator = run.secret(await createRound(at(0), { defaultAllocation: ALLOCATION }));
	const members: Member[] = [];
	for (let i = 0; i < count; i++) members.push(run.secret(await invite(at(i), facilitator, `Membre ${i + 1}`)));
	const witness = new Witness(run.db, facilitator.roundId);
	const round = await run.open(new Client(at(1), facilitator.roundId, facilitator.token));
	const bucketId = createBucket(round, [{ label: 'Tout', min: GOAL }]);
	const state = (): Record<string, unknown> | undefined => round.doc.getMap<Record<string, unknown>>('bucketState').get(bucketId);
	await until(() => state()?.minGoal === GOAL, 'the bucket and its goal').catch(async (error: Error) => {
		const lease = await leaseOf(run.db, facilitator.roundId);
		const ledger = await storedLedger(run.db, facilitator.roundId);
		const last = ledger.at(-1)?.entry;
		throw new Error(
			`${error.message} (lease ${lease ? `held by ${lease.holder}` : 'never taken'}; ${ledger.length} ledger entries, the last ${last?.type})`
		);
	});
	const own = await run.open(
		new Client(at(processes.length - 1), `${facilitator.roundId}/members/${facilitator.memberId}`, facilitator.token)
	);
	witness.watch(own);
	const publish = witness.send(own, { type: 'publish', bucketId });
	const phase = witness.send(own, { type: 'setPhase', phase: 'funding' });
	await until(() => witness.seen.has(publish) && witness.seen.has(phase), 'publish and the funding phase');
	expect([witness.seen.get(publish)!.receipt.ok, witness.seen.get(phase)!.receipt.ok]).toEqual([true, true]);
	await until(() => state()?.status === 'open', 'the open bucket');
	return { facilitator, members, bucketId, witness };
}

/** Keys sorted at every level, so that two docs holding the same data compare equal whatever their insertion order. */
export function canonical(value: unknown): string {
	return JSON.stringify(value, (_, inner: unknown) =>
		inner && typeof inner === 'object' && !Array.isArray(inner)
			? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: inner
	);
}

/** Waits until every doc reads the same through `read`, then asserts it (so that a difference shows as a diff). */
export async function converged(
	docs: readonly { doc: Y.Doc }[],
	read: (client: { doc: Y.Doc }) => unknown,
	what: string,
	timeoutMs = 30_000
): Promise<unknown> {
	const same = (): boolean => new Set(docs.map((client) => canonical(read(client)))).size === 1;
	await until(same, what, timeoutMs).catch(() => undefined);
	const first = JSON.parse(canonical(read(docs[0]!))) as unknown;
	for (const client of docs.slice(1)) expect(JSON.parse(canonical(read(client))), what).toEqual(first);
	return first;
}

/**
 * Continuous contributions: one every 5–30 ms from a device and of an amount (1–500 cents) both
 * drawn from `random`, until `stop()`.
 */
export function keepContributing(
	witness: Witness,
	devices: readonly Client[],
	bucketId: string,
	random: () => number
): { stop(): Promise<void> } {
	let going = true;
	const loop = (async () => {
		while (going) {
			witness.send(devices[between(random, 0, devices.length - 1)]!, { type: 'contribute', bucketId, amount: between(random, 1, 500) });
			await sleep(between(random, 5, 30));
		}
	})();
	return {
		stop: async () => {
			going = false;
			await loop;
		}
	};
}

/** Member doc clients for these members, member i on process i mod N, each watched by the witness. */
export async function devicesOf(run: ClusterRun, round: FundingRound): Promise<Client[]> {
	const { processes } = run.cluster;
	const devices = await Promise.all(
		round.members.map((member, i) =>
			run.open(new Client(processes[i % processes.length]!, `${member.roundId}/members/${member.memberId}`, member.token))
		)
	);
	for (const device of devices) round.witness.watch(device);
	return devices;
}

/** A round client of the facilitator on every process. */
export function viewsOf(run: ClusterRun, round: FundingRound): Promise<Client[]> {
	return Promise.all(
		run.cluster.processes.map((process) => run.open(new Client(process, round.facilitator.roundId, round.facilitator.token)))
	);
}

/**
 * The end of every fault test: every command has its receipt, none came before its commit, the
 * ledger in PostgreSQL is sound, and every process's round doc converges to it.
 */
export async function expectAllSettled(run: ClusterRun, round: FundingRound): Promise<void> {
	const { witness, bucketId } = round;
	await witness.allReceipted();
	await witness.expectNoReceiptBeforeCommit();
	for (const [id, { receipt }] of witness.seen) expect(receipt, `receipt of ${id}`).toMatchObject({ ok: true });
	const stored = await witness.expectSoundLedger();
	const views = await viewsOf(run, round);
	await until(() => views.every((view) => view.doc.getArray('ledger').length === stored.length), 'the ledger replica on every process');
	const doc = (await converged(views, roundJson, 'the round doc on every process')) as {
		ledger: unknown[];
		bucketState: Record<string, { total: number }>;
	};
	expect(doc.ledger).toEqual(stored);
	expect(doc.bucketState[bucketId]!.total).toBe(witness.acceptedTotal());
}
