// Connects the sync layer to the rest: who a token is, which buckets a member owns, which Yjs
// clientIDs belong to whom, and what the sequencer must hear about after an accepted update.
import type { BucketId } from '../src/lib/domain/types.js';
import type { Sequencer } from './sequencer/index.js';
import { hashToken } from './secrets.js';
import type { MemberRow, Store } from './store/index.js';
import type { Directory, Room, WriteAuthority } from './sync/index.js';
import type { GuardContext } from './sync/guard.js';

export function directory(store: Store): Directory {
	return {
		roundExists: (roundId) => store.accounts.round(roundId) !== undefined,
		authenticate: (roundId, token) => (token ? store.accounts.memberByToken(roundId, hashToken(token)) : undefined),
		memberExists: (roundId, memberId) => store.accounts.member(roundId, memberId) !== undefined
	};
}

/** `anonymousBatchDelayMs`: the longest random delay of an offline batch in an anonymous round. */
export function writeAuthority(store: Store, sequencer: Sequencer, anonymousBatchDelayMs = 0): WriteAuthority {
	const clientOwner = (room: Room, clientId: number): string | undefined => {
		if (clientId === room.doc.clientID) return 'server';
		const runtime = sequencer.runtime(room.info.roundId);
		let owner = runtime.clients.get(clientId);
		if (owner === undefined) {
			owner = store.accounts.clientOwner(room.info.roundId, clientId);
			if (owner !== undefined) runtime.clients.set(clientId, owner);
		}
		return owner;
	};
	/** Binds clientIDs; callers run it inside one transaction. */
	const bind = (room: Room, clientIds: Iterable<number>, member: MemberRow): void => {
		const runtime = sequencer.runtime(room.info.roundId);
		for (const clientId of clientIds) {
			store.accounts.bindClient(room.info.roundId, clientId, member.id);
			runtime.clients.set(clientId, member.id);
		}
	};

	return {
		guardContext(room: Room, writer: MemberRow): GuardContext {
			const runtime = sequencer.runtime(room.info.roundId);
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
			store.transaction(() => {
				bind(room, verdict.clients, writer);
				for (const bucketId of verdict.newBuckets) store.accounts.recordBucketCreator(room.info.roundId, bucketId, writer.id);
			});
			const runtime = sequencer.runtime(room.info.roundId);
			for (const bucketId of verdict.newBuckets) runtime.creators.set(bucketId, writer.id);
		},
		applied(room, writer, verdict) {
			if (verdict.touchedBuckets.size > 0) sequencer.bucketsChanged(room.info.roundId, verdict.touchedBuckets, writer.id);
			sequencer.commentsAdded(room.info.roundId, writer.id, verdict.comments);
		},
		clientOwner,
		bindClients(room, writer, clientIds) {
			store.transaction(() => bind(room, clientIds, writer));
		},
		batchDelayMs(room) {
			if (room.info.kind !== 'member' || anonymousBatchDelayMs <= 0) return 0;
			if (sequencer.runtime(room.info.roundId).state.settings.transparency !== 'anonymous') return 0;
			return Math.random() * anonymousBatchDelayMs;
		}
	};
}
