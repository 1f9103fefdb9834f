// The faults the multi-process suite injects are real, or its fault tests prove nothing: a killed
// process ran no shutdown code, a killed Redis refuses connections, a cut relay breaks (or stalls)
// a PostgreSQL connection and a restored one carries it again, pg_terminate_backend ends sessions.
import pg from 'pg';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { freshDatabase, servicesFor } from '../support/services.js';
import { api } from '../server/helpers.js';
import { databaseName, mulberry32, OwnRedis, TcpRelay, sleep, TEST_APPLICATION, terminateBackends } from './harness.js';
import { clusterForFile } from './fixture.js';

const ready = await servicesFor('Multi-process tests', ['postgres', 'redis']);

const settled = <T>(promise: Promise<T>): Promise<'resolved' | 'rejected'> =>
	promise.then(
		() => 'resolved' as const,
		() => 'rejected' as const
	);
const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> =>
	Promise.race([promise, sleep(ms).then(() => 'pending' as const)]);

describe.skipIf(!ready)('cluster harness', () => {
	const file = clusterForFile({ processes: 1 });

	it('the seeded PRNG replays a run: the same seed gives the same draws, another seed others', () => {
		const draws = (seed: number) => Array.from({ length: 8 }, mulberry32(seed));
		expect(draws(42)).toEqual(draws(42));
		expect(draws(42)).not.toEqual(draws(43));
		for (const value of draws(7)) expect(value >= 0 && value < 1).toBe(true);
	});

	it('SIGKILL stops a process without its shutdown; it starts again on the same port', async () => {
		const [server] = file().cluster.processes;
		const port = server!.port;
		expect((await api(server!, 'GET', '/api/health')).status).toBe(200);
		await server!.kill();
		expect(server!.running).toBe(false);
		expect(server!.logs().some((line) => line.msg === 'shutting down')).toBe(false);
		await expect(fetch(`${server!.url}/api/health`)).rejects.toThrow();
		await server!.start();
		expect(server!.port).toBe(port);
		expect((await api(server!, 'GET', '/api/health')).status).toBe(200);
	});

	it('a killed Redis refuses connections; resumed, it answers on the same port', async () => {
		const redis = await OwnRedis.start();
		const client = (): Redis => {
			const connection = new Redis(redis.url, {
				lazyConnect: true,
				connectTimeout: 1000,
				maxRetriesPerRequest: 0,
				retryStrategy: () => null
			});
			// Errors are what this test provokes; each shows up as a rejected command or connect.
			connection.on('error', () => undefined);
			return connection;
		};
		try {
			const before = client();
			await before.connect();
			expect(await before.ping()).toBe('PONG');
			await before.set('cluster-harness', '1');
			await redis.kill();
			const during = client();
			await expect(during.connect()).rejects.toThrow();
			during.disconnect();
			before.disconnect();
			await redis.resume();
			const after = client();
			await after.connect();
			expect(await after.ping()).toBe('PONG');
			// Without persistence a restart forgets everything, as the suite means it to.
			expect(await after.get('cluster-harness')).toBeNull();
			after.disconnect();
		} finally {
			await redis.dispose();
		}
	});

	it('the relay carries PostgreSQL; reset breaks its connections and refuses new ones, stall holds bytes until restored', async () => {
		const { databaseUrl } = file();
		const relay = await TcpRelay.start(databaseUrl);
		const connected = async (): Promise<pg.Client> => {
			const client = new pg.Client({ connectionString: relay.through(databaseUrl), connectionTimeoutMillis: 2000 });
			client.on('error', () => undefined);
			await client.connect();
			return client;
		};
		try {
			const first = await connected();
			expect((await first.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
			expect(relay.accepted).toBe(1);

			relay.cut('reset');
			expect(await settled(first.query('SELECT 1'))).toBe('rejected');
			expect(await settled(connected())).toBe('rejected');
			relay.restore();

			const second = await connected();
			relay.cut('stall');
			const stalled = second.query<{ n: number }>('SELECT 2 AS n');
			expect(await within(stalled, 1000)).toBe('pending');
			relay.restore();
			expect((await stalled).rows).toEqual([{ n: 2 }]);
			await second.end();
		} finally {
			await relay.dispose();
		}
	});

	it("terminateBackends ends the sessions of one database and leaves the others and the test's own", async () => {
		const { databaseUrl } = file();
		const other = await freshDatabase('tirelire_cluster_other');
		const victim = new pg.Client({ connectionString: databaseUrl });
		const bystander = new pg.Client({ connectionString: other.url });
		const own = new pg.Client({ connectionString: databaseUrl, application_name: TEST_APPLICATION });
		const ended = new Promise<void>((done) => victim.on('error', () => done()));
		try {
			await victim.connect();
			await bystander.connect();
			await own.connect();
			expect(await terminateBackends(other.url, databaseName(databaseUrl))).toBeGreaterThanOrEqual(1);
			await ended;
			expect((await bystander.query<{ n: number }>('SELECT 3 AS n')).rows).toEqual([{ n: 3 }]);
			expect((await own.query<{ n: number }>('SELECT 4 AS n')).rows).toEqual([{ n: 4 }]);
		} finally {
			await victim.end().catch(() => undefined);
			await bystander.end();
			await own.end();
			await other.drop();
		}
	});
});
