// How the PostgreSQL store talks to the database: one pool, and an ambient transaction held in
// AsyncLocalStorage (like the SQLite runner of ../index.ts). Inside `transaction(fn)` every query
// made by `fn`, and by what it awaits, goes to the transaction's client; a nested `transaction`
// is a savepoint; outside, each query takes a pooled connection and is its own commit.
import { StoreUnavailable } from '../errors.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Log } from '../../log.js';

/** The type of COUNT, BIGINT columns and BIGSERIAL ids. */
const INT8 = 20;

/**
 * Parsers for this pool only: pg answers int8 as a string by default, so that no precision is lost;
 * our int8 values are times in milliseconds, counts, sequence numbers and amounts in minor units,
 * which a number holds exactly below 2^53. A larger one (which this server never writes) fails
 * the query rather than coming back rounded (pg rejects the query with the parser's error). The
 * global parser table is left as it is for any other user of pg in the process.
 */
function parseInt8(text: string): number {
	const value = Number(text);
	if (!Number.isSafeInteger(value)) throw new RangeError(`the database holds ${text}, beyond the integers a number holds exactly`);
	return value;
}

const types = {
	getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
		if (oid === INT8 && format !== 'binary') return parseInt8;
		return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
	}
};

/** A query failed because the database could not be reached (refused, dropped, shut down), not because of what it asked. */
export class PostgresUnreachable extends StoreUnavailable {
	readonly code = 'postgres_unreachable';
}

/**
 * Whether the connection, not the statement, failed: SQLSTATE classes 08 (connection exception)
 * and 57P (the server shutting down or not accepting yet), a socket's error (ECONNREFUSED,
 * ECONNRESET, ETIMEDOUT, an AggregateError of several refused addresses), or one of pg's own
 * messages for a connection that ended, could not be made in time, or was broken before
 * (pg 8.23: client.js, pg-pool's index.js).
 */
function isConnectionFailure(error: unknown): boolean {
	const code = (error as { code?: unknown }).code;
	if (typeof code === 'string') return code.startsWith('08') || code.startsWith('57P') || /^E[A-Z]+$/.test(code);
	const message = error instanceof Error ? error.message : '';
	return /^Connection terminated|^timeout exceeded when trying to connect|^Client has encountered a connection error|^timeout expired|^Query read timeout/.test(
		message
	);
}

export interface PgOptions {
	poolSize?: number;
	log?: Log;
}

/** The pool and the ambient transaction; every port of the store queries through one Sql. */
export class Sql {
	private readonly pool: pg.Pool;
	private readonly context = new AsyncLocalStorage<{ client: pg.PoolClient; savepoints: number }>();
	private readonly secret: string;
	private closed = false;

	constructor(url: string, options: PgOptions = {}) {
		const log = options.log ?? (() => {});
		this.secret = passwordOf(url);
		this.pool = new pg.Pool({
			connectionString: url,
			max: options.poolSize ?? 10,
			types,
			// An unreachable server fails a call within seconds instead of leaving a request hanging.
			connectionTimeoutMillis: 10_000,
			// A stalled network (packets dropped, nothing refused) fails a statement after this long
			// instead of holding a request, a turn and its connection forever.
			query_timeout: 15_000,
			keepAlive: true,
			application_name: 'tirelire'
		});
		// The pool listens for errors of idle clients only; a checked-out client that loses its
		// connection emits 'error' too, which would be an uncaught exception without a listener.
		// One listener per connection, for its whole life, covers both; an idle client's error
		// reaches the pool's listener as well, and is logged once.
		const logged = new WeakSet<Error>();
		const lost = (error: Error) => {
			if (logged.has(error)) return;
			logged.add(error);
			log('warn', 'PostgreSQL connection lost', { error: this.describe(error) });
		};
		this.pool.on('connect', (client) => client.on('error', lost));
		this.pool.on('error', lost);
		this.watch = new Watch(url, types, (down, why) => {
			if (down) log('warn', 'PostgreSQL not answering: calls fail at once until it does', { error: this.describe(why) });
			else log('info', 'PostgreSQL answering again', {});
		});
	}

	/** Pings PostgreSQL on a connection of its own: while it does not answer, calls fail at once (503) instead of hanging. */
	private readonly watch: Watch;

	private refuseWhileDown(): void {
		if (this.watch.down) throw new PostgresUnreachable('PostgreSQL is unreachable: it does not answer its health ping');
	}

	/** The rows of one statement, in the open transaction if any. */
	async rows<R>(text: string, values: unknown[] = []): Promise<R[]> {
		return (await this.query<R>(text, values)).rows;
	}

	/** The first row of one statement, if any. */
	async row<R>(text: string, values: unknown[] = []): Promise<R | undefined> {
		return (await this.query<R>(text, values)).rows[0];
	}

	/** How many rows the statement wrote. */
	async changes(text: string, values: unknown[] = []): Promise<number> {
		return (await this.query(text, values)).rowCount ?? 0;
	}

	/** Whether a transaction of this store is open in the calling context. */
	get inTransaction(): boolean {
		return this.context.getStore() !== undefined;
	}

	/**
	 * Several statements that must land together (a port method that SQLite runs as one
	 * synchronous call): they join the open transaction, or run in one of their own.
	 */
	atomic<T>(fn: () => Promise<T>): Promise<T> {
		return this.inTransaction ? fn() : this.transaction(fn);
	}

	/** One transaction, or a savepoint of the open one. Its work must not run in parallel with itself. */
	async transaction<T>(fn: () => Promise<T>): Promise<T> {
		const open = this.context.getStore();
		if (open) {
			const name = `sp${++open.savepoints}`;
			await this.on(open.client, `SAVEPOINT ${name}`);
			let result: T;
			try {
				result = await fn();
			} catch (error) {
				await this.on(open.client, `ROLLBACK TO SAVEPOINT ${name}`);
				await this.on(open.client, `RELEASE SAVEPOINT ${name}`);
				throw error;
			}
			await this.on(open.client, `RELEASE SAVEPOINT ${name}`);
			return result;
		}
		const client = await this.connect();
		let broken: Error | undefined;
		try {
			await this.on(client, 'BEGIN');
			const result = await this.context.run({ client, savepoints: 0 }, fn);
			await this.on(client, 'COMMIT');
			return result;
		} catch (error) {
			broken = error instanceof PostgresUnreachable ? error : undefined;
			if (!broken) {
				try {
					await this.on(client, 'ROLLBACK');
				} catch (rollback) {
					broken = rollback instanceof Error ? rollback : new Error(String(rollback));
				}
			}
			throw error;
		} finally {
			// A client whose connection failed is destroyed rather than handed to the next caller.
			client.release(broken);
		}
	}

	/** Runs the migrations' function on a client of its own (it holds an advisory lock for its transaction). */
	async withClient<T>(fn: (query: (text: string, values?: unknown[]) => Promise<pg.QueryResult>) => Promise<T>): Promise<T> {
		const client = await this.connect();
		let broken: Error | undefined;
		try {
			return await fn((text, values) => this.on(client, text, values));
		} catch (error) {
			if (error instanceof PostgresUnreachable) broken = error;
			throw error;
		} finally {
			client.release(broken);
		}
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		await this.watch.stop();
		await this.pool.end();
	}

	private query<R>(text: string, values: unknown[]): Promise<pg.QueryResult<R & pg.QueryResultRow>> {
		const open = this.context.getStore();
		if (open) return this.on(open.client, text, values);
		if (this.closed) return Promise.reject(new Error('The database is closed.'));
		try {
			this.refuseWhileDown();
		} catch (error) {
			return Promise.reject(error as Error);
		}
		return this.pool.query<R & pg.QueryResultRow>(text, values).catch((error: unknown) => {
			throw this.translate(error);
		});
	}

	private on<R>(client: pg.PoolClient, text: string, values?: unknown[]): Promise<pg.QueryResult<R & pg.QueryResultRow>> {
		return client.query<R & pg.QueryResultRow>(text, values).catch((error: unknown) => {
			throw this.translate(error);
		});
	}

	private async connect(): Promise<pg.PoolClient> {
		if (this.closed) throw new Error('The database is closed.');
		this.refuseWhileDown();
		try {
			return await this.pool.connect();
		} catch (error) {
			throw this.translate(error);
		}
	}

	/** A statement's own error goes through as pg made it (its SQLSTATE `code` intact); a connection's becomes PostgresUnreachable. */
	private translate(error: unknown): Error {
		if (!isConnectionFailure(error)) return error instanceof Error ? error : new Error(String(error));
		return new PostgresUnreachable(`PostgreSQL is unreachable: ${this.describe(error)}`, { cause: error });
	}

	/** An error's message for a log line, without the connection's password should a driver ever quote it. */
	private describe(error: unknown): string {
		const code = (error as { code?: unknown }).code;
		// A refused connection to a name with several addresses is an AggregateError with no message, only a code.
		const message = error instanceof Error ? error.message || (typeof code === 'string' ? code : error.name) : String(error);
		return this.secret ? message.split(this.secret).join('***') : message;
	}
}

function passwordOf(url: string): string {
	try {
		return decodeURIComponent(new URL(url).password);
	} catch {
		return '';
	}
}

/**
 * A stalled network (packets dropped, nothing refused) leaves statements waiting for their
 * timeout. This ping, every second on its own connection, sees it within two: `down` is set when
 * a ping fails or takes over 1.5 s, and cleared by the next ping that answers.
 */
class Watch {
	down = false;
	private client: pg.Client | undefined;
	private readonly timer: NodeJS.Timeout;
	private busy = false;

	constructor(
		private readonly url: string,
		private readonly types: pg.CustomTypesConfig,
		private readonly changed: (down: boolean, why: unknown) => void
	) {
		this.timer = setInterval(() => void this.ping(), 1000);
		this.timer.unref();
	}

	private async ping(): Promise<void> {
		if (this.busy) return this.set(true, new Error('ping still waiting'));
		this.busy = true;
		try {
			// A connection the server ended (a restart, pg_terminate_backend) is not a silent
			// server: one more try on a new connection before calling it down.
			const first = await this.once();
			const error = first === 'answered' || first === 'timeout' ? first : await this.once();
			if (error === 'answered') this.set(false, undefined);
			else this.set(true, error === 'timeout' ? new Error('no answer within 1.5 s') : error);
		} finally {
			this.busy = false;
		}
	}

	private async once(): Promise<'answered' | 'timeout' | unknown> {
		let timer: NodeJS.Timeout | undefined;
		try {
			const client = (this.client ??= await this.open());
			const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 1500)));
			const answer = await Promise.race([client.query('SELECT 1').then(() => 'answered' as const), timedOut]);
			if (answer === 'timeout') this.drop();
			return answer;
		} catch (error) {
			this.drop();
			return error;
		} finally {
			clearTimeout(timer);
		}
	}

	/** A connection that failed or hung is dropped; the next ping opens another. */
	private drop(): void {
		const client = this.client;
		this.client = undefined;
		client?.end().catch(() => {});
	}

	private async open(): Promise<pg.Client> {
		const client = new pg.Client({ connectionString: this.url, types: this.types, connectionTimeoutMillis: 1500, application_name: 'tirelire-ping' });
		client.on('error', () => {});
		await client.connect();
		return client;
	}

	private set(down: boolean, why: unknown): void {
		if (down === this.down) return;
		this.down = down;
		this.changed(down, why);
	}

	async stop(): Promise<void> {
		clearInterval(this.timer);
		await this.client?.end().catch(() => {});
	}
}
