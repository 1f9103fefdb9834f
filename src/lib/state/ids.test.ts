import { describe, expect, it } from 'vitest';
import { randomId } from './ids';

describe('randomId', () => {
	it('§2 ids are 10–64 base64url characters and never begin with - or _ (CSV formula guard)', () => {
		const ids = Array.from({ length: 2_000 }, () => randomId());
		for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{20}$/);
		expect(new Set(ids).size).toBe(ids.length);
		expect(randomId(10)).toHaveLength(10);
	});
});
