import { describe, expect, it } from 'vitest';
import { shouldReconnect, syncUrl } from './connection';

describe('sync link', () => {
	it('§4 close codes: 44xx and 1009 are final, transient failures are retried', () => {
		for (const code of [4401, 4403, 4404, 4413, 4429, 1009]) expect(shouldReconnect({ code })).toBe(false);
		for (const code of [1000, 1001, 1006, 1011, 1012]) expect(shouldReconnect({ code })).toBe(true);
	});

	it('§2 the sync endpoint follows the page: http → ws, https → wss', () => {
		expect(syncUrl('http://localhost:3000')).toBe('ws://localhost:3000/sync');
		expect(syncUrl('https://tirelire.example')).toBe('wss://tirelire.example/sync');
	});
});
