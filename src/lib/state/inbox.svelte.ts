import type * as Y from 'yjs';
import { readSeenMark } from '$lib/domain/document';
import { parseNotification, unreadCount, type Notification } from '$lib/domain/notifications';
import { memberRoots } from './doc';

/**
 * The member's notifications (written by the server in its own member doc, so they are in
 * IndexedDB and readable offline) and its read mark, which it writes itself (`seen`).
 */
export class Inbox {
	/** Newest first; values that do not parse are dropped. */
	notifications: readonly Notification[] = $state.raw([]);
	seen = $state(0);
	unread = $derived(unreadCount(this.notifications, this.seen));

	#doc: Y.Doc | null = null;
	#detach: (() => void) | null = null;

	attach(doc: Y.Doc): void {
		this.detach();
		this.#doc = doc;
		const { notifications, seen } = memberRoots(doc);
		const read = () => {
			const parsed: Notification[] = [];
			for (const value of notifications) {
				const notification = parseNotification(value);
				if (notification) parsed.push(notification);
			}
			this.notifications = parsed.reverse();
		};
		const readSeen = () => {
			this.seen = readSeenMark(seen.get('notifications'));
		};
		read();
		readSeen();
		notifications.observe(read);
		seen.observe(readSeen);
		this.#detach = () => {
			notifications.unobserve(read);
			seen.unobserve(readSeen);
		};
	}

	detach(): void {
		this.#detach?.();
		this.#detach = null;
		this.#doc = null;
	}

	/** Everything shown so far counts as read (offline too: the mark syncs later). */
	markRead(): void {
		const last = this.notifications[0]?.n ?? 0;
		if (this.#doc && last > this.seen) memberRoots(this.#doc).seen.set('notifications', last);
	}
}
