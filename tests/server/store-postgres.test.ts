// The store contract over PostgreSQL (one fresh database for the run, a pool per store), and what
// only a network database has to answer for: migrations by processes starting together, and a
// server that goes away.
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import * as Y from 'yjs';
import type { Amount } from '../../src/lib/domain/types.js';
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

	describe('PostgreSQL store: what a network round trip changes', () => {
		it('§6 an update is copied when appended: the caller may reuse its buffer before the write leaves', async () => {
			const store = await open();
			try {
				const buffer = new Uint8Array([1, 2, 3]);
				const pending = store.rooms.appendUpdate('copied-at-call', buffer);
				buffer[0] = 42;
				await pending;
				expect(await store.rooms.loadRoom('copied-at-call')).toEqual([new Uint8Array([1, 2, 3])]);
			} finally {
				await store.close();
			}
		});

		it('§6 a compaction outside a transaction is one commit: a reader never finds the room empty', async () => {
			const [store, reader] = [await open(), await open()];
			const room = 'compacted-while-read';
			const doc = new Y.Doc();
			await store.rooms.appendUpdate(room, Y.encodeStateAsUpdate(doc));
			let compacting = true;
			const seen: number[] = [];
			const reading = (async () => {
				while (compacting) seen.push((await reader.rooms.loadRoom(room)).length);
			})();
			try {
				for (let i = 0; i < 150; i++) {
					doc.getMap('round').set('n', i);
					await store.rooms.compact(room, Y.encodeStateAsUpdate(doc));
				}
			} finally {
				compacting = false;
				await reading.catch(() => undefined);
			}
			try {
				expect(seen.length).toBeGreaterThan(50);
				expect(seen.filter((count) => count !== 1)).toEqual([]);
				const loaded = new Y.Doc();
				for (const update of await reader.rooms.loadRoom(room)) Y.applyUpdate(loaded, update);
				expect(loaded.getMap('round').get('n')).toBe(149);
			} finally {
				await Promise.all([store.close(), reader.close()]);
			}
		});

		it('§6 a compaction keeps an update another process stored after the snapshot was made', async () => {
			const [store, other] = [await open(), await open()];
			try {
				const room = 'compacted-by-two';
				const here = new Y.Doc();
				here.getMap('round').set('name', 'Coop');
				await store.rooms.appendUpdate(room, Y.encodeStateAsUpdate(here));
				const snapshot = Y.encodeStateAsUpdate(here);
				// Another process's member edits the room after this process's snapshot.
				const there = new Y.Doc();
				Y.applyUpdate(there, snapshot);
				there.getMap('round').set('note', 'from elsewhere');
				await other.rooms.appendUpdate(room, Y.encodeStateAsUpdate(there, Y.encodeStateVector(here)));
				await store.rooms.compact(room, snapshot);
				expect(await store.rooms.countUpdates(room)).toBe(1);
				const loaded = new Y.Doc();
				for (const update of await other.rooms.loadRoom(room)) Y.applyUpdate(loaded, update);
				expect(loaded.getMap('round').toJSON()).toEqual({ name: 'Coop', note: 'from elsewhere' });
			} finally {
				await Promise.all([store.close(), other.close()]);
			}
		});
	});

	describe('PostgreSQL store: errors of a statement', () => {
		it('a refused statement keeps its SQLSTATE and is not taken for a lost connection', async () => {
			const store = await open();
			try {
				await store.ledger.append('sqlstate', { seq: 1, at: 1, type: 'open', amount: 0 as Amount });
				const failure = await store.ledger
					.append('sqlstate', { seq: 1, at: 2, type: 'open', amount: 0 as Amount })
					.catch((error: unknown) => error);
				expect(failure).not.toBeInstanceOf(PostgresUnreachable);
				expect((failure as { code?: string }).code).toBe('23505');
			} finally {
				await store.close();
			}
		});

		it('an int8 beyond 2^53 fails its read instead of coming back rounded', async () => {
			const store = await open();
			try {
				await admin((client) =>
					client.query(
						"INSERT INTO commands (round_id, id, member_id, type, ok, accepted, reason, seq, at) VALUES ('huge', 'c1', NULL, 'fund', TRUE, 9007199254740993, NULL, 1, 1)"
					)
				);
				const failure = await store.ledger.command('huge', 'c1').catch((error: unknown) => error);
				expect(failure).toBeInstanceOf(RangeError);
				expect((failure as Error).message).toContain('9007199254740993');
				await store.ledger.recordCommand(
					'huge',
					{ id: 'c2', memberId: null, type: 'fund', ok: true, accepted: 2 ** 53 - 1, reason: null, seq: 2 },
					1
				);
				expect((await store.ledger.command('huge', 'c2'))?.accepted).toBe(2 ** 53 - 1);
			} finally {
				await store.close();
			}
		});
	});

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
