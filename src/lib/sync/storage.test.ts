import { describe, expect, it } from 'vitest';
import type { MemberId, RoundId } from '$lib/domain/types';
import { LocalStore } from './storage';

const membership = (roundId: string, joinedAt: number) => ({
	roundId: roundId as RoundId,
	memberId: 'member-bob' as MemberId,
	token: 't',
	role: 'member' as const,
	name: 'Bob',
	roundName: roundId,
	joinedAt
});

describe('LocalStore (IndexedDB through Dexie and y-dexie)', () => {
	it('§5 keeps memberships, newest first', async () => {
		const store = new LocalStore(`test-${Math.random()}`);
		await store.saveMembership(membership('round-a', 1));
		await store.saveMembership(membership('round-b', 2));
		expect((await store.memberships()).map((m) => m.roundId)).toEqual(['round-b', 'round-a']);
		expect((await store.membership('round-a'))?.name).toBe('Bob');
	});

	it('§5 a revoked membership is kept as revoked (a reload knows it offline), and can be forgotten', async () => {
		const store = new LocalStore(`test-${Math.random()}`);
		await store.saveMembership(membership('round-a', 1));
		await store.markRevoked('round-a', 42);
		expect((await store.membership('round-a'))?.revokedAt).toBe(42);
		await store.forgetMembership('round-a');
		expect(await store.memberships()).toEqual([]);
	});

	it('§8 offline: a room’s document survives closing and reopening; dropping it forgets it', async () => {
		const name = `test-${Math.random()}`;
		const first = new LocalStore(name);
		const room = await first.openRoom('round-a/members/member-bob');
		room.doc.getArray('commands').push([{ id: 'command-001' }]);
		await new Promise((r) => setTimeout(r, 50));
		room.release();
		const again = await new LocalStore(name).openRoom('round-a/members/member-bob');
		expect(again.doc.getArray('commands').toJSON()).toEqual([{ id: 'command-001' }]);
		again.release();
		await first.dropRoom('round-a/members/member-bob');
		const fresh = await new LocalStore(name).openRoom('round-a/members/member-bob');
		expect(fresh.doc.getArray('commands').length).toBe(0);
		fresh.release();
	});

	it('§4 after a refused write the same store reopens the room empty (no cached copy survives the drop)', async () => {
		const store = new LocalStore(`test-${Math.random()}`);
		const room = await store.openRoom('round-a');
		room.doc.getMap('buckets').set('forbidden', 'edit');
		await new Promise((r) => setTimeout(r, 50));
		room.release();
		await store.dropRoom('round-a');
		const fresh = await store.openRoom('round-a');
		expect(fresh.doc).not.toBe(room.doc);
		expect(fresh.doc.getMap('buckets').size).toBe(0);
		fresh.release();
	});
});
