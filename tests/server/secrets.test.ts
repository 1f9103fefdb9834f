import { describe, expect, it } from 'vitest';
import { hashToken, newToken, randomId } from '../../server/secrets.js';

describe('server secrets', () => {
	it('§2 ids are 16 base64url characters and never begin with - or _ (CSV formula guard)', () => {
		const ids = Array.from({ length: 2_000 }, () => randomId());
		for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{15}$/);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('§5 tokens are 256-bit and only their SHA-256 hash is kept', () => {
		const token = newToken();
		expect(Buffer.from(token, 'base64url')).toHaveLength(32);
		expect(hashToken(token)).toHaveLength(43);
		expect(hashToken(token)).not.toContain(token);
	});
});
