import type { LinkStatus } from '$lib/sync/connection';

/** `revoked`: the server refused this membership (4401); nothing will be sent again. */
export type Overall = 'online' | 'offline' | 'syncing' | 'revoked';

/** The connection state of every room of the round, summed up for the always-visible indicator. */
export class SyncStatus {
	#rooms: Record<string, { status: LinkStatus; synced: boolean }> = $state({});
	/** The server said our token is no longer valid (close code 4401). */
	revoked = $state(false);
	readonly #pending: () => number;

	/** `pending` counts the commands written but not yet answered (the session reads the wallet). */
	constructor(pending: () => number = () => 0) {
		this.#pending = pending;
	}

	/** Revoked, nothing is waiting any more: what was not sent never will be (the page says so). */
	get pending(): number {
		return this.revoked ? 0 : this.#pending();
	}

	overall: Overall = $derived.by(() => {
		const rooms = Object.values(this.#rooms);
		if (this.revoked) return 'revoked';
		if (rooms.length === 0) return 'offline';
		if (rooms.some((r) => r.status === 'disconnected')) return 'offline';
		if (rooms.some((r) => r.status === 'connecting' || !r.synced)) return 'syncing';
		return this.pending > 0 ? 'syncing' : 'online';
	});

	/** A retry after a lost connection stays "offline" until it succeeds, so the indicator does not flicker. */
	setStatus(room: string, status: LinkStatus): void {
		if (status === 'connecting' && this.#rooms[room]?.status === 'disconnected') return;
		const synced = status === 'connected' ? (this.#rooms[room]?.synced ?? false) : false;
		this.#rooms[room] = { status, synced };
	}

	setSynced(room: string, synced: boolean): void {
		const current = this.#rooms[room];
		this.#rooms[room] = { status: current?.status ?? 'connected', synced };
	}

	forget(room: string): void {
		delete this.#rooms[room];
	}
}
