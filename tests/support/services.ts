// The PostgreSQL and Redis servers that the distributed setup's tests run against (DESIGN §14).
// Required under CI (a missing server fails the run); elsewhere their suites are skipped with a
// message saying how to start them, as the browser tests are without Chromium.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';

/** A role allowed to create databases; each run works in a database of its own. */
export const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_TEST_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const HOW = {
	postgres:
		'start PostgreSQL on 127.0.0.1:5432 with trust authentication (Debian: "pg_ctlcluster 15 main start"), ' +
		'or set TEST_DATABASE_URL to a role that may create databases',
	redis: 'start Redis on 127.0.0.1:6379 ("redis-server --daemonize yes --save \'\' --appendonly no"), or set TEST_REDIS_URL'
};

async function reachable(service: 'postgres' | 'redis'): Promise<string | undefined> {
	try {
		if (service === 'postgres') {
			const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
			await client.connect();
			await client.query('SELECT 1');
			await client.end();
		} else {
			const redis = new Redis(REDIS_TEST_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
			await redis.connect();
			await redis.ping();
			redis.disconnect();
		}
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

/**
 * Whether the suite can run: true when every service answers; under CI a missing one throws; elsewhere
 * false, after printing which is missing and how to start it.
 */
export async function servicesFor(suite: string, services: readonly ('postgres' | 'redis')[]): Promise<boolean> {
	const missing: string[] = [];
	for (const service of services) {
		const problem = await reachable(service);
		if (problem !== undefined) missing.push(`${service === 'postgres' ? 'PostgreSQL' : 'Redis'} (${problem}): ${HOW[service]}`);
	}
	if (missing.length === 0) return true;
	const text = `${suite} needs ${missing.join('; ')}.`;
	if (process.env.CI) throw new Error(`${text} These tests are required in CI.`);
	console.warn(`\n${suite.toUpperCase()} SKIPPED: ${text}\n`);
	return false;
}

/** A new empty database for one run, and how to drop it. */
export async function freshDatabase(prefix = 'tirelire_test'): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `${prefix}_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = new URL(POSTGRES_ADMIN_URL);
	url.pathname = `/${name}`;
	return {
		url: url.href,
		async drop() {
			const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
			await client.connect();
			await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await client.end();
		}
	};
}
