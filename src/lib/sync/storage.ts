import { Dexie, type EntityTable } from 'dexie';
import yDexie, { DexieYProvider } from 'y-dexie';
import type * as Y from 'yjs';
import type { MemberId, Role, RoundId } from '$lib/domain/types';

/** A round this device joined: the credentials to open it again, even offline. */
export interface Membership {
	roundId: RoundId;
	memberId: MemberId;
	token: string;
	role: Role;
	name: string;
	roundName: string;
	joinedAt: number;
	/** When the server refused this membership's token (close 4401); absent while it is valid. */
	revokedAt?: number;
	/** The round's group and its name (absent in memberships saved before groups: the group is then the round's own, same id). */
	groupId?: string;
	groupName?: string;
}

/** The group of a membership (a round saved before groups is a group of its own, with the round's id). */
export const groupOf = (membership: Membership): string => membership.groupId ?? membership.roundId;

/** One synced room (`<roundId>` or `<roundId>/members/<memberId>`) kept on the device. */
interface Room {
	name: string;
	doc: Y.Doc;
}

/** Values the device keeps about itself (its id). */
interface DeviceValue {
	key: string;
	value: string;
}

type Db = Dexie & {
	memberships: EntityTable<Membership, 'roundId'>;
	device: EntityTable<DeviceValue, 'key'>;
	rooms: EntityTable<Room, 'name'>;
};

/** What the app keeps on the device: memberships and the rooms' documents (IndexedDB via Dexie). */
export class LocalStore {
	readonly #db: Db;

	constructor(name = 'tirelire') {
		this.#db = new Dexie(name, { addons: [yDexie] }) as Db;
		this.#db.version(1).stores({ memberships: 'roundId, joinedAt', rooms: 'name, doc: Y.Doc' });
		this.#db.version(2).stores({ memberships: 'roundId, joinedAt', rooms: 'name, doc: Y.Doc', device: 'key' });
	}

	/**
	 * This browser's random id (256 bits, made on first use and kept with the memberships): sent when
	 * joining, so that joining a round again gives back the same membership (PROTOCOL §1).
	 */
	async deviceId(): Promise<string> {
		return this.#db.transaction('rw', this.#db.device, async () => {
			const kept = await this.#db.device.get('id');
			if (kept) return kept.value;
			const bytes = crypto.getRandomValues(new Uint8Array(32));
			const value = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
			await this.#db.device.put({ key: 'id', value });
			return value;
		});
	}

	memberships(): Promise<Membership[]> {
		return this.#db.memberships.orderBy('joinedAt').reverse().toArray();
	}

	membership(roundId: string): Promise<Membership | undefined> {
		return this.#db.memberships.get(roundId as RoundId);
	}

	/** The device's memberships in the rounds of one group, newest first. */
	async groupMemberships(groupId: string): Promise<Membership[]> {
		return (await this.memberships()).filter((m) => groupOf(m) === groupId);
	}

	async saveMembership(membership: Membership): Promise<void> {
		await this.#db.memberships.put(membership);
	}

	async markRevoked(roundId: string, at: number): Promise<void> {
		await this.#db.memberships.update(roundId as RoundId, { revokedAt: at });
	}

	async forgetMembership(roundId: string): Promise<void> {
		await this.#db.memberships.delete(roundId as RoundId);
	}

	/**
	 * Opens a room's document as persisted on the device; every change is saved as it happens.
	 * Call `release` when the page no longer shows the room.
	 */
	async openRoom(name: string): Promise<{ doc: Y.Doc; release: () => void }> {
		if (!(await this.#db.rooms.get(name))) await this.#db.rooms.put({ name } as Room);
		const row = await this.#db.rooms.get(name);
		if (!row) throw new Error(`room ${name} could not be stored`);
		const doc = row.doc;
		const provider = DexieYProvider.load(doc);
		await provider.whenLoaded;
		return { doc, release: () => DexieYProvider.release(doc) };
	}

	/** Forgets the device's copy of a room (after the server refused a change in it). */
	async dropRoom(name: string): Promise<void> {
		const updates = this.#db.table(`$rooms.doc_updates`);
		await this.#db.transaction('rw', this.#db.rooms, updates, async () => {
			await updates.where('k').equals(name).delete();
			await this.#db.rooms.delete(name);
		});
	}
}
