// The PostgreSQL store (DESIGN §14): the ports of ../ports.ts over one pg pool, for several
// server processes sharing one database. Opening it migrates the schema (./schema.ts).
import type { Store } from '../ports.js';
import { PgAccounts } from './accounts.js';
import { PgInbox, PgLeases, PgNodes } from './cluster.js';
import { PgBlobIndex, PgFiles, PgLedger, PgPublications, PgRoomStore, PgSchedules } from './records.js';
import { migratePg } from './schema.js';
import { Sql, type PgOptions } from './sql.js';

export { PostgresUnreachable } from './sql.js';
export { PG_MIGRATIONS } from './schema.js';

/**
 * Connects, migrates (once, even when several processes start together) and answers the store.
 * Rejects when the database is unreachable or its schema is newer than this server's.
 */
export async function openPgStore(url: string, options: PgOptions = {}): Promise<Store> {
	const sql = new Sql(url, options);
	try {
		await sql.withClient((query) => migratePg(query));
	} catch (error) {
		await sql.close();
		throw error;
	}
	return {
		kind: 'postgres',
		accounts: new PgAccounts(sql),
		ledger: new PgLedger(sql),
		rooms: new PgRoomStore(sql),
		schedules: new PgSchedules(sql),
		blobs: new PgBlobIndex(sql),
		files: new PgFiles(sql),
		publications: new PgPublications(sql),
		cluster: { leases: new PgLeases(sql), inbox: new PgInbox(sql), nodes: new PgNodes(sql) },
		transaction: (fn) => sql.transaction(fn),
		check: async () => ({ rounds: (await sql.row<{ n: number }>('SELECT COUNT(*) AS n FROM rounds'))?.n ?? 0 }),
		close: () => sql.close()
	};
}
