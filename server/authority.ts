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

export function writeAuthority(store: Store, sequencer: Sequencer): WriteAuthority {
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
	const bind = (room: Room, clientId: number, member: MemberRow): void => {
		store.accounts.bindClient(room.info.roundId, clientId, member.id);
		sequencer.runtime(room.info.roundId).clients.set(clientId, member.id);
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
				for (const clientId of verdict.clients) bind(room, clientId, writer);
				for (const bucketId of verdict.newBuckets) store.accounts.recordBucketCreator(room.info.roundId, bucketId, writer.id);
			});
			const runtime = sequencer.runtime(room.info.roundId);
			for (const bucketId of verdict.newBuckets) runtime.creators.set(bucketId, writer.id);
		},
		applied(room, writer, verdict) {
			if (verdict.touchedBuckets.size > 0) sequencer.bucketsChanged(room.info.roundId, verdict.touchedBuckets, writer.id);
		},
		claimClient(room, writer, clientId) {
			const owner = clientOwner(room, clientId);
			if (owner === undefined) bind(room, clientId, writer);
			return owner === undefined || owner === writer.id;
		}
	};
}
