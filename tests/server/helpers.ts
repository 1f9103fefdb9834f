// Test harness: a real server on port 0 with a temp DATA_DIR, stock y-websocket clients in Node,
// and waiting on conditions (never on fixed sleeps).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app.js';
import type { Log } from '../../server/log.js';
import type { LedgerEntry, Receipt } from '../../src/lib/domain/types.js';

export interface TestServer extends RunningServer {
	dataDir: string;
	logs: Record<string, unknown>[];
}

export function tempDir(): string {
	return mkdtempSync(join(tmpdir(), 'tirelire-test-'));
}

export function removeDir(dir: string): void {
	rmSync(dir, { recursive: true, force: true });
}

/** Stops a test's server after closing the clients it left open, and removes its data. */
export async function stopTestServer(server: TestServer, clients: readonly { destroy(): void }[] = []): Promise<void> {
	for (const client of clients) client.destroy();
	await server.close();
	removeDir(server.dataDir);
}

export async function startTestServer(dataDir = tempDir(), options: Partial<ServerOptions> = {}): Promise<TestServer> {
	const logs: Record<string, unknown>[] = [];
	const log: Log = (level, msg, fields) => logs.push({ level, msg, ...fields });
	const server = await startServer({
		port: 0,
		host: '127.0.0.1',
		dataDir,
		staticDir: join(process.cwd(), 'build'),
		log,
		roomIdleMs: 200,
		...options
	});
	return { ...server, dataDir, logs };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
	const started = Date.now();
	while (!(await condition())) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

export interface ApiResult<T = Record<string, unknown>> {
	status: number;
	body: T;
	headers: Headers;
	text: string;
}

export async function api<T = Record<string, unknown>>(
	server: RunningServer,
	method: string,
	path: string,
	body?: unknown,
	token?: string
): Promise<ApiResult<T>> {
	const headers: Record<string, string> = {};
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	if (token) headers.Authorization = `Bearer ${token}`;
	const response = await fetch(server.url + path, {
		method,
		headers,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
	});
	const text = await response.text();
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	return { status: response.status, body: parsed as T, headers: response.headers, text };
}

export interface Member {
	roundId: string;
	memberId: string;
	token: string;
}

export async function createRound(server: RunningServer, overrides: Record<string, unknown> = {}): Promise<Member> {
	const result = await api<Member>(server, 'POST', '/api/rounds', {
		name: 'Assemblée 2026',
		currency: 'EUR',
		defaultAllocation: 10_000,
		facilitatorName: 'Fatou',
		...overrides
	});
	if (result.status !== 201) throw new Error(`round creation failed: ${result.text}`);
	return result.body;
}

export async function invite(server: RunningServer, facilitator: Member, name: string, role = 'member'): Promise<Member> {
	const code = await api<{ code: string }>(server, 'POST', `/api/rounds/${facilitator.roundId}/invites`, { role }, facilitator.token);
	if (code.status !== 201) throw new Error(`invite failed: ${code.text}`);
	const joined = await api<{ memberId: string; token: string }>(server, 'POST', `/api/rounds/${facilitator.roundId}/join`, {
		code: code.body.code,
		name
	});
	if (joined.status !== 201) throw new Error(`join failed: ${joined.text}`);
	return { roundId: facilitator.roundId, ...joined.body };
}

/** A stock y-websocket client on one room. */
export class Client {
	readonly doc: Y.Doc;
	readonly provider: WebsocketProvider;
	closedWith: { code: number; reason: string } | undefined;

	constructor(server: RunningServer, room: string, token: string, doc = new Y.Doc()) {
		this.doc = doc;
		this.provider = new WebsocketProvider(server.url.replace('http', 'ws') + '/sync', room, doc, {
			params: { token },
			WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
			disableBc: true
		});
		this.provider.on('closed', (event) => {
			this.closedWith = { code: event.code, reason: event.reason };
		});
	}

	async synced(): Promise<this> {
		await waitFor(() => this.provider.synced, `sync of ${this.provider.roomname}`);
		return this;
	}

	async refused(): Promise<{ code: number; reason: string }> {
		await waitFor(() => this.closedWith !== undefined, `close of ${this.provider.roomname}`);
		return this.closedWith!;
	}

	destroy(): void {
		this.provider.destroy();
		this.doc.destroy();
	}
}

export const roundClient = (server: RunningServer, member: Member) => new Client(server, member.roundId, member.token);
export const memberClient = (server: RunningServer, member: Member, of = member.memberId) =>
	new Client(server, `${member.roundId}/members/${of}`, member.token);

let counter = 0;
export function commandId(): string {
	counter += 1;
	return `cmd_${Date.now().toString(36)}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Appends a command to the member doc and returns its id. */
export function send(client: Client, command: Record<string, unknown>): string {
	const id = commandId();
	client.doc.getArray('commands').push([{ id, at: Date.now(), ...command }]);
	return id;
}

export function receipt(client: Client, id: string): Receipt | undefined {
	return client.doc.getArray<Receipt>('receipts').toArray().find((r) => r.commandId === id);
}

export async function receiptOf(client: Client, id: string, timeoutMs = 5000): Promise<Receipt> {
	await waitFor(() => receipt(client, id) !== undefined, `receipt of ${id}`, timeoutMs);
	return receipt(client, id)!;
}

export function ledger(client: Client): LedgerEntry[] {
	return client.doc.getArray<LedgerEntry>('ledger').toArray();
}

/** The round doc as plain JSON, every root read with its type (Doc.toJSON skips untyped roots). */
export function roundJson(client: { doc: Y.Doc }): Record<string, unknown> {
	const doc = client.doc;
	return {
		round: doc.getMap('round').toJSON(),
		members: doc.getMap('members').toJSON(),
		buckets: doc.getMap('buckets').toJSON(),
		bucketState: doc.getMap('bucketState').toJSON(),
		comments: doc.getMap('comments').toJSON(),
		ledger: doc.getArray('ledger').toJSON()
	};
}

/** A member doc as plain JSON. */
export function memberJson(client: { doc: Y.Doc }): Record<string, unknown> {
	const doc = client.doc;
	return {
		commands: doc.getArray('commands').toJSON(),
		receipts: doc.getArray('receipts').toJSON(),
		wallet: doc.getMap('wallet').toJSON()
	};
}

export function bucketState(client: Client, bucketId: string): Record<string, unknown> | undefined {
	return client.doc.getMap<Record<string, unknown>>('bucketState').get(bucketId);
}

export function newBucketId(): string {
	return `bkt_${Math.random().toString(36).slice(2, 12)}`;
}

/** Writes a bucket the way the web app does: a new key in `buckets` holding a Y.Map. */
export function createBucket(client: Client, items: { label: string; min: number; max?: number | null }[], title = 'Projet'): string {
	const id = newBucketId();
	const bucket = new Y.Map<unknown>();
	bucket.set('title', title);
	bucket.set('summary', '');
	bucket.set('description', new Y.Text('Une description.'));
	const list = new Y.Array<unknown>();
	list.push(items);
	bucket.set('items', list);
	client.doc.getMap('buckets').set(id, bucket);
	return id;
}

/**
 * One server for a test file: started before its tests (handed to `started`), stopped after them
 * with every client `track` was given. `track` waits for the client's first sync.
 */
export function serverForFile(started: (server: TestServer) => void): { track: <T extends Client>(client: T) => Promise<T> } {
	let server: TestServer | undefined;
	const clients: Client[] = [];
	beforeAll(async () => {
		server = await startTestServer();
		started(server);
	});
	afterAll(() => (server ? stopTestServer(server, clients) : undefined));
	return {
		track: (client) => {
			clients.push(client);
			return client.synced();
		}
	};
}

/** Sends `command` from the client's member doc and expects the server's receipt to accept it. */
export async function accepted(client: Client, command: Record<string, unknown>): Promise<void> {
	const result = await receiptOf(client, send(client, command));
	expect(result, JSON.stringify(command)).toMatchObject({ ok: true });
}
