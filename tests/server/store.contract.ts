// The store contract (DESIGN §14): every implementation of the ports of server/store/ports.ts
// (SQLite, PostgreSQL) runs this suite, so that the server behaves the same over either. A test
// opens its own store; ids are unique per test, so that implementations whose storage outlives
// one store (one PostgreSQL database per run) need not start empty each time.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Amount, CommandId, LedgerEntry, Schedule } from '../../src/lib/domain/types.js';
import { sha256 } from '../../server/store/blobs.js';
import type { Store } from '../../server/store/ports.js';

export interface OpenedStore {
	store: Store;
	/** Another store over the same storage, as a second process (or a restart) would open it. */
	peer(): Promise<Store>;
	/** Closes every store opened for the test and removes what it stored, when it can. */
	cleanup(): Promise<void>;
}

export interface ContractOptions {
	/** The store is shared by several processes: leases and the inbox are part of it. */
	cluster?: boolean;
}

let counter = 0;
/** An id no other test of this run uses. */
const uid = (prefix: string) => `${prefix}-${++counter}-${randomBytes(3).toString('hex')}`;

const entry = (seq: number, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
	seq,
	at: 1000 + seq,
	type: 'allocate',
	amount: (seq * 100) as Amount,
	...extra
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function deferred(): { promise: Promise<void>; resolve(): void } {
	let resolve!: () => void;
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}

/** What `promise` has answered after `ms`, or 'pending'. */
async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | 'pending'> {
	return Promise.race([promise.then((value) => ({ value })), sleep(ms).then(() => 'pending' as const)]);
}

function docFrom(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc;
}

export function storeContract(name: string, open: () => Promise<OpenedStore>, options: ContractOptions = {}): void {
	const withStore = async (test: (store: Store, opened: OpenedStore) => Promise<void>) => {
		const opened = await open();
		try {
			await test(opened.store, opened);
		} finally {
			await opened.cleanup();
		}
	};

	/** A group with a round and a facilitator, for the tests that need somewhere to write. */
	async function seed(store: Store) {
		const groupId = uid('g');
		const roundId = uid('r');
		await store.accounts.createGroup(groupId, 'Coop', 10);
		await store.accounts.createRound(roundId, 'Spring', 20, groupId);
		await store.accounts.addGroupMember(groupId, { id: 'm1', name: 'Ada', role: 'facilitator' }, 30);
		await store.accounts.addMember({ roundId, id: 'm1', name: 'Ada', role: 'facilitator' }, 30);
		return { groupId, roundId };
	}

	describe(`store contract: ${name}`, () => {
		it(`is the ${name} store`, () =>
			withStore(async (store) => {
				expect(['sqlite', 'postgres']).toContain(store.kind);
				expect(store.cluster !== undefined).toBe(options.cluster === true);
				expect((await store.check()).rounds).toBeGreaterThanOrEqual(0);
			}));

		describe('accounts', () => {
			it('groups and rounds: created, read back, renamed, listed newest first', () =>
				withStore(async (store) => {
					const groupId = uid('g');
					const before = (await store.check()).rounds;
					await store.accounts.createGroup(groupId, 'Coop', 5);
					expect(await store.accounts.group(groupId)).toEqual({ id: groupId, name: 'Coop' });
					expect(await store.accounts.group(uid('none'))).toBeUndefined();
					const [a, b, c] = [uid('r'), uid('r'), uid('r')];
					await store.accounts.createRound(a, 'A', 100, groupId);
					await store.accounts.createRound(b, 'B', 300, groupId);
					// Same millisecond as B: the one created later comes first.
					await store.accounts.createRound(c, 'C', 300, groupId);
					await store.accounts.renameRound(a, 'A2');
					expect(await store.accounts.round(a)).toEqual({ id: a, name: 'A2', groupId, createdAt: 100 });
					expect(await store.accounts.round(uid('none'))).toBeUndefined();
					expect((await store.accounts.groupRounds(groupId)).map((round) => round.id)).toEqual([c, b, a]);
					expect(await store.accounts.groupRounds(uid('none'))).toEqual([]);
					expect((await store.check()).rounds).toBe(before + 3);
				}));

			it('a round id, a group id and a member id are each taken once', () =>
				withStore(async (store) => {
					const { groupId, roundId } = await seed(store);
					await expect(store.accounts.createGroup(groupId, 'Again', 1)).rejects.toThrow();
					await expect(store.accounts.createRound(roundId, 'Again', 1, groupId)).rejects.toThrow();
					await expect(store.accounts.addGroupMember(groupId, { id: 'm1', name: 'Twin', role: 'member' }, 1)).rejects.toThrow();
					await expect(store.accounts.addMember({ roundId, id: 'm1', name: 'Twin', role: 'member' }, 1)).rejects.toThrow();
					await expect(store.accounts.addGroupMember(uid('none'), { id: 'm9', name: 'Nobody', role: 'member' }, 1)).rejects.toThrow();
				}));

			it('members of a group and of a round, in joining order; revocation reaches every round of the group', () =>
				withStore(async (store) => {
					const { groupId, roundId } = await seed(store);
					const other = uid('r');
					await store.accounts.createRound(other, 'Autumn', 40, groupId);
					await store.accounts.addGroupMember(groupId, { id: 'm3', name: 'Cy', role: 'member' }, 50);
					await store.accounts.addGroupMember(groupId, { id: 'm2', name: 'Bo', role: 'facilitator' }, 50);
					await store.accounts.addMember({ roundId, id: 'm2', name: 'Bo', role: 'facilitator' }, 50);
					await store.accounts.addMember({ roundId: other, id: 'm2', name: 'Bo', role: 'facilitator' }, 60);
					expect((await store.accounts.groupMembers(groupId)).map((member) => member.id)).toEqual(['m1', 'm2', 'm3']);
					expect(await store.accounts.groupMember(groupId, 'm3')).toEqual({ groupId, id: 'm3', name: 'Cy', role: 'member', active: true });
					expect(await store.accounts.member(roundId, 'm2')).toEqual({ roundId, id: 'm2', name: 'Bo', role: 'facilitator', active: true });
					expect(await store.accounts.member(roundId, 'm3')).toBeUndefined();
					expect(await store.accounts.activeGroupFacilitatorCount(groupId)).toBe(2);
					await store.accounts.addToken(groupId, 'm2', 'tok-m2', null, 70);
					await store.accounts.revokeGroupMember(groupId, 'm2');
					expect((await store.accounts.groupMember(groupId, 'm2'))?.active).toBe(false);
					expect((await store.accounts.member(roundId, 'm2'))?.active).toBe(false);
					expect((await store.accounts.member(other, 'm2'))?.active).toBe(false);
					expect((await store.accounts.members(roundId)).map((member) => [member.id, member.active])).toEqual([
						['m1', true],
						['m2', false]
					]);
					expect(await store.accounts.activeGroupFacilitatorCount(groupId)).toBe(1);
					expect(await store.accounts.groupMemberByToken(groupId, 'tok-m2')).toBeUndefined();
				}));

			it('tokens: a token opens its group and the rounds the member belongs to; one token per device; revoked with the access', () =>
				withStore(async (store) => {
					const { groupId, roundId } = await seed(store);
					const elsewhere = await seed(store);
					await store.accounts.addToken(groupId, 'm1', 'tok-a', 'device-1', 100);
					await store.accounts.addToken(groupId, 'm1', 'tok-b', null, 101);
					expect((await store.accounts.groupMemberByToken(groupId, 'tok-a'))?.id).toBe('m1');
					expect((await store.accounts.memberByToken(roundId, 'tok-a'))?.id).toBe('m1');
					expect(await store.accounts.memberByToken(elsewhere.roundId, 'tok-a')).toBeUndefined();
					expect(await store.accounts.groupMemberByToken(elsewhere.groupId, 'tok-a')).toBeUndefined();
					// The same device joins again: its old token stops working, the other device's does not.
					await store.accounts.addToken(groupId, 'm1', 'tok-c', 'device-1', 102);
					expect(await store.accounts.memberByToken(roundId, 'tok-a')).toBeUndefined();
					expect((await store.accounts.memberByToken(roundId, 'tok-c'))?.id).toBe('m1');
					expect((await store.accounts.memberByToken(roundId, 'tok-b'))?.id).toBe('m1');
					await expect(store.accounts.addToken(groupId, 'm1', 'tok-c', 'device-2', 103)).rejects.toThrow();
					await store.accounts.revokeAccess(groupId, 'm1');
					expect(await store.accounts.memberByToken(roundId, 'tok-b')).toBeUndefined();
					expect(await store.accounts.memberByToken(roundId, 'tok-c')).toBeUndefined();
				}));

			it('device links: single use, one pending per member, expired ones refused and swept', () =>
				withStore(async (store) => {
					const { groupId } = await seed(store);
					await store.accounts.addGroupMember(groupId, { id: 'm2', name: 'Bo', role: 'member' }, 40);
					await store.accounts.addDeviceLink(groupId, 'm1', 'link-1', 2000, 1000);
					expect(await store.accounts.takeDeviceLink(uid('none'), 'link-1', 1500)).toBeUndefined();
					expect(await store.accounts.takeDeviceLink(groupId, 'link-1', 1500)).toBe('m1');
					expect(await store.accounts.takeDeviceLink(groupId, 'link-1', 1500)).toBeUndefined();
					// A new link replaces the member's pending one.
					await store.accounts.addDeviceLink(groupId, 'm1', 'link-2', 2000, 1000);
					await store.accounts.addDeviceLink(groupId, 'm1', 'link-3', 2000, 1000);
					expect(await store.accounts.takeDeviceLink(groupId, 'link-2', 1500)).toBeUndefined();
					expect(await store.accounts.takeDeviceLink(groupId, 'link-3', 2000)).toBe('expired');
					expect(await store.accounts.takeDeviceLink(groupId, 'link-3', 1000)).toBeUndefined();
					// Expired links of anyone go when a link is made.
					await store.accounts.addDeviceLink(groupId, 'm1', 'link-4', 3000, 1000);
					await store.accounts.addDeviceLink(groupId, 'm2', 'link-5', 9000, 3000);
					expect(await store.accounts.takeDeviceLink(groupId, 'link-4', 0)).toBeUndefined();
					// Revoking access drops the pending link.
					await store.accounts.revokeAccess(groupId, 'm2');
					expect(await store.accounts.takeDeviceLink(groupId, 'link-5', 3000)).toBeUndefined();
				}));

			it('a device link is taken once even by two requests at the same time', () =>
				withStore(async (store, opened) => {
					const { groupId } = await seed(store);
					const peer = await opened.peer();
					for (let i = 0; i < 5; i++) {
						await store.accounts.addDeviceLink(groupId, 'm1', `race-${i}`, 9000, 1000);
						const answers = await Promise.all([
							store.accounts.takeDeviceLink(groupId, `race-${i}`, 1500),
							peer.accounts.takeDeviceLink(groupId, `race-${i}`, 1500)
						]);
						expect(answers.sort()).toEqual(['m1', undefined]);
					}
				}));

			it('devices are bound to the first member who joined from them', () =>
				withStore(async (store) => {
					const { groupId } = await seed(store);
					expect(await store.accounts.deviceMember(groupId, 'dev')).toBeUndefined();
					await store.accounts.bindDevice(groupId, 'dev', 'm1');
					await store.accounts.bindDevice(groupId, 'dev', 'm2');
					expect(await store.accounts.deviceMember(groupId, 'dev')).toBe('m1');
					expect(await store.accounts.deviceMember(uid('none'), 'dev')).toBeUndefined();
				}));

			it('invites: uses counted, disabled and enabled, deleted, listed in creation order', () =>
				withStore(async (store) => {
					const { groupId } = await seed(store);
					const [a, b, c] = [uid('inv'), uid('inv'), uid('inv')];
					await store.accounts.addInvite({ code: a, groupId, role: 'member', uses: 2, expiresAt: 5000 }, 100);
					await store.accounts.addInvite({ code: b, groupId, role: 'facilitator', uses: null, expiresAt: null }, 100);
					await store.accounts.addInvite({ code: c, groupId, role: 'member', uses: null, expiresAt: null }, 50);
					expect(await store.accounts.invite(groupId, a)).toEqual({
						code: a,
						groupId,
						role: 'member',
						uses: 2,
						used: 0,
						expiresAt: 5000,
						disabled: false
					});
					expect(await store.accounts.invite(uid('none'), a)).toBeUndefined();
					await store.accounts.useInvite(a);
					await store.accounts.useInvite(a);
					expect((await store.accounts.invite(groupId, a))?.used).toBe(2);
					expect(await store.accounts.setInviteDisabled(groupId, b, true)).toBe(true);
					expect((await store.accounts.invite(groupId, b))?.disabled).toBe(true);
					expect(await store.accounts.setInviteDisabled(groupId, b, false)).toBe(true);
					expect((await store.accounts.invite(groupId, b))?.disabled).toBe(false);
					expect(await store.accounts.setInviteDisabled(groupId, uid('none'), true)).toBe(false);
					expect((await store.accounts.invites(groupId)).map((invite) => invite.code)).toEqual([c, a, b]);
					expect(await store.accounts.deleteInvite(groupId, a)).toBe(true);
					expect(await store.accounts.deleteInvite(groupId, a)).toBe(false);
					expect((await store.accounts.invites(groupId)).map((invite) => invite.code)).toEqual([c, b]);
					await expect(store.accounts.addInvite({ code: b, groupId, role: 'member', uses: null, expiresAt: null }, 1)).rejects.toThrow();
				}));

			it('bucket creators and clientID bindings: the first one stays, and a later claim is told whose it is; clientIDs up to 2^32 - 1', () =>
				withStore(async (store) => {
					const { roundId } = await seed(store);
					expect(await store.accounts.recordBucketCreator(roundId, 'b1', 'm1')).toBe('m1');
					expect(await store.accounts.recordBucketCreator(roundId, 'b1', 'm2')).toBe('m1');
					expect(await store.accounts.recordBucketCreator(roundId, 'b2', 'm2')).toBe('m2');
					expect(await store.accounts.bucketCreator(roundId, 'b1')).toBe('m1');
					expect(await store.accounts.bucketCreator(roundId, 'b3')).toBeUndefined();
					expect(await store.accounts.bucketCreators(roundId)).toEqual(
						new Map([
							['b1', 'm1'],
							['b2', 'm2']
						])
					);
					const big = 2 ** 32 - 1;
					expect(await store.accounts.bindClient(roundId, big, 'm1')).toBe('m1');
					expect(await store.accounts.bindClient(roundId, big, 'm2')).toBe('m1');
					expect(await store.accounts.bindClient(roundId, 7, 'm2')).toBe('m2');
					expect(await store.accounts.clientOwner(roundId, big)).toBe('m1');
					expect(await store.accounts.clientOwner(roundId, 8)).toBeUndefined();
					const owners = await store.accounts.clientOwners(roundId);
					expect(owners).toEqual(
						new Map([
							[big, 'm1'],
							[7, 'm2']
						])
					);
					expect([...owners.keys()].every((key) => typeof key === 'number')).toBe(true);
					expect(await store.accounts.clientOwners(uid('none'))).toEqual(new Map());
				}));
		});

		describe('ledger', () => {
			it('entries come back in seq order, exactly as appended; entriesAfter catches up', () =>
				withStore(async (store) => {
					const roundId = uid('r');
					const odd = entry(2, { type: 'configure', amount: 0 as Amount, commandId: 'c-ü"\\' as CommandId });
					await store.ledger.append(roundId, entry(1, { type: 'open', amount: 0 as Amount }));
					await store.ledger.append(roundId, entry(3, { amount: -9_007_199_254_740_991 as Amount }));
					await store.ledger.append(roundId, odd);
					await store.ledger.append(uid('r'), entry(1));
					const all = await store.ledger.entries(roundId);
					expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
					expect(all[1]).toEqual(odd);
					expect(all[2]!.amount).toBe(-9_007_199_254_740_991);
					expect((await store.ledger.entriesAfter(roundId, 1)).map((e) => e.seq)).toEqual([2, 3]);
					expect(await store.ledger.entriesAfter(roundId, 3)).toEqual([]);
					expect(await store.ledger.entries(uid('none'))).toEqual([]);
				}));

			it('a second entry at the same (round, seq) is refused', () =>
				withStore(async (store) => {
					const roundId = uid('r');
					await store.ledger.append(roundId, entry(1));
					await expect(store.ledger.append(roundId, entry(1, { amount: 5 as Amount }))).rejects.toThrow();
					expect(await store.ledger.entries(roundId)).toEqual([entry(1)]);
				}));

			it('commands are recorded once per (round, id) and read back', () =>
				withStore(async (store) => {
					const roundId = uid('r');
					const accepted = { id: 'c1', memberId: 'm1', type: 'fund', ok: true, accepted: 2500, reason: null, seq: 4 };
					const refused = { id: 'c2', memberId: null, type: 'fund', ok: false, accepted: null, reason: 'duplicate' as const, seq: null };
					await store.ledger.recordCommand(roundId, accepted, 100);
					await store.ledger.recordCommand(roundId, refused, 100);
					await store.ledger.recordCommand(uid('r'), accepted, 100);
					expect(await store.ledger.command(roundId, 'c1')).toEqual(accepted);
					expect(await store.ledger.command(roundId, 'c2')).toEqual(refused);
					expect(await store.ledger.command(roundId, 'c3')).toBeUndefined();
					await expect(store.ledger.recordCommand(roundId, { ...accepted, seq: 5 }, 101)).rejects.toThrow();
					expect(await store.ledger.command(roundId, 'c1')).toEqual(accepted);
				}));
		});

		describe('rooms', () => {
			it('§6 an unknown room loads as no updates', () =>
				withStore(async (store) => {
					expect(await store.rooms.loadRoom(uid('nothing'))).toEqual([]);
					expect(await store.rooms.countUpdates(uid('nothing'))).toBe(0);
				}));

			it('§6 appended updates load back in order, byte for byte, per room', () =>
				withStore(async (store) => {
					const room = uid('room');
					const every = new Uint8Array(256).map((_, i) => i);
					const updates = [new Uint8Array([1, 2, 3]), new Uint8Array([]), every, new Uint8Array([255, 0, 7])];
					for (const update of updates) await store.rooms.appendUpdate(room, update);
					await store.rooms.appendUpdate(`${room}/members/m1`, new Uint8Array([9]));
					expect(await store.rooms.loadRoom(room)).toEqual(updates);
					expect(await store.rooms.loadRoom(`${room}/members/m1`)).toEqual([new Uint8Array([9])]);
					expect(await store.rooms.countUpdates(room)).toBe(4);
				}));

			it('§6 a turn\'s updates of several rooms are stored at once, in the order given, byte for byte', () =>
				withStore(async (store) => {
					const a = uid('room');
					const b = `${a}/members/m1`;
					const many = Array.from({ length: 300 }, (_, i) => ({ room: i % 3 === 0 ? b : a, update: new Uint8Array([i % 256, 0, 255, i >> 8]) }));
					await store.rooms.appendUpdates([]);
					await store.rooms.appendUpdate(a, new Uint8Array([7]));
					await store.rooms.appendUpdates(many);
					const of = (room: string) => many.filter((item) => item.room === room).map((item) => item.update);
					expect(await store.rooms.loadRoom(a)).toEqual([new Uint8Array([7]), ...of(a)]);
					expect(await store.rooms.loadRoom(b)).toEqual(of(b));
				}));

			it('§6 a subarray is stored as its own bytes, and a stored update does not change with the caller buffer', () =>
				withStore(async (store) => {
					const room = uid('room');
					const buffer = new Uint8Array([10, 11, 12, 13, 14]);
					await store.rooms.appendUpdate(room, buffer.subarray(1, 3));
					buffer[1] = 42;
					expect(await store.rooms.loadRoom(room)).toEqual([new Uint8Array([11, 12])]);
				}));

			it('§6 compaction replaces every stored update with one snapshot that rebuilds the same document', () =>
				withStore(async (store) => {
					const room = uid('room');
					const doc = new Y.Doc();
					const writes: Promise<void>[] = [];
					doc.on('update', (update: Uint8Array) => writes.push(store.rooms.appendUpdate(room, update)));
					doc.getMap('round').set('name', 'Coop');
					doc.getArray('ledger').push([{ seq: 1 }, { seq: 2 }]);
					doc.getArray('ledger').delete(0, 1);
					await Promise.all(writes);
					await store.rooms.appendUpdate(`${room}-other`, new Uint8Array([1]));
					expect(await store.rooms.countUpdates(room)).toBe(3);
					const snapshot = Y.encodeStateAsUpdate(doc);
					await store.rooms.compact(room, snapshot);
					expect(await store.rooms.countUpdates(room)).toBe(1);
					const loaded = docFrom(await store.rooms.loadRoom(room));
					expect(loaded.getMap('round').toJSON()).toEqual({ name: 'Coop' });
					expect(loaded.getArray('ledger').toJSON()).toEqual([{ seq: 2 }]);
					await store.rooms.appendUpdate(room, new Uint8Array([0, 0]));
					expect(await store.rooms.countUpdates(room)).toBe(2);
					expect(await store.rooms.countUpdates(`${room}-other`)).toBe(1);
				}));

			it('§6 updates survive reopening the store', () =>
				withStore(async (store, opened) => {
					const room = uid('durable');
					await store.rooms.appendUpdate(room, new Uint8Array([5, 6]));
					const again = await opened.peer();
					expect(await again.rooms.loadRoom(room)).toEqual([new Uint8Array([5, 6])]);
				}));
		});

		describe('schedules', () => {
			const schedule = (opens: number | null, closes: number | null): Schedule => ({
				zone: 'Europe/Paris',
				proposalsClose: null,
				fundingOpens: opens,
				fundingCloses: closes
			});

			it('§12 pending transitions: soonest first, opening before closing at one instant, gone once their command is recorded, replaced by a new schedule', () =>
				withStore(async (store) => {
					const [a, b] = ['sched-a', 'sched-b'].map(uid) as [string, string];
					await store.schedules.replace(a, schedule(5000, 9000));
					await store.schedules.replace(b, schedule(5000, 5000));
					const mine = async () => (await store.schedules.pending()).filter((s) => s.roundId === a || s.roundId === b);
					expect((await mine()).map((s) => [s.roundId, s.transition, s.due])).toEqual([
						[a, 'fundingOpens', 5000],
						[b, 'fundingOpens', 5000],
						[b, 'fundingCloses', 5000],
						[a, 'fundingCloses', 9000]
					]);
					const [first] = await mine();
					expect(first!.commandId).toBe('sched_fundingOpens_5000');
					await store.ledger.recordCommand(
						a,
						{ id: first!.commandId, memberId: null, type: 'transition', ok: true, accepted: null, reason: null, seq: 2 },
						5000
					);
					expect((await mine()).map((s) => [s.roundId, s.transition])).toEqual([
						[b, 'fundingOpens'],
						[b, 'fundingCloses'],
						[a, 'fundingCloses']
					]);
					await store.schedules.replace(b, schedule(null, 7000));
					expect((await mine()).map((s) => [s.roundId, s.transition, s.due])).toEqual([
						[b, 'fundingCloses', 7000],
						[a, 'fundingCloses', 9000]
					]);
				}));
		});

		describe('blobs and files', () => {
			it('§9 the blob index: which round stored what, and how many bytes a member stored since when', () =>
				withStore(async (store) => {
					const [roundId, other] = [uid('r'), uid('r')];
					const hash = sha256(randomBytes(16));
					await store.blobs.add(roundId, hash, 'm1', 1000, 100);
					await store.blobs.add(roundId, hash, 'm1', 1000, 100);
					await store.blobs.add(roundId, 'b'.repeat(64), 'm1', 3_000_000_000, 200);
					await store.blobs.add(roundId, 'c'.repeat(64), 'm2', 5, 300);
					expect(await store.blobs.has(roundId, hash)).toBe(true);
					expect(await store.blobs.has(other, hash)).toBe(false);
					expect(await store.blobs.known(hash)).toBe(true);
					expect(await store.blobs.known(sha256(randomBytes(8)))).toBe(false);
					expect(await store.blobs.bytesSince(roundId, 'm1', 0)).toBe(3_000_001_000);
					expect(await store.blobs.bytesSince(roundId, 'm1', 150)).toBe(3_000_000_000);
					expect(await store.blobs.bytesSince(roundId, 'm1', 201)).toBe(0);
					expect(await store.blobs.bytesSince(other, 'm1', 0)).toBe(0);
				}));

			it('§9 files: stored under their SHA-256, the same bytes twice are one file, an unknown or malformed hash is nothing', () =>
				withStore(async (store, opened) => {
					const bytes = new Uint8Array(randomBytes(70_000));
					const hash = await store.files.put(bytes);
					expect(hash).toBe(sha256(bytes));
					expect(await store.files.put(bytes)).toBe(hash);
					const back = await store.files.get(hash);
					expect(back?.equals(bytes)).toBe(true);
					expect((await (await opened.peer()).files.get(hash))?.equals(bytes)).toBe(true);
					expect(await store.files.get(sha256(randomBytes(8)))).toBeUndefined();
					expect(await store.files.get('../../etc/passwd')).toBeUndefined();
					expect(await store.files.get(hash.toUpperCase())).toBeUndefined();
					expect(await store.files.get(await store.files.put(new Uint8Array()))).toEqual(Buffer.alloc(0));
				}));
		});

		describe('publications', () => {
			it('§13 one live link per round; a revoked link is still found, as revoked', () =>
				withStore(async (store) => {
					const roundId = uid('r');
					const [t1, t2] = [uid('pub'), uid('pub')];
					expect(await store.publications.live(roundId)).toBeUndefined();
					expect(await store.publications.publish(roundId, t1, 'm1', 100)).toEqual({
						token: t1,
						roundId,
						createdAt: 100,
						createdBy: 'm1',
						revokedAt: null,
						revokedBy: null
					});
					expect((await store.publications.live(roundId))?.token).toBe(t1);
					await expect(store.publications.publish(roundId, t2, 'm1', 110)).rejects.toThrow();
					expect(await store.publications.revoke(roundId, 'm2', 120)).toBe(true);
					expect(await store.publications.revoke(roundId, 'm2', 130)).toBe(false);
					expect(await store.publications.live(roundId)).toBeUndefined();
					expect(await store.publications.byToken(t1)).toMatchObject({ revokedAt: 120, revokedBy: 'm2' });
					await store.publications.publish(roundId, t2, 'm1', 140);
					expect((await store.publications.live(roundId))?.token).toBe(t2);
					expect(await store.publications.byToken(uid('none'))).toBeUndefined();
				}));
		});

		describe('transactions', () => {
			it('commits every write of the function together, and answers its result', () =>
				withStore(async (store, opened) => {
					const roundId = uid('r');
					const result = await store.transaction(async () => {
						await store.ledger.append(roundId, entry(1));
						await store.ledger.recordCommand(
							roundId,
							{ id: 'c1', memberId: 'm1', type: 'fund', ok: true, accepted: 100, reason: null, seq: 1 },
							1
						);
						return 'done';
					});
					expect(result).toBe('done');
					// Committed before the promise settled: another store over the same storage reads it at once.
					const peer = await opened.peer();
					expect(await peer.ledger.entries(roundId)).toEqual([entry(1)]);
					expect((await peer.ledger.command(roundId, 'c1'))?.seq).toBe(1);
				}));

			it('rolls every write back when the function throws, and rethrows', () =>
				withStore(async (store) => {
					const roundId = uid('r');
					const failure = new Error('refused');
					await expect(
						store.transaction(async () => {
							await store.ledger.append(roundId, entry(1));
							await store.rooms.appendUpdate(roundId, new Uint8Array([1]));
							throw failure;
						})
					).rejects.toBe(failure);
					expect(await store.ledger.entries(roundId)).toEqual([]);
					expect(await store.rooms.countUpdates(roundId)).toBe(0);
				}));

			it('a statement refused inside a transaction fails it whole', () =>
				withStore(async (store) => {
					const roundId = uid('r');
					await store.ledger.append(roundId, entry(1));
					await expect(
						store.transaction(async () => {
							await store.ledger.append(roundId, entry(2));
							await store.ledger.append(roundId, entry(1));
						})
					).rejects.toThrow();
					expect(await store.ledger.entries(roundId)).toEqual([entry(1)]);
				}));

			it('a nested transaction is a savepoint: its failure undoes its own writes only, and the outer one goes on', () =>
				withStore(async (store) => {
					const roundId = uid('r');
					await store.transaction(async () => {
						await store.ledger.append(roundId, entry(1));
						await expect(
							store.transaction(async () => {
								await store.ledger.append(roundId, entry(2));
								await store.ledger.append(roundId, entry(1));
							})
						).rejects.toThrow();
						await store.transaction(async () => {
							await store.ledger.append(roundId, entry(3));
						});
						await store.ledger.append(roundId, entry(4));
					});
					expect((await store.ledger.entries(roundId)).map((e) => e.seq)).toEqual([1, 3, 4]);
				}));

			it('a port method of several statements is atomic inside a transaction that rolls back', () =>
				withStore(async (store) => {
					const room = uid('room');
					const doc = new Y.Doc();
					const updates: Uint8Array[] = [];
					doc.on('update', (update: Uint8Array) => updates.push(update));
					doc.getMap('round').set('name', 'Coop');
					doc.getMap('round').set('name', 'Co-op');
					for (const update of updates) await store.rooms.appendUpdate(room, update);
					await expect(
						store.transaction(async () => {
							await store.rooms.compact(room, Y.encodeStateAsUpdate(doc));
							throw new Error('after compaction');
						})
					).rejects.toThrow('after compaction');
					expect(await store.rooms.loadRoom(room)).toEqual(updates);
				}));

			it('a call made outside an open transaction does not see its writes (it waits, or reads what was committed)', () =>
				withStore(async (store) => {
					const groupId = uid('g');
					const written = deferred();
					const finish = deferred();
					const transaction = store.transaction(async () => {
						await store.accounts.createGroup(groupId, 'Hidden', 1);
						written.resolve();
						await finish.promise;
					});
					await written.promise;
					// This promise was made outside the transaction (the test's own context), not by its function.
					const outside = store.accounts.group(groupId);
					const seen = await settledWithin(outside, 150);
					expect(seen === 'pending' || seen.value === undefined).toBe(true);
					finish.resolve();
					await transaction;
					await outside;
					expect(await store.accounts.group(groupId)).toEqual({ id: groupId, name: 'Hidden' });
				}));

			it('another store over the same storage sees nothing of a transaction before its commit, everything after', () =>
				withStore(async (store, opened) => {
					const roundId = uid('r');
					const peer = await opened.peer();
					const written = deferred();
					const finish = deferred();
					const transaction = store.transaction(async () => {
						await store.ledger.append(roundId, entry(1));
						await store.rooms.appendUpdate(roundId, new Uint8Array([7]));
						written.resolve();
						await finish.promise;
					});
					await written.promise;
					expect(await peer.ledger.entries(roundId)).toEqual([]);
					expect(await peer.rooms.countUpdates(roundId)).toBe(0);
					finish.resolve();
					await transaction;
					expect(await peer.ledger.entries(roundId)).toEqual([entry(1)]);
					expect(await peer.rooms.countUpdates(roundId)).toBe(1);
				}));
		});

		if (options.cluster) clusterContract(withStore);
	});
}

type WithStore = (test: (store: Store, opened: OpenedStore) => Promise<void>) => Promise<void>;

/** Leases and the inbox: the parts of a store that several processes share (PROTOCOL §17). */
function clusterContract(withStore: WithStore): void {
	const cluster = (store: Store) => {
		if (!store.cluster) throw new Error('this store has no cluster ports');
		return store.cluster;
	};

	describe('nodes', () => {
		it('§17 a process is live while it renews its row, gone once the row runs out or it leaves', () =>
			withStore(async (store, opened) => {
				const { nodes } = cluster(store);
				const other = cluster(await opened.peer()).nodes;
				const [a, b, c] = [uid('node'), uid('node'), uid('node')];
				const ours = async (): Promise<string[]> => (await other.live()).filter((node) => [a, b, c].includes(node));
				await nodes.beat(a, 10_000);
				await nodes.beat(b, 60);
				await other.beat(c, 10_000);
				expect(await ours()).toEqual([a, b, c].sort());
				await sleep(150);
				expect(await ours()).toEqual([a, c].sort());
				// Renewing brings a node back (one that only stalled past its time).
				await nodes.beat(b, 10_000);
				await nodes.leave(a);
				expect(await ours()).toEqual([b, c].sort());
				await expect(nodes.beat(a, 0)).rejects.toThrow(RangeError);
			}));
	});

	describe('leases', () => {
		it('§17 a free lease is taken; its holder takes it again with the same token; nobody else can while it is live', () =>
			withStore(async (store, opened) => {
				const { leases } = cluster(store);
				const other = cluster(await opened.peer()).leases;
				const roundId = uid('r');
				expect(await leases.holder(roundId)).toBeUndefined();
				const token = await leases.acquire(roundId, 'p1', 10_000);
				expect(token).toBeTypeOf('number');
				expect(await leases.acquire(roundId, 'p1', 10_000)).toBe(token);
				expect(await other.acquire(roundId, 'p2', 10_000)).toBeUndefined();
				const held = await other.holder(roundId);
				expect(held).toMatchObject({ holder: 'p1', token });
				expect(held!.expiresInMs).toBeGreaterThan(9000);
				expect(held!.expiresInMs).toBeLessThanOrEqual(10_000);
				await expect(leases.acquire(roundId, 'p1', 0)).rejects.toThrow(RangeError);
			}));

		it('§17 an expired lease is taken by another with a larger token; the old holder can neither renew nor fence', () =>
			withStore(async (store, opened) => {
				const { leases } = cluster(store);
				const peer = await opened.peer();
				const other = cluster(peer).leases;
				const roundId = uid('r');
				const first = (await leases.acquire(roundId, 'p1', 60))!;
				expect(await leases.renew(roundId, 'p1', first, 60)).toBe(true);
				await sleep(150);
				expect(await leases.holder(roundId)).toBeUndefined();
				const second = (await other.acquire(roundId, 'p2', 10_000))!;
				expect(second).toBeGreaterThan(first);
				expect(await leases.renew(roundId, 'p1', first, 10_000)).toBe(false);
				expect(await store.transaction(() => leases.fence(roundId, 'p1', first))).toBe(false);
				expect(await peer.transaction(() => other.fence(roundId, 'p2', second))).toBe(true);
				expect(await other.renew(roundId, 'p2', second, 10_000)).toBe(true);
				expect(await leases.acquire(roundId, 'p1', 10_000)).toBeUndefined();
				expect(await leases.holder(roundId)).toMatchObject({ holder: 'p2', token: second });
			}));

		it('§17 a released lease is taken at once, with a larger token; the releaser no longer holds it', () =>
			withStore(async (store, opened) => {
				const { leases } = cluster(store);
				const other = cluster(await opened.peer()).leases;
				const roundId = uid('r');
				const first = (await leases.acquire(roundId, 'p1', 10_000))!;
				// Releasing with a stale token changes nothing.
				await leases.release(roundId, 'p1', first + 1);
				expect(await other.acquire(roundId, 'p2', 10_000)).toBeUndefined();
				await leases.release(roundId, 'p1', first);
				expect(await leases.holder(roundId)).toBeUndefined();
				expect(await leases.renew(roundId, 'p1', first, 10_000)).toBe(false);
				expect(await store.transaction(() => leases.fence(roundId, 'p1', first))).toBe(false);
				const second = (await other.acquire(roundId, 'p2', 10_000))!;
				expect(second).toBe(first + 1);
				const third = (await leases.acquire(uid('r'), 'p1', 10_000))!;
				expect(third).toBeTypeOf('number');
			}));

		it('§17 fence refuses to run outside a transaction, and a wrong holder or token', () =>
			withStore(async (store) => {
				const { leases } = cluster(store);
				const roundId = uid('r');
				const token = (await leases.acquire(roundId, 'p1', 10_000))!;
				await expect(leases.fence(roundId, 'p1', token)).rejects.toThrow(/inside the transaction/);
				expect(await store.transaction(() => leases.fence(roundId, 'p1', token))).toBe(true);
				expect(await store.transaction(() => leases.fence(roundId, 'p2', token))).toBe(false);
				expect(await store.transaction(() => leases.fence(roundId, 'p1', token + 1))).toBe(false);
				expect(await store.transaction(() => leases.fence(uid('r'), 'p1', token))).toBe(false);
			}));

		it('§17 a takeover waits for the fenced transaction of the old holder, whose writes commit first', () =>
			withStore(async (store, opened) => {
				const { leases } = cluster(store);
				const peer = await opened.peer();
				const roundId = uid('r');
				const first = (await leases.acquire(roundId, 'p1', 100))!;
				const fenced = deferred();
				const finish = deferred();
				const turn = store.transaction(async () => {
					expect(await leases.fence(roundId, 'p1', first)).toBe(true);
					fenced.resolve();
					await finish.promise;
					await store.ledger.append(roundId, entry(1));
				});
				await fenced.promise;
				await sleep(200);
				// The lease has expired meanwhile, but its row is locked by the turn: the takeover waits.
				const takeover = cluster(peer).leases.acquire(roundId, 'p2', 10_000);
				expect(await settledWithin(takeover, 300)).toBe('pending');
				finish.resolve();
				await turn;
				const second = await takeover;
				expect(second).toBe(first + 1);
				expect(await peer.ledger.entries(roundId)).toEqual([entry(1)]);
				// From now on the old holder's turns commit nothing.
				expect(await store.transaction(() => leases.fence(roundId, 'p1', first))).toBe(false);
			}));

		it('§17 two processes taking a free lease at once: exactly one wins', () =>
			withStore(async (store, opened) => {
				const peers = [store, await opened.peer(), await opened.peer()];
				for (let i = 0; i < 5; i++) {
					const roundId = uid('r');
					const tokens = await Promise.all(peers.map((peer, n) => cluster(peer).leases.acquire(roundId, `p${n}`, 10_000)));
					expect(tokens.filter((token) => token !== undefined)).toHaveLength(1);
				}
			}));
	});

	describe('inbox', () => {
		it('§17 jobs are taken oldest first, as JSON values, per round; rounds with jobs are listed', () =>
			withStore(async (store) => {
				const { inbox } = cluster(store);
				const [a, b] = [uid('r'), uid('r')];
				const jobs = [{ kind: 'command', n: 1 }, 'text', 42, [1, 2], { nested: { ok: true, none: null } }];
				await inbox.add(a, jobs);
				await inbox.add(a, []);
				await inbox.add(b, [{ kind: 'x' }]);
				const waiting = await inbox.rounds();
				expect(waiting).toContain(a);
				expect(waiting).toContain(b);
				expect(await inbox.take(a, 2)).toEqual(jobs.slice(0, 2));
				expect(await inbox.take(a, 10)).toEqual(jobs.slice(2));
				expect(await inbox.take(a, 10)).toEqual([]);
				expect(await inbox.rounds()).not.toContain(a);
				expect(await inbox.take(b, 0)).toEqual([]);
				expect(await inbox.take(b, 1)).toEqual([{ kind: 'x' }]);
			}));

		it('§17 jobs added in a transaction that rolls back are not there; jobs taken in one that rolls back are taken again', () =>
			withStore(async (store) => {
				const { inbox } = cluster(store);
				const roundId = uid('r');
				await expect(
					store.transaction(async () => {
						await inbox.add(roundId, [{ n: 0 }]);
						throw new Error('no');
					})
				).rejects.toThrow('no');
				await inbox.add(roundId, [{ n: 1 }, { n: 2 }]);
				await expect(
					store.transaction(async () => {
						expect(await inbox.take(roundId, 10)).toEqual([{ n: 1 }, { n: 2 }]);
						throw new Error('crash before the commit');
					})
				).rejects.toThrow('crash');
				expect(await inbox.take(roundId, 10)).toEqual([{ n: 1 }, { n: 2 }]);
			}));

		it('§17 a taker skips the jobs another has taken but not committed, instead of waiting for them', () =>
			withStore(async (store, opened) => {
				const peer = await opened.peer();
				const roundId = uid('r');
				await cluster(store).inbox.add(roundId, [1, 2, 3, 4]);
				const taken = deferred();
				const finish = deferred();
				const first = store.transaction(async () => {
					const jobs = await cluster(store).inbox.take(roundId, 2);
					taken.resolve();
					await finish.promise;
					return jobs;
				});
				await taken.promise;
				expect(await settledWithin(cluster(peer).inbox.take(roundId, 10), 300)).toEqual({ value: [3, 4] });
				finish.resolve();
				expect(await first).toEqual([1, 2]);
				expect(await cluster(peer).inbox.take(roundId, 10)).toEqual([]);
			}));

		it('§17 two concurrent takers take every job exactly once', () =>
			withStore(async (store, opened) => {
				const peer = await opened.peer();
				const roundId = uid('r');
				const total = 200;
				await cluster(store).inbox.add(
					roundId,
					Array.from({ length: total }, (_, n) => ({ n }))
				);
				const taker = async (taking: Store) => {
					const got: number[] = [];
					for (;;) {
						const jobs = await taking.transaction(async () => {
							const taken = await cluster(taking).inbox.take(roundId, 7);
							// Hold the rows a moment, so that the other taker meets them locked.
							await sleep(2);
							return taken;
						});
						if (jobs.length === 0) return got;
						got.push(...jobs.map((job) => (job as { n: number }).n));
					}
				};
				const [one, two] = await Promise.all([taker(store), taker(peer)]);
				expect(one.length).toBeGreaterThan(0);
				expect(two.length).toBeGreaterThan(0);
				expect([...one, ...two].sort((x, y) => x - y)).toEqual(Array.from({ length: total }, (_, n) => n));
				expect(one).toEqual([...one].sort((x, y) => x - y));
			}));
	});
}
