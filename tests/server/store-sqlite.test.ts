// The store contract over SQLite: a temporary data directory per test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../server/store/index.js';
import { storeContract } from './store.contract.js';

storeContract('SQLite', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'tirelire-store-'));
	const opened: Store[] = [openStore(dir)];
	return {
		store: opened[0]!,
		async peer() {
			const store = openStore(dir);
			opened.push(store);
			return store;
		},
		async cleanup() {
			for (const store of opened) await store.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
});
