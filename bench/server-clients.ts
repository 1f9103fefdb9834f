// What the benchmarks do as members: the HTTP API for rounds and joining, and stock y-websocket
// clients (WebsocketProvider in Node, as tests/server/helpers.ts does) whose sync is awaited on
// events, never by polling, so that waiting adds nothing to what is measured.
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface Member {
	roundId: string;
	memberId: string;
	token: string;
}

export async function api<T>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
	const headers: Record<string, string> = {};
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	if (token) headers.Authorization = `Bearer ${token}`;
	const response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
	return JSON.parse(text) as T;
}

export function createRound(base: string, defaultAllocation: number): Promise<Member> {
	return api<Member>(base, 'POST', '/api/rounds', {
		name: 'Bench round',
		currency: 'EUR',
		defaultAllocation,
		facilitatorName: 'Facilitator'
	});
}

/** `count` new members of the facilitator's round, joined through one unlimited invite, a few at a time. */
export async function joinMembers(base: string, facilitator: Member, count: number): Promise<Member[]> {
	const { roundId } = facilitator;
	const { code } = await api<{ code: string }>(base, 'POST', `/api/rounds/${roundId}/invites`, {}, facilitator.token);
	const members: Member[] = [];
	const joinOne = async (i: number): Promise<void> => {
		const joined = await api<{ memberId: string; token: string }>(base, 'POST', `/api/rounds/${roundId}/join`, { code, name: `Member ${i}` });
		members.push({ roundId, ...joined });
	};
	for (let i = 0; i < count; i += 8) {
		await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, k) => joinOne(i + k)));
	}
	return members;
}

// Every WebsocketProvider adds a process 'exit' listener: a thousand of them are expected here.
process.setMaxListeners(0);

type ProviderOptions = NonNullable<ConstructorParameters<typeof WebsocketProvider>[3]>;

/** A stock y-websocket client on one room. */
export class BenchClient {
	readonly doc = new Y.Doc();
	readonly provider: WebsocketProvider;
	private readonly whenSynced: Promise<void>;

	/** Without `presence` the client announces no awareness state (and so sends no awareness renewals). */
	constructor(base: string, room: string, token = '', presence = true) {
		const awareness = new Awareness(this.doc);
		if (!presence) awareness.setLocalState(null);
		this.provider = new WebsocketProvider(base.replace(/^http/, 'ws') + '/sync', room, this.doc, {
			awareness,
			params: { token },
			WebSocketPolyfill: WebSocket as unknown as ProviderOptions['WebSocketPolyfill'],
			disableBc: true
		});
		this.whenSynced = new Promise((resolve, reject) => {
			this.provider.on('sync', (synced: boolean) => synced && resolve());
			this.provider.on('connection-close', (event) => {
				if (!this.provider.synced) reject(new Error(`${room}: closed before sync (${event?.code} ${event?.reason})`));
			});
		});
	}

	synced(): Promise<void> {
		return this.whenSynced;
	}

	destroy(): void {
		this.provider.destroy();
		this.doc.destroy();
	}
}

/** A y-websocket sync step 1 with an empty state vector: "send me the whole room". */
function emptyStep1(): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	syncProtocol.writeSyncStep1(encoder, new Y.Doc());
	return encoding.toUint8Array(encoder);
}

/**
 * A reader that takes the least part in the sync protocol a client can: it asks for the room (a
 * sync step 1 with an empty state vector) and is told of every message as the bytes that arrived,
 * never decoded into a Y.Doc. Thousands of them fit in one process, where thousands of Y.Docs
 * would each apply every update on the bench's own cores; on a person's device that work is the
 * device's, not the server's. Synced once the server's sync step 2 arrived.
 */
export class WireReader {
	private readonly socket: WebSocket;
	private readonly whenSynced: Promise<void>;
	onMessage: (data: Buffer) => void = () => {};

	constructor(base: string, room: string, token: string) {
		// The address WebsocketProvider builds: the server URL, the room, then the parameters.
		this.socket = new WebSocket(`${base.replace(/^http/, 'ws')}/sync/${room}?token=${encodeURIComponent(token)}`);
		this.socket.binaryType = 'nodebuffer';
		this.whenSynced = new Promise((resolve, reject) => {
			this.socket.on('open', () => this.socket.send(emptyStep1()));
			this.socket.on('message', (data: Buffer) => {
				// messageSync (0), then syncStep2 (1).
				if (data[0] === 0 && data[1] === 1) resolve();
				this.onMessage(data);
			});
			this.socket.on('error', reject);
			this.socket.on('close', (code, reason) => reject(new Error(`${room}: closed (${code} ${reason.toString()})`)));
		});
	}

	synced(): Promise<void> {
		return this.whenSynced;
	}

	destroy(): void {
		this.socket.close();
	}
}

export const roundRoom = (member: Member): string => member.roundId;
export const memberRoom = (member: Member): string => `${member.roundId}/members/${member.memberId}`;

/** Opens one client per member on the room `room(member)`, `batch` at a time, each synced before the next batch. */
export async function connectAll(
	base: string,
	members: Member[],
	room: (member: Member) => string,
	presence = true,
	batch = 50
): Promise<BenchClient[]> {
	const clients: BenchClient[] = [];
	for (let i = 0; i < members.length; i += batch) {
		const opened = members.slice(i, i + batch).map((member) => new BenchClient(base, room(member), member.token, presence));
		clients.push(...opened);
		await Promise.all(opened.map((client) => client.synced()));
	}
	return clients;
}

/** Resolves once `condition` holds, checked after each transaction of `doc`. */
export function when(doc: Y.Doc, condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
	if (condition()) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			doc.off('afterTransaction', check);
			reject(new Error(`timed out waiting for ${what}`));
		}, timeoutMs);
		const check = (): void => {
			if (!condition()) return;
			clearTimeout(timer);
			doc.off('afterTransaction', check);
			resolve();
		};
		doc.on('afterTransaction', check);
	});
}

let counter = 0;
/** A command id (10–64 chars of [A-Za-z0-9_-]), unique in this process. */
export function commandId(): string {
	counter += 1;
	return `bench_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Creates a bucket the way the web app does: a new key in `buckets` holding a Y.Map. */
export function createBucket(
	doc: Y.Doc,
	bucketId: string,
	items: { label: string; min: number; max: number | null }[],
	title = 'Bench bucket'
): void {
	const bucket = new Y.Map<unknown>();
	bucket.set('title', title);
	bucket.set('summary', '');
	bucket.set('description', new Y.Text(''));
	const list = new Y.Array<unknown>();
	list.push(items);
	bucket.set('items', list);
	doc.getMap('buckets').set(bucketId, bucket);
}
