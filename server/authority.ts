// Connects the sync layer to the rest: who a token is, which buckets a member owns, which Yjs
// clientIDs belong to whom, and what the sequencer must hear about after an accepted update.
import type { BucketId } from '../src/lib/domain/types.js';
import type { Cluster } from './cluster/index.js';
import type { Sequencer } from './sequencer/index.js';
import { hashToken } from './secrets.js';
import type { MemberRow, Store } from './store/index.js';
import type { Directory, Room, Rooms, WriteAuthority } from './sync/index.js';
import type { GuardContext } from './sync/guard.js';

export function directory(store: Store): Directory {
	return {
		roundExists: async (roundId) => (await store.accounts.round(roundId)) !== undefined,
		authenticate: async (roundId, token) => (token ? store.accounts.memberByToken(roundId, hashToken(token)) : undefined),
		memberExists: async (roundId, memberId) => (await store.accounts.member(roundId, memberId)) !== undefined
	};
}

/**
 * `anonymousBatchDelayMs`: the longest random delay of an offline batch in an anonymous round.
 * The round's runtime is loaded with its room (before any connection uses it), with every
 * clientID binding and bucket creator: the guard reads them synchronously. New bindings are
 * written with the update that made them, in the rooms' turn, and other processes hear of them
 * after its commit.
 */
export function writeAuthority(
	store: Store,
	sequencer: Sequencer,
	rooms: Rooms,
	anonymousBatchDelayMs = 0,
	cluster?: Cluster
): WriteAuthority {
	const clientOwner = (room: Room, clientId: number): string | undefined => {
		if (clientId === room.doc.clientID) return 'server';
		return sequencer.loadedRuntime(room.info.roundId).clients.get(clientId);
	};
	/** Binds clientIDs and creators in memory now, in the store with the next turn. */
	const bind = (room: Room, clientIds: Iterable<number>, creators: Iterable<string>, member: MemberRow): void => {
		const { roundId } = room.info;
		const runtime = sequencer.loadedRuntime(roundId);
		const clients: [number, string][] = [];
		for (const clientId of clientIds) {
			if (runtime.clients.has(clientId)) continue;
			runtime.clients.set(clientId, member.id);
			clients.push([clientId, member.id]);
		}
		const buckets: [string, string][] = [];
		for (const bucketId of creators) {
			if (runtime.creators.has(bucketId)) continue;
			runtime.creators.set(bucketId, member.id);
			buckets.push([bucketId, member.id]);
		}
		if (clients.length === 0 && buckets.length === 0) return;
		rooms.alsoWrite(
			async () => {
				// With several processes, another one may have bound the same clientID (or bucket) to
				// another member and not told this one yet (a slow or lost Redis relay): the store
				// decides. The update that claimed it is then not kept: the turn fails, its rooms are
				// dropped and reload from the store, and this process's guard now knows the owner, so
				// the claim is refused when the client sends it again.
				const taken: string[] = [];
				for (const [clientId, memberId] of clients) {
					const owner = await store.accounts.bindClient(roundId, clientId, memberId);
					if (owner !== memberId) {
						runtime.clients.set(clientId, owner);
						taken.push(`clientID ${clientId}`);
					}
				}
				for (const [bucketId, memberId] of buckets) {
					const creator = await store.accounts.recordBucketCreator(roundId, bucketId, memberId);
					if (creator !== memberId) {
						runtime.creators.set(bucketId, creator);
						taken.push(`bucket ${bucketId}`);
					}
				}
				if (taken.length > 0) throw new BindingTaken(roundId, taken);
			},
			() => cluster?.publishBindings(roundId, clients, buckets),
			() => {
				// Not written: forgotten, so that the next update binding them writes them.
				for (const [clientId, memberId] of clients) if (runtime.clients.get(clientId) === memberId) runtime.clients.delete(clientId);
				for (const [bucketId, memberId] of buckets) if (runtime.creators.get(bucketId) === memberId) runtime.creators.delete(bucketId);
			}
		);
	};

	return {
		async prepare(room: Room): Promise<void> {
			await sequencer.runtime(room.info.roundId);
		},
		guardContext(room: Room, writer: MemberRow): GuardContext {
			const runtime = sequencer.loadedRuntime(room.info.roundId);
			return {
				writer: writer.id,
				doc: room.info.kind === 'round' ? { kind: 'round' } : { kind: 'member', owner: room.info.memberId },
				bucketOwners(bucketId) {
					const owners = runtime.state.buckets.get(bucketId as BucketId)?.owners ?? [];
					const creator = runtime.creators.get(bucketId);
					if (owners.length === 0 && creator === undefined) return undefined;
					return creator === undefined ? owners : [...owners, creator];
				},
				clientOwner: (clientId) => clientOwner(room, clientId)
			};
		},
		accept(room, writer, verdict) {
			if (verdict.clients.size === 0 && verdict.newBuckets.size === 0) return;
			bind(room, verdict.clients, verdict.newBuckets, writer);
		},
		applied(room, writer, verdict) {
			if (verdict.touchedBuckets.size > 0) sequencer.bucketsChanged(room.info.roundId, verdict.touchedBuckets, writer.id);
			sequencer.commentsAdded(room.info.roundId, writer.id, verdict.comments);
		},
		clientOwner,
		bindClients(room, writer, clientIds) {
			bind(room, clientIds, [], writer);
		},
		batchDelayMs(room) {
			if (room.info.kind !== 'member' || anonymousBatchDelayMs <= 0) return 0;
			if (sequencer.loadedRuntime(room.info.roundId).state.settings.transparency !== 'anonymous') return 0;
			return Math.random() * anonymousBatchDelayMs;
		}
	};
}

/** A turn claimed clientIDs or buckets that the store already gives to other members. */
export class BindingTaken extends Error {
	override readonly name = 'BindingTaken';

	constructor(roundId: string, taken: string[]) {
		super(`round ${roundId}: already bound to another member: ${taken.join(', ')}`);
	}
}
