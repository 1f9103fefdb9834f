import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { MemberId, RoundId } from '$lib/domain/types';
import type { Connect, LinkEvents } from '$lib/sync/connection';
import type { Membership } from '$lib/sync/storage';
import { memberRoots, roundRoots } from './doc';
import { RoundSession, type SessionEffects } from './session.svelte';
import { linkDocs } from './testing';

const membership: Membership = {
	roundId: 'round-0001' as RoundId,
	memberId: 'member-bob' as MemberId,
	token: 'secret',
	role: 'member',
	name: 'Bob',
	roundName: 'Fest',
	joinedAt: 1
};
const memberRoom = 'round-0001/members/member-bob';

/**
 * A device (rooms kept in memory, droppable) and a server (one Y.Doc per room) joined by live
 * links that sync both ways; the test decides when the server closes a link and with which code.
 */
function world() {
	const device = new Map<string, Y.Doc>();
	const server = new Map<string, Y.Doc>();
	const links = new Map<string, { events: LinkEvents; unlink: () => void }>();
	const revokedAt = new Map<string, number>();
	const serverDoc = (room: string) => server.get(room) ?? (server.set(room, new Y.Doc()), server.get(room) as Y.Doc);
	const connect: Connect = (room, doc, events) => {
		const unlink = linkDocs(serverDoc(room), doc);
		links.set(room, { events, unlink });
		events.status('connected');
		queueMicrotask(() => events.synced(true));
		return { awareness: new Awareness(doc), destroy: unlink };
	};
	const effects: SessionEffects = {
		membership: async (roundId) => (roundId === membership.roundId ? membership : undefined),
		openRoom: async (name) => {
			const doc = device.get(name) ?? new Y.Doc();
			device.set(name, doc);
			return { doc, release: () => {} };
		},
		dropRoom: async (name) => {
			device.delete(name);
		},
		markRevoked: async (roundId, at) => {
			revokedAt.set(roundId, at);
		},
		connect: () => connect,
		later: () => {}
	};
	return { device, server, links, effects, serverDoc, revokedAt };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
	vi.useRealTimers();
});

describe('RoundSession', () => {
	it('§5 opens both rooms, shows the round and counts pending commands in the sync state', async () => {
		const w = world();
		roundRoots(w.serverDoc('round-0001')).round.set('name', 'Fest');
		const session = new RoundSession('round-0001', w.effects);
		await session.start();
		await settle();
		expect(session.phase).toBe('ready');
		expect(session.round.settings?.name).toBe('Fest');
		expect(session.sync.overall).toBe('online');
		session.commands.send({ type: 'publish', bucketId: 'bucket-00001' as never });
		expect(session.sync.pending).toBe(1);
		expect(session.sync.overall).toBe('syncing');
		// the command reached the server's copy of the member doc through the link
		expect(memberRoots(w.serverDoc(memberRoom)).commands.length).toBe(1);
		session.destroy();
	});

	it('§4 on 4403 the device copy is dropped, the room resynced, and the lost change named', async () => {
		const w = world();
		const session = new RoundSession('round-0001', w.effects);
		await session.start();
		await settle();
		const kept = session.commands.send({ type: 'publish', bucketId: 'bucket-00001' as never });
		// offline: this one never reaches the server, which then refuses the connection's write
		w.links.get(memberRoom)?.unlink();
		const lost = session.commands.send({ type: 'withdraw', bucketId: 'bucket-00001' as never, amount: 500 as never });
		const before = w.device.get(memberRoom);
		w.links.get(memberRoom)?.events.closed(4403, 'forbidden write');
		await settle();
		await settle();
		expect(w.device.get(memberRoom)).not.toBe(before);
		expect(session.wallet.commands.map((c) => c.id)).toEqual([kept.id]);
		const dropped = session.notices.list.find((n) => n.kind === 'dropped');
		expect(dropped).toMatchObject({ kind: 'dropped', room: 'member', commands: [{ id: lost.id }] });
		session.destroy();
	});

	it.each([4423, 4425])('§4 on %i nothing is dropped: the device copy and its waiting commands stay, the room reopens later', async (code) => {
		const w = world();
		const retries: { ms: number; run: () => void }[] = [];
		w.effects.later = (ms, run) => void retries.push({ ms, run });
		const session = new RoundSession('round-0001', w.effects);
		await session.start();
		await settle();
		w.links.get(memberRoom)?.unlink();
		const waiting = session.commands.send({ type: 'withdraw', bucketId: 'bucket-00001' as never, amount: 500 as never });
		const before = w.device.get(memberRoom);
		w.links.get(memberRoom)?.events.closed(code, 'too fast');
		w.links.get(memberRoom)?.events.closed(code, 'too fast');
		await settle();
		await settle();
		expect(w.device.get(memberRoom)).toBe(before);
		expect(session.wallet.pending.map((c) => c.id)).toEqual([waiting.id]);
		expect(session.notices.list.map((n) => n.kind)).toEqual(['slowDown']);
		expect(retries.length).toBeGreaterThan(0);
		retries[0]!.run();
		await settle();
		await settle();
		// reopened on the same device copy: the waiting command reaches the server
		expect(w.device.get(memberRoom)).toBe(before);
		expect(memberRoots(w.serverDoc(memberRoom)).commands.toArray().map((c) => c.id)).toContain(waiting.id);
		session.destroy();
	});

	it('§3 a command written offline is told “while you were offline” when its receipt comes', async () => {
		const w = world();
		const session = new RoundSession('round-0001', w.effects);
		await session.start();
		await settle();
		w.links.get(memberRoom)?.events.status('disconnected');
		const sent = session.commands.send({ type: 'publish', bucketId: 'bucket-00001' as never });
		memberRoots(w.serverDoc(memberRoom)).receipts.push([{ commandId: sent.id, ok: false, reason: 'wrong_phase' }]);
		expect(session.notices.list).toMatchObject([{ kind: 'receipt', offline: true }]);
		session.destroy();
	});

	it('a refused budget edit (the server’s receipt with a bucketId) becomes a budget notice with its reason', async () => {
		const w = world();
		const session = new RoundSession('round-0001', w.effects);
		await session.start();
		await settle();
		memberRoots(w.serverDoc(memberRoom)).receipts.push([
			{ commandId: 'sys_0000000001' as never, ok: false, reason: 'would_lock_funders', bucketId: 'bucket-00001' as never }
		]);
		expect(session.notices.list).toMatchObject([{ kind: 'budget', bucketId: 'bucket-00001', reason: 'would_lock_funders' }]);
		session.destroy();
	});

	it('§3 a command written online and answered on the same link is not “offline”, however long it took', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		const w = world();
		const session = new RoundSession('round-0001', w.effects);
		await session.start();
		await settle();
		const sent = session.commands.send({ type: 'publish', bucketId: 'bucket-00001' as never });
		vi.setSystemTime(Date.now() + 60_000);
		memberRoots(w.serverDoc(memberRoom)).receipts.push([{ commandId: sent.id, ok: false, reason: 'wrong_phase' }]);
		expect(session.notices.list).toMatchObject([{ kind: 'receipt', offline: false }]);
		session.destroy();
	});

	it('§3 a command still waiting when the link comes back is told “while you were offline”', async () => {
		const w = world();
		const session = new RoundSession('round-0001', w.effects);
		await session.start();
		await settle();
		const sent = session.commands.send({ type: 'publish', bucketId: 'bucket-00001' as never });
		const link = w.links.get(memberRoom)?.events;
		link?.status('disconnected');
		link?.synced(false);
		link?.status('connected');
		link?.synced(true);
		memberRoots(w.serverDoc(memberRoom)).receipts.push([{ commandId: sent.id, ok: false, reason: 'wrong_phase' }]);
		expect(session.notices.list).toMatchObject([{ kind: 'receipt', offline: true }]);
		session.destroy();
	});

	it('§3 after a reload, a command found waiting on the device is told “while you were offline”, however soon', async () => {
		const w = world();
		const first = new RoundSession('round-0001', w.effects);
		await first.start();
		await settle();
		w.links.get(memberRoom)?.unlink();
		const sent = first.commands.send({ type: 'publish', bucketId: 'bucket-00001' as never });
		first.destroy();
		const again = new RoundSession('round-0001', w.effects);
		await again.start();
		await settle();
		expect(again.wallet.pending.map((c) => c.id)).toEqual([sent.id]);
		memberRoots(w.serverDoc(memberRoom)).receipts.push([{ commandId: sent.id, ok: false, reason: 'wrong_phase' }]);
		expect(again.notices.list).toMatchObject([{ kind: 'receipt', offline: true }]);
		again.destroy();
	});

	it('§5 on 4401 the session is revoked: kept on the device, links cut, never reconnected', async () => {
		const w = world();
		const session = new RoundSession('round-0001', w.effects);
		await session.start();
		w.links.get('round-0001')?.events.closed(4401, 'bad_token');
		w.links.get(memberRoom)?.events.closed(4401, 'bad_token');
		await settle();
		expect(session.phase).toBe('revoked');
		expect(session.sync.overall).toBe('revoked');
		expect([...w.revokedAt.keys()]).toEqual(['round-0001']);
		expect(session.membership?.revokedAt).toBe(w.revokedAt.get('round-0001'));
		// Nothing written from now on reaches the server: the links are gone.
		w.links.clear();
		session.commands.send({ type: 'contribute', bucketId: 'bucket-1' as never, amount: 100 as never });
		expect(memberRoots(w.serverDoc(memberRoom)).commands.length).toBe(0);
		session.destroy();
	});

	it('§5 a membership kept as revoked opens offline from the device, never linked, its waiting commands readable', async () => {
		const w = world();
		const first = new RoundSession('round-0001', w.effects);
		await first.start();
		first.destroy();
		// Written on the device while it could not reach the server, then the token was revoked.
		memberRoots(w.device.get(memberRoom) as Y.Doc).commands.push([
			{ type: 'contribute', id: 'command-offline-1' as never, at: 5, bucketId: 'bucket-1' as never, amount: 4500 as never }
		]);
		w.links.clear();
		const revoked = { ...w.effects, membership: async () => ({ ...membership, revokedAt: 9 }) };
		const session = new RoundSession('round-0001', revoked);
		await session.start();
		expect(session.phase).toBe('revoked');
		expect(w.links.size).toBe(0);
		expect(session.wallet.pending.map((c) => c.id)).toEqual(['command-offline-1']);
		// Nothing claims it is still on its way.
		expect(session.sync.overall).toBe('revoked');
		expect(session.sync.pending).toBe(0);
		session.destroy();
	});

	it('a round this device never joined is reported, not opened', async () => {
		const session = new RoundSession('someone-elses-round', world().effects);
		await session.start();
		expect(session.phase).toBe('notMember');
	});
});
