import type * as Y from 'yjs';
import type { CommandId, MemberId, Role } from '$lib/domain/types';
import type { Connect, Link } from '$lib/sync/connection';
import type { Membership } from '$lib/sync/storage';
import { Commands } from './commands';
import { memberRoots } from './doc';
import { Notices, REFUSAL_CODES, type RefusalCode, type SlowDownCode } from './notices.svelte';
import { RoundView } from './round.svelte';
import { SyncStatus } from './sync-status.svelte';
import { Inbox } from './inbox.svelte';
import { Wallet } from './wallet.svelte';

/** The device storage and the network, injected so the session runs in tests without a browser. */
export interface SessionEffects {
	membership(roundId: string): Promise<Membership | undefined>;
	/** Keeps on the device that the server revoked this membership (4401), so a reload knows it offline. */
	markRevoked(roundId: string, at: number): Promise<void>;
	openRoom(name: string): Promise<{ doc: Y.Doc; release: () => void }>;
	dropRoom(name: string): Promise<void>;
	connect(token: string): Connect;
	/** Schedules a retry (after a rate-limit close); `setTimeout` in the browser. */
	later(ms: number, run: () => void): void;
}

type Kind = 'round' | 'member';
interface OpenRoom {
	doc: Y.Doc;
	release: () => void;
	/** null when the membership is revoked: the device's copy is read, never linked again. */
	link: Link | null;
	stop: () => void;
}

/** How long to wait before reconnecting after the server said "too many messages" (4429). */
const RATE_LIMIT_RETRY_MS = 5_000;

/**
 * Closes that refuse nothing the device wrote: too many messages (4429), comments or buckets too
 * fast (4423), too many sockets for this member (4425). The same changes go through once the
 * member's budget has refilled, so the device keeps its copy and comes back later.
 */
const RETRY_LATER = new Set([4423, 4425, 4429]);

/**
 * One open round for this device's member: the round doc and the member doc, kept on the device
 * and linked to the server, with the view state every page of the round uses.
 * Pages read `round`, `wallet`, `sync`, `notices` and write through `commands`.
 */
export class RoundSession {
	/**
	 * `revoked`: the server refused this membership's token (4401), now or before (kept in the
	 * membership): the rooms stay readable from the device, nothing is linked or written again.
	 */
	phase: 'loading' | 'ready' | 'notMember' | 'revoked' = $state('loading');
	membership: Membership | null = $state.raw(null);

	readonly notices: Notices;
	readonly round = new RoundView();
	readonly commands: Commands;
	readonly wallet = new Wallet(this.round, () => ({ memberId: this.memberId, role: this.role }));
	/** The member's notifications and read mark (its member doc). */
	readonly inbox = new Inbox();
	readonly sync = new SyncStatus(() => this.wallet.pending.length);

	/** The member's role as the server states it in the round doc (it may change), else as joined. */
	role: Role = $derived(this.round.members.get(this.membership?.memberId as MemberId)?.role ?? this.membership?.role ?? 'member');
	isFacilitator = $derived(this.role === 'facilitator');

	readonly roundId: string;
	readonly #effects: SessionEffects;
	readonly #rooms: Partial<Record<Kind, OpenRoom>> = {};
	/** What to do once a room has synced again after a resync. */
	readonly #onSynced: Record<string, (doc: Y.Doc) => void> = {};
	#destroyed = false;

	constructor(roundId: string, effects: SessionEffects) {
		this.roundId = roundId;
		this.#effects = effects;
		this.notices = new Notices(effects.later);
		this.commands = new Commands(this.notices);
	}

	/** The round doc, for the edits members write directly (bucket content, comments). */
	get roundDoc(): Y.Doc | null {
		return this.#rooms.round?.doc ?? null;
	}

	get memberId(): MemberId {
		return (this.membership?.memberId ?? '') as MemberId;
	}

	/** Loads the membership and opens both rooms; works offline from the device's copies. */
	async start(): Promise<void> {
		const membership = await this.#effects.membership(this.roundId);
		if (this.#destroyed) return;
		if (!membership) {
			this.phase = 'notMember';
			return;
		}
		this.membership = membership;
		if (membership.revokedAt !== undefined) this.sync.revoked = true;
		await this.#open('round');
		await this.#open('member');
		if (!this.#destroyed) this.phase = this.sync.revoked ? 'revoked' : 'ready';
	}

	destroy(): void {
		this.#destroyed = true;
		for (const kind of ['round', 'member'] as const) this.#close(kind);
	}

	roomName(kind: Kind): string {
		return kind === 'round' ? this.roundId : `${this.roundId}/members/${this.memberId}`;
	}

	async #open(kind: Kind, waiting: CommandId[] = []): Promise<void> {
		const name = this.roomName(kind);
		const { doc, release } = await this.#effects.openRoom(name);
		if (this.#destroyed) {
			release();
			return;
		}
		if (kind === 'round') this.round.attach(doc);
		else {
			this.wallet.attach(doc);
			this.inbox.attach(doc);
			this.commands.attach(doc, waiting);
		}
		if (this.sync.revoked) {
			this.#rooms[kind] = { doc, release, link: null, stop: () => {} };
			return;
		}
		const connect = this.#effects.connect((this.membership as Membership).token);
		const link = connect(name, doc, {
			status: (status) => {
				this.sync.setStatus(name, status);
				if (kind === 'member' && status !== 'connected') this.commands.setLinked(false);
				if (kind === 'round' && status === 'connected') this.#rejoin();
			},
			synced: (synced) => {
				this.sync.setSynced(name, synced);
				if (kind === 'member') this.commands.setLinked(synced);
				const then = this.#onSynced[name];
				if (synced && then) {
					delete this.#onSynced[name];
					then(doc);
				}
			},
			closed: (code) => void this.#closed(kind, code)
		});
		const stop = kind === 'round' ? this.round.watchAwareness(link.awareness, this.memberId) : () => {};
		this.#rooms[kind] = { doc, release, link, stop };
	}

	/**
	 * Presence on a (re)opened link. When a link closes, the server forgets our state and we forget
	 * the others', but both sides keep the clocks, and a state arriving with a clock already seen is
	 * ignored. So: forget the others' clocks, so that the server's list of who is here counts again,
	 * and set our state anew, so that it reaches the server with a newer clock than the stock
	 * client's re-sent one.
	 */
	#rejoin(): void {
		const awareness = this.#rooms.round?.link?.awareness;
		if (!awareness) return;
		for (const id of [...awareness.meta.keys()]) {
			if (id !== awareness.clientID && !awareness.states.has(id)) awareness.meta.delete(id);
		}
		awareness.setLocalStateField('memberId', this.memberId);
	}

	#close(kind: Kind): void {
		const room = this.#rooms[kind];
		if (!room) return;
		delete this.#rooms[kind];
		room.stop();
		room.link?.destroy();
		if (kind === 'round') this.round.detach();
		else {
			this.wallet.detach();
			this.inbox.detach();
			this.commands.setLinked(false);
			this.commands.detach();
		}
		room.release();
		this.sync.forget(this.roomName(kind));
	}

	async #closed(kind: Kind, code: number): Promise<void> {
		if (this.#destroyed) return;
		if (code === 4401) {
			await this.#revoke();
		} else if (code === 4404) {
			this.notices.push({ kind: 'unknownRoom' });
		} else if (RETRY_LATER.has(code)) {
			if (code !== 4429 && !this.notices.list.some((n) => n.kind === 'slowDown')) this.notices.push({ kind: 'slowDown', code: code as SlowDownCode });
			this.#effects.later(RATE_LIMIT_RETRY_MS, () => {
				if (this.#destroyed) return;
				this.#close(kind);
				void this.#open(kind);
			});
		} else {
			await this.#resync(kind, (REFUSAL_CODES as readonly number[]).includes(code) ? (code as RefusalCode) : 4403);
		}
	}

	/**
	 * The server no longer knows this token. Both rooms close with 4401 at once: kept once on the
	 * device, and the links are cut so that coming back online never tries them again.
	 */
	async #revoke(): Promise<void> {
		if (this.sync.revoked || !this.membership) return;
		this.sync.revoked = true;
		const revokedAt = Date.now();
		this.membership = { ...this.membership, revokedAt };
		this.phase = 'revoked';
		for (const room of Object.values(this.#rooms)) {
			room.stop();
			room.link?.destroy();
			room.link = null;
		}
		await this.#effects.markRevoked(this.roundId, revokedAt);
	}

	/**
	 * The server refused a change in this room (4403, or 4413/1009 for one too big): forget the device's
	 * copy, take the server's, and tell which waiting commands did not survive.
	 */
	async #resync(kind: Kind, code: RefusalCode): Promise<void> {
		const name = this.roomName(kind);
		const waiting = kind === 'member' ? [...this.wallet.pending] : [];
		this.#close(kind);
		await this.#effects.dropRoom(name);
		this.#onSynced[name] = (doc) => {
			const kept = memberRoots(doc).commands.toArray().map((c) => c.id);
			const lost = waiting.filter((c) => !kept.includes(c.id));
			this.notices.push({ kind: 'dropped', room: kind, commands: lost, code });
		};
		await this.#open(
			kind,
			waiting.map((c) => c.id)
		);
	}
}
