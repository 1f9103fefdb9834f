import { describe, expect, it } from 'vitest';
import { parseInvite } from './join.svelte';

describe('invitation links', () => {
	it('§5 the fragment carries the round id and the code', () => {
		expect(parseInvite('#Round_1-x.Code-2_y')).toEqual({ roundId: 'Round_1-x', code: 'Code-2_y' });
		expect(parseInvite('#nodot')).toBeNull();
		expect(parseInvite('')).toBeNull();
		expect(parseInvite('#a.b.c')).toBeNull();
	});
});
