import * as Y from 'yjs';

/**
 * Connects two documents as two peers: every update of one is applied to the other, as a sync
 * server relays them. Returns a function that cuts the link (a peer going offline).
 */
export function linkDocs(a: Y.Doc, b: Y.Doc): () => void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a), 'peer');
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b), 'peer');
	const toB = (update: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(b, update, 'peer');
	const toA = (update: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(a, update, 'peer');
	a.on('update', toB);
	b.on('update', toA);
	return () => {
		a.off('update', toB);
		b.off('update', toA);
	};
}
