// The distributed setup as its users meet it (DESIGN §14): several `node dist/server/index.js`
// processes on free ports, one fresh PostgreSQL database and a Redis, plus the faults the
// multi-process suite and `npm run bench:scale` inflict on them: SIGKILL, a Redis of the test's own
// that stops and starts again on its port, and a TCP relay between the processes and PostgreSQL
// or Redis that can be cut or made slow. Nothing here imports vitest, so the benchmark runs it too.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

/**
 * The checkout whose build is run (`dist/server/index.js`, `build/`): this one unless
 * CLUSTER_SERVER_ROOT names another, e.g. an installed release.
 */
export const SERVER_ROOT = resolve(process.env.CLUSTER_SERVER_ROOT ?? process.cwd());
const ENTRY = join(SERVER_ROOT, 'dist', 'server', 'index.js');

/** The seed of a run: CLUSTER_SEED when replaying one, else a new one (printed by the caller). */
export function seedFromEnv(): number {
	const text = process.env.CLUSTER_SEED;
	if (text !== undefined && /^\d{1,10}$/.test(text)) return Number(text) >>> 0;
	return Math.floor(Math.random() * 2 ** 32) >>> 0;
}

/** mulberry32: a tiny seeded PRNG, enough to replay a run's choices from its seed. */
export function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}

/** A whole number in [min, max] drawn from `random`. */
export const between = (random: () => number, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

export const sleep = (milliseconds: number): Promise<void> => new Promise((done) => setTimeout(done, milliseconds));

/** Polls `condition` every 20 ms; throws naming `what` after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
	const started = Date.now();
	while (!(await condition())) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(20);
	}
}

/** A TCP port nobody listens on right now (the kernel's choice for port 0, released at once). */
export function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const probe = createServer();
		probe.once('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as AddressInfo;
			probe.close(() => done(port));
		});
	});
}

/** Every child still running; killed when this process exits, so that a crashed run leaves no server behind. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
	children.add(child);
	child.once('exit', () => children.delete(child));
	return child;
}

function exited(child: ChildProcess): Promise<number | null> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
	return new Promise((done) => child.once('exit', (code) => done(code)));
}

export interface ProcessOptions {
	/** NODE_ID; the lease holder's name starts with it and a slash. */
	nodeId: string;
	/** The environment besides PORT, HOST, DATA_DIR and NODE_ID (DATABASE_URL, REDIS_URL, limits…). */
	env: Record<string, string>;
}

/** One server process. Its port is kept across restarts, so that clients reconnect to the same address. */
export class ServerProcess {
	readonly nodeId: string;
	readonly dataDir = mkdtempSync(join(tmpdir(), 'tirelire-cluster-'));
	/** Everything the process printed, every run appended (the suite checks that no token is in it). */
	output = '';
	port = 0;
	private child: ChildProcess | undefined;
	private readonly env: Record<string, string>;

	constructor(options: ProcessOptions) {
		this.nodeId = options.nodeId;
		this.env = options.env;
	}

	/** http://127.0.0.1:<port>: the address it listens on (the printed one says localhost, which may resolve to ::1). */
	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get running(): boolean {
		return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
	}

	get pid(): number | undefined {
		return this.running ? this.child?.pid : undefined;
	}

	/** Starts the process (on its previous port after a stop) and resolves once it prints its address. */
	async start(timeoutMs = 30_000): Promise<void> {
		if (this.running) throw new Error(`${this.nodeId} is already running`);
		if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "node scripts/ensure-build.mjs" (npm run test:cluster does).`);
		const child = track(
			spawn(process.execPath, [ENTRY], {
				cwd: SERVER_ROOT,
				env: {
					PATH: process.env.PATH ?? '',
					...this.env,
					PORT: String(this.port),
					HOST: '127.0.0.1',
					DATA_DIR: this.dataDir,
					NODE_ID: this.nodeId
				},
				stdio: ['ignore', 'pipe', 'pipe']
			})
		);
		this.child = child;
		const mark = this.output.length;
		const append = (chunk: Buffer): void => {
			this.output += chunk.toString();
		};
		child.stdout!.on('data', append);
		child.stderr!.on('data', append);
		// 'close' comes after 'exit' once the pipes are drained: what a failed start printed is in by then.
		const drained = new Promise((done) => child.once('close', done));
		const started = Date.now();
		let port: number | undefined;
		while (port === undefined) {
			const printed = /Tirelire is running at https?:\/\/\S+?:(\d+)/.exec(this.output.slice(mark));
			if (printed) port = Number(printed[1]);
			else if (!this.running) {
				await drained;
				throw new Error(`${this.nodeId} exited (${child.exitCode ?? child.signalCode}) during start:\n${this.output.slice(mark)}`);
			} else if (Date.now() - started > timeoutMs)
				throw new Error(`${this.nodeId} did not start in ${timeoutMs} ms:\n${this.output.slice(mark)}`);
			else await sleep(20);
		}
		this.port = port;
	}

	/** SIGKILL: no shutdown code runs, the lease is not released; resolves once the process is gone. */
	async kill(): Promise<void> {
		const child = this.child;
		if (!child || !this.running) return;
		child.kill('SIGKILL');
		await exited(child);
	}

	/** SIGTERM, the graceful stop; resolves with the exit code. */
	async stop(): Promise<number | null> {
		const child = this.child;
		if (!child || !this.running) return child?.exitCode ?? null;
		child.kill('SIGTERM');
		return exited(child);
	}

	/** The graceful stop, under the name the test helpers' `RunningServer` gives it. */
	async close(): Promise<void> {
		await this.stop();
	}

	async restart(): Promise<void> {
		await this.kill();
		await this.start();
	}

	/** Stops the process (SIGKILL after 10 s without exiting) and removes its data directory. */
	async dispose(): Promise<void> {
		const child = this.child;
		if (child && this.running) {
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			child.kill('SIGTERM');
			await exited(child);
			clearTimeout(timer);
		}
		rmSync(this.dataDir, { recursive: true, force: true });
	}

	/** The JSON log lines printed so far, parsed (other lines are skipped). */
	logs(): Record<string, unknown>[] {
		const lines: Record<string, unknown>[] = [];
		for (const line of this.output.split('\n')) {
			if (!line.startsWith('{')) continue;
			try {
				lines.push(JSON.parse(line) as Record<string, unknown>);
			} catch {
				// A line cut by SIGKILL: not a log line.
			}
		}
		return lines;
	}
}

export interface ClusterOptions {
	processes: number;
	databaseUrl: string;
	redisUrl: string;
	/** LEASE_TTL_MS; the server's default (3000) when absent. */
	leaseTtlMs?: number;
	/** More environment for every process. */
	env?: Record<string, string>;
	/** More environment for one process (0 is p1), over `env`. */
	envOf?: (index: number) => Record<string, string>;
}

/**
 * Limits that fit a test or a benchmark making a round with many members from one address and
 * sending commands as fast as it can; every other setting is the server's default.
 */
export const GENEROUS_LIMITS: Record<string, string> = {
	CREATE_RATE_BURST: '100000',
	CREATE_RATE_PER_MINUTE: '1000000',
	JOIN_RATE_BURST: '100000',
	JOIN_RATE_PER_MINUTE: '1000000',
	ROOM_IDLE_MS: '2000'
};

/** N processes sharing one database and one Redis, named p1…pN. */
export class Cluster {
	private constructor(readonly processes: ServerProcess[]) {}

	/** Starts the first process alone (it migrates the empty database), then the others together. */
	static async start(options: ClusterOptions): Promise<Cluster> {
		const env: Record<string, string> = {
			...GENEROUS_LIMITS,
			DATABASE_URL: options.databaseUrl,
			REDIS_URL: options.redisUrl,
			...(options.leaseTtlMs === undefined ? {} : { LEASE_TTL_MS: String(options.leaseTtlMs) }),
			...options.env
		};
		const processes = Array.from(
			{ length: options.processes },
			(_, i) => new ServerProcess({ nodeId: `p${i + 1}`, env: { ...env, ...options.envOf?.(i) } })
		);
		const cluster = new Cluster(processes);
		try {
			await processes[0]!.start();
			await Promise.all(processes.slice(1).map((process) => process.start()));
		} catch (error) {
			await cluster.dispose();
			throw error;
		}
		return cluster;
	}

	get(nodeId: string): ServerProcess {
		const found = this.processes.find((process) => process.nodeId === nodeId);
		if (!found) throw new Error(`no process ${nodeId}`);
		return found;
	}

	/** The process a lease holder names (`<NODE_ID>/…`). */
	holderProcess(holder: string): ServerProcess {
		return this.get(holder.slice(0, holder.indexOf('/')));
	}

	/** Which process listens where, for failure messages. */
	describe(): string {
		return this.processes.map((process) => `${process.nodeId} ${process.url}${process.running ? '' : ' (down)'}`).join(', ');
	}

	/** Every process's output, for the check that no token reached a log. */
	output(): string {
		return this.processes.map((process) => process.output).join('\n');
	}

	async dispose(): Promise<void> {
		await Promise.all(this.processes.map((process) => process.dispose()));
	}
}

/** A Redis of the test's own, without persistence, that can be stopped and started again on its port. */
export class OwnRedis {
	private child: ChildProcess | undefined;
	output = '';

	private constructor(
		readonly port: number,
		private readonly binary: string
	) {}

	static async start(binary = '/usr/bin/redis-server'): Promise<OwnRedis> {
		const redis = new OwnRedis(await freePort(), binary);
		await redis.resume();
		return redis;
	}

	get url(): string {
		return `redis://127.0.0.1:${this.port}`;
	}

	/** Starts redis-server on its port and resolves once it accepts connections. */
	async resume(timeoutMs = 10_000): Promise<void> {
		if (!existsSync(this.binary)) throw new Error(`${this.binary} is missing: install Redis (Debian: apt-get install redis-server).`);
		const child = track(
			spawn(this.binary, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
				stdio: ['ignore', 'pipe', 'pipe']
			})
		);
		this.child = child;
		const mark = this.output.length;
		child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		const started = Date.now();
		while (!this.output.slice(mark).includes('Ready to accept connections')) {
			if (child.exitCode !== null) throw new Error(`redis-server exited:\n${this.output.slice(mark)}`);
			if (Date.now() - started > timeoutMs) throw new Error(`redis-server did not start in ${timeoutMs} ms:\n${this.output.slice(mark)}`);
			await sleep(20);
		}
	}

	/** SIGKILL: every connection drops at once, every subscription and stored key is gone. */
	async kill(): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGKILL');
		await exited(child);
	}

	async dispose(): Promise<void> {
		await this.kill();
	}
}

/**
 * A TCP relay between the server processes and a service (PostgreSQL, Redis). `cut('reset')`
 * closes every relayed connection and refuses new ones, as a restarted firewall or a dead router
 * would; `cut('stall')` stops moving bytes in both directions without closing anything, as a
 * pulled cable does (TCP retransmits until the cable is back). `restore()` ends the cut; stalled
 * bytes then flow in order. Started with `lagMs`, it holds every chunk that long before passing
 * it on, in order, both ways: a slow link, on which messages arrive late but none is lost.
 */
export class TcpRelay {
	private readonly pairs = new Set<{ inside: Socket; outside: Socket }>();
	private mode: 'open' | 'reset' | 'stall' = 'open';
	/** Connections accepted so far (a sign that the processes really go through the relay). */
	accepted = 0;

	private constructor(
		private readonly server: Server,
		readonly port: number,
		private readonly target: { host: string; port: number },
		private readonly lagMs: number
	) {}

	/** A relay to the host and port of `target` (a postgres:// or redis:// URL). */
	static async start(target: string, options: { lagMs?: number } = {}): Promise<TcpRelay> {
		const url = new URL(target);
		const server = createServer();
		const port = await new Promise<number>((done, fail) => {
			server.once('error', fail);
			server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port));
		});
		const defaultPort = url.protocol === 'redis:' ? 6379 : 5432;
		const relay = new TcpRelay(server, port, { host: url.hostname, port: Number(url.port || defaultPort) }, options.lagMs ?? 0);
		server.on('connection', (socket) => relay.accept(socket));
		return relay;
	}

	/** `serviceUrl` with its host and port replaced by the relay's. */
	through(serviceUrl: string): string {
		const url = new URL(serviceUrl);
		url.hostname = '127.0.0.1';
		url.port = String(this.port);
		return url.href;
	}

	get open(): number {
		return this.pairs.size;
	}

	private accept(inside: Socket): void {
		if (this.mode === 'reset') {
			inside.resetAndDestroy();
			return;
		}
		this.accepted += 1;
		const outside = connect(this.target.port, this.target.host);
		const pair = { inside, outside };
		this.pairs.add(pair);
		const close = (): void => {
			this.pairs.delete(pair);
			inside.destroy();
			outside.destroy();
		};
		inside.on('error', close).on('close', close);
		outside.on('error', close).on('close', close);
		if (this.lagMs > 0) {
			// Timers of one delay fire in the order they were set: the bytes keep their order.
			const late = (from: Socket, to: Socket): void => {
				from.on('data', (chunk: Buffer) => setTimeout(() => to.destroyed || to.write(chunk), this.lagMs));
			};
			late(inside, outside);
			late(outside, inside);
			return;
		}
		inside.pipe(outside);
		outside.pipe(inside);
		if (this.mode === 'stall') this.pause(pair);
	}

	private pause(pair: { inside: Socket; outside: Socket }): void {
		pair.inside.unpipe(pair.outside);
		pair.outside.unpipe(pair.inside);
		pair.inside.pause();
		pair.outside.pause();
	}

	/** Not for a lagging relay (its connections are not piped). */
	cut(mode: 'reset' | 'stall'): void {
		if (this.lagMs > 0) throw new Error('a lagging relay cannot be cut');
		this.mode = mode;
		for (const pair of [...this.pairs]) {
			if (mode === 'reset') {
				pair.inside.resetAndDestroy();
				pair.outside.destroy();
			} else this.pause(pair);
		}
	}

	restore(): void {
		const was = this.mode;
		this.mode = 'open';
		if (was !== 'stall') return;
		for (const { inside, outside } of this.pairs) {
			inside.pipe(outside);
			outside.pipe(inside);
		}
	}

	async dispose(): Promise<void> {
		for (const { inside, outside } of this.pairs) {
			inside.destroy();
			outside.destroy();
		}
		await new Promise((done) => this.server.close(done));
	}
}

/** What the test's own PostgreSQL connections call themselves, so that a fault leaves them alone. */
export const TEST_APPLICATION = 'tirelire-cluster-test';

/**
 * Closes every session of `database` from the server side (pg_terminate_backend), except the
 * caller's and the test's own (application_name TEST_APPLICATION). Returns how many it ended.
 */
export async function terminateBackends(adminUrl: string, database: string): Promise<number> {
	const client = new pg.Client({ connectionString: adminUrl, application_name: TEST_APPLICATION });
	await client.connect();
	try {
		// Two statements, not one with pg_terminate_backend in the WHERE clause: SQL does not promise
		// the order in which a WHERE clause's conditions run, and this server has other databases.
		const found = await client.query<{ pid: number }>(
			'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name IS DISTINCT FROM $2',
			[database, TEST_APPLICATION]
		);
		const pids = found.rows.map((row) => row.pid);
		const ended = await client.query<{ ended: boolean }>('SELECT pg_terminate_backend(pid) AS ended FROM unnest($1::int[]) AS pid', [pids]);
		return ended.rows.filter((row) => row.ended).length;
	} finally {
		await client.end();
	}
}

/** The database name in a connection string. */
export const databaseName = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1));
