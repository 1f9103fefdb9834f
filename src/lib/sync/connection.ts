import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

export type LinkStatus = 'connecting' | 'connected' | 'disconnected';

/** What a room's live link reports. */
export interface LinkEvents {
	status(status: LinkStatus): void;
	/** The server's copy and ours agree (sync step 2 received). */
	synced(synced: boolean): void;
	/**
	 * The server closed for good: 4400–4499 (4401 revoked, 4403 refused write, 4404…), or 1009
	 * (a message far above the size limit, refused before it was read). The provider never retries
	 * these; the session decides (4423, 4425 and 4429 are only "later").
	 */
	closed(code: number, reason: string): void;
}

/** A live link between a room's document and the server. */
export interface Link {
	readonly awareness: Awareness;
	destroy(): void;
}

/** Opens a link for a room; injected into the session so it can be replaced by any real peer. */
export type Connect = (room: string, doc: Y.Doc, events: LinkEvents) => Link;

/** The sync endpoint for a page served from `origin`: http → ws, https → wss. */
export function syncUrl(origin: string): string {
	return `${origin.replace(/^http/, 'ws')}/sync`;
}

/**
 * Whether a server close is worth retrying. Besides the 44xx codes the stock client already treats as
 * final, 1009 is: sending the same oversized change again would be refused again, forever.
 */
export function shouldReconnect(event: { code: number }): boolean {
	return event.code !== 1009 && !(event.code >= 4400 && event.code < 4500);
}

/**
 * Links rooms with the stock y-websocket client (`/sync/<room>?token=…`). The provider retries
 * with backoff on its own after transient failures and stops on 44xx codes, which we report.
 */
export function websocketConnect(token: string, origin: string = location.origin): Connect {
	return (room, doc, events) => {
		const provider = new WebsocketProvider(syncUrl(origin), room, doc, { params: { token }, shouldReconnect });
		provider.on('status', ({ status }) => events.status(status));
		// A failed attempt never reports `disconnected` by itself when it never connected.
		provider.on('connection-close', () => events.status('disconnected'));
		provider.on('sync', (synced) => events.synced(synced));
		// A final close is the server's last word: coming back online must not retry it.
		let refused = false;
		provider.on('closed', ({ code, reason }) => {
			refused = true;
			events.closed(code, reason);
		});
		// The browser knows first when the network is gone; a dead socket may take 30 s to notice.
		const offline = () => {
			provider.disconnect();
			events.status('disconnected');
		};
		const online = () => {
			if (!refused) provider.connect();
		};
		window.addEventListener('offline', offline);
		window.addEventListener('online', online);
		return {
			awareness: provider.awareness,
			destroy: () => {
				window.removeEventListener('offline', offline);
				window.removeEventListener('online', online);
				provider.destroy();
			}
		};
	};
}
