// The store contract over PostgreSQL (one fresh database for the run, a pool per store), and what
// only a network database has to answer for: migrations by processes starting together, and a
// server that goes away.
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Store } from '../../server/store/ports.js';
import { openPgStore, PG_MIGRATIONS, PostgresUnreachable } from '../../server/store/pg/index.js';
import { freshDatabase, servicesFor } from '../support/services.js';
import { storeContract } from './store.contract.js';

const available = await servicesFor('PostgreSQL store tests', ['postgres']);

if (!available) {
	describe.skip('PostgreSQL store (no server)', () => {
		it('needs PostgreSQL', () => {});
	});
} else {
	const database = await freshDatabase();
	afterAll(() => database.drop());

	const open = (poolSize?: number, log?: (level: string, msg: string, fields?: Record<string, unknown>) => void) =>
		openPgStore(database.url, { poolSize, log });

	storeContract(
		'PostgreSQL',
		async () => {
			const opened: Store[] = [await open()];
			return {
				store: opened[0]!,
				async peer() {
					const store = await open();
					opened.push(store);
					return store;
				},
				async cleanup() {
					for (const store of opened) await store.close();
				}
			};
		},
		{ cluster: true }
	);

	const admin = async <T>(fn: (client: pg.Client) => Promise<T>, url = database.url): Promise<T> => {
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		try {
			return await fn(client);
		} finally {
			await client.end();
		}
	};

	describe('PostgreSQL store: migrations', () => {
		it('three processes opening a new database together migrate it once', async () => {
			const fresh = await freshDatabase();
			try {
				const stores = await Promise.all([0, 1, 2].map(() => openPgStore(fresh.url)));
				const versions = await admin((client) => client.query('SELECT version FROM schema_migrations ORDER BY version'), fresh.url);
				expect(versions.rows.map((row: { version: number }) => row.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
				for (const store of stores) expect(await store.check()).toEqual({ rounds: 0 });
				await Promise.all(stores.map((store) => store.close()));
			} finally {
				await fresh.drop();
			}
		});

		it('refuses a database written by a newer server', async () => {
			const fresh = await freshDatabase();
			try {
				await (await openPgStore(fresh.url)).close();
				await admin((client) => client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [PG_MIGRATIONS.length + 1]), fresh.url);
				await expect(openPgStore(fresh.url)).rejects.toThrow(/schema version .* run a newer server/);
			} finally {
				await fresh.drop();
			}
		});
	});

	describe('PostgreSQL store: a server that goes away', () => {
		it('an unreachable server rejects the open, saying so, without the password', async () => {
			const url = 'postgres://tirelire:hunter2-secret@127.0.0.1:1/nothing';
			const failure = await openPgStore(url).then(
				() => undefined,
				(error: unknown) => error
			);
			expect(failure).toBeInstanceOf(PostgresUnreachable);
			expect((failure as Error).message).toMatch(/^PostgreSQL is unreachable/);
			expect((failure as Error).message).not.toContain('hunter2');
		});

		it('connections killed by the server, idle or in a transaction, fail their call and are logged; the process lives and the next call reconnects', async () => {
			const logs: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
			const store = await open(4, (level, msg, fields) => logs.push({ level, msg, fields }));
			const terminate = () =>
				admin((client) =>
					client.query(
						"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tirelire' AND pid <> pg_backend_pid()"
					)
				);
			try {
				// Idle pooled connections.
				await Promise.all([store.check(), store.check(), store.check()]);
				await terminate();
				await new Promise((resolve) => setTimeout(resolve, 200));
				expect(logs.some((line) => /PostgreSQL .*connection lost/.test(line.msg))).toBe(true);
				expect((await store.check()).rounds).toBeGreaterThanOrEqual(0);

				// A connection checked out by an open transaction.
				logs.length = 0;
				const inside = store.transaction(async () => {
					await store.check();
					await terminate();
					await new Promise((resolve) => setTimeout(resolve, 200));
					return store.check();
				});
				await expect(inside).rejects.toThrow(PostgresUnreachable);
				await expect(inside).rejects.toThrow(/^PostgreSQL is unreachable/);
				expect(logs.some((line) => /PostgreSQL .*connection lost/.test(line.msg))).toBe(true);
				expect((await store.check()).rounds).toBeGreaterThanOrEqual(0);
				expect(JSON.stringify(logs)).not.toMatch(/postgres:\/\//);
			} finally {
				await store.close();
			}
		});

		it('a closed store refuses calls', async () => {
			const store = await open();
			await store.close();
			await expect(store.check()).rejects.toThrow(/closed/);
			await expect(store.transaction(async () => undefined)).rejects.toThrow(/closed/);
			await store.close();
		});
	});
}
