import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

export type LinkStatus = 'connecting' | 'connected' | 'disconnected';

/** What a room's live link reports. */
export interface LinkEvents {
	status(status: LinkStatus): void;
	/** The server's copy and ours agree (sync step 2 received). */
	synced(synced: boolean): void;
	/** The server closed for good (close codes 4400–4499: 4401 revoked, 4403 refused write, 4404…). */
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
 * Links rooms with the stock y-websocket client (`/sync/<room>?token=…`). The provider retries
 * with backoff on its own after transient failures and stops on 44xx codes, which we report.
 */
export function websocketConnect(token: string, origin: string = location.origin): Connect {
	return (room, doc, events) => {
		const provider = new WebsocketProvider(syncUrl(origin), room, doc, { params: { token } });
		provider.on('status', ({ status }) => events.status(status));
		// A failed attempt never reports `disconnected` by itself when it never connected.
		provider.on('connection-close', () => events.status('disconnected'));
		provider.on('sync', (synced) => events.synced(synced));
		// A 44xx close is the server's final word: coming back online must not retry it.
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
