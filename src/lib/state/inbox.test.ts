import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Inbox } from './inbox.svelte';

describe('inbox', () => {
	it('§12 notifications: newest first, garbled ones dropped, unread counted after the read mark, which markRead moves', () => {
		const doc = new Y.Doc();
		const inbox = new Inbox();
		inbox.attach(doc);
		doc.getArray('notifications').push([
			{ n: 1, at: 1, kind: 'allocated', amount: 100 },
			{ n: 2, at: 2, kind: 'gossip' },
			'garbage',
			{ n: 3, at: 3, kind: 'phase', phase: 'funding' }
		]);
		expect(inbox.notifications.map((n) => n.n)).toEqual([3, 1]);
		expect(inbox.unread).toBe(2);
		doc.getMap('seen').set('notifications', 1);
		expect(inbox.unread).toBe(1);
		inbox.markRead();
		expect(doc.getMap('seen').get('notifications')).toBe(3);
		expect(inbox.unread).toBe(0);
		doc.getMap('seen').set('notifications', 'everything');
		expect(inbox.seen).toBe(0);
	});
});
