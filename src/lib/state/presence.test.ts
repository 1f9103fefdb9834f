import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type { MemberId, RoundId } from '$lib/domain/types';
import type { Connect, LinkEvents } from '$lib/sync/connection';
import type { Membership } from '$lib/sync/storage';
import { RoundSession, type SessionEffects } from './session.svelte';
import { linkDocs } from './testing';

/**
 * A sync server's presence as the real one keeps it: one Awareness per room, every update relayed
 * to the other peers, and a leaving peer's states removed (without a new clock). A peer (re)joining
 * sends its local state as the stock y-websocket client does on open (with its current clock) and
 * gets the server's list of states.
 */
function presenceServer() {
	const docs = new Map<string, Y.Doc>();
	const rooms = new Map<string, Awareness>();
	const doc = (room: string) => docs.get(room) ?? (docs.set(room, new Y.Doc()), docs.get(room) as Y.Doc);
	const awareness = (room: string) => {
		let found = rooms.get(room);
		if (!found) {
			found = new Awareness(doc(room));
			found.setLocalState(null);
			rooms.set(room, found);
		}
		return found;
	};
	/** Links one device's room; `cut()` is the device going offline, `restore()` coming back. */
	const connect = (room: string, local: Y.Doc, events: LinkEvents) => {
		const server = awareness(room);
		const mine = new Awareness(local);
		let unlink: (() => void) | null = null;
		const toServer = ({ added, updated, removed }: Record<string, number[]>) =>
			applyAwarenessUpdate(server, encodeAwarenessUpdate(mine, [...added!, ...updated!, ...removed!]), mine);
		const fromServer = ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
			if (origin === mine) return;
			applyAwarenessUpdate(mine, encodeAwarenessUpdate(server, [...added!, ...updated!, ...removed!]), server);
		};
		// In the order of the stock client: `connected`, our state (old clock), then the server's list.
		const restore = () => {
			unlink = linkDocs(doc(room), local);
			mine.on('update', toServer);
			server.on('update', fromServer);
			events.status('connected');
			if (mine.getLocalState() !== null) applyAwarenessUpdate(server, encodeAwarenessUpdate(mine, [mine.clientID]), mine);
			applyAwarenessUpdate(mine, encodeAwarenessUpdate(server, [...server.getStates().keys()]), server);
			events.synced(true);
		};
		const cut = () => {
			unlink?.();
			mine.off('update', toServer);
			server.off('update', fromServer);
			removeAwarenessStates(server, [mine.clientID], mine);
			removeAwarenessStates(mine, [...mine.getStates().keys()].filter((id) => id !== mine.clientID), server);
			events.status('disconnected');
			events.synced(false);
		};
		queueMicrotask(restore);
		return { link: { awareness: mine, destroy: cut }, cut, restore };
	};
	return { connect };
}

function device(server: ReturnType<typeof presenceServer>, memberId: string) {
	const membership: Membership = { roundId: 'round-0001' as RoundId, memberId: memberId as MemberId, token: memberId, role: 'member', name: memberId, roundName: 'Fest', joinedAt: 1 };
	const links: Record<string, { cut: () => void; restore: () => void }> = {};
	const connect: Connect = (room, doc, events) => {
		const { link, cut, restore } = server.connect(room, doc, events);
		links[room] = { cut, restore };
		return link;
	};
	const effects: SessionEffects = {
		membership: async () => membership,
		openRoom: async () => ({ doc: new Y.Doc(), release: () => {} }),
		dropRoom: async () => {},
		markRevoked: async () => {},
		connect: () => connect,
		later: () => {}
	};
	return { session: new RoundSession('round-0001', effects), links };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('presence', () => {
	it('§5 after going offline and back, a member is seen online again by the others', async () => {
		const server = presenceServer();
		const alice = device(server, 'member-alice');
		const bob = device(server, 'member-bob');
		await alice.session.start();
		await bob.session.start();
		await settle();
		expect([...bob.session.round.online].sort()).toEqual(['member-alice', 'member-bob']);

		alice.links['round-0001']?.cut();
		expect(bob.session.round.online).toEqual(['member-bob']);
		alice.links['round-0001']?.restore();
		expect([...bob.session.round.online].sort()).toEqual(['member-alice', 'member-bob']);
		expect([...alice.session.round.online].sort()).toEqual(['member-alice', 'member-bob']);
		alice.session.destroy();
		bob.session.destroy();
	});
});
