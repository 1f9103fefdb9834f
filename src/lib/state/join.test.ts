import { describe, expect, it } from 'vitest';
import { parseInvite, parseJoinLink } from './join.svelte';

describe('invitation links', () => {
	it('§5 the fragment carries the round id and the code', () => {
		expect(parseInvite('#Round_1-x.Code-2_y')).toEqual({ roundId: 'Round_1-x', code: 'Code-2_y' });
		expect(parseInvite('#nodot')).toBeNull();
		expect(parseInvite('')).toBeNull();
		expect(parseInvite('#a.b.c')).toBeNull();
	});

	it('§12 group invites and device links carry the group id', () => {
		expect(parseJoinLink('#group.Group_1.Code-2')).toEqual({ kind: 'group', groupId: 'Group_1', code: 'Code-2' });
		expect(parseJoinLink('#device.Group_1.Secret-3')).toEqual({ kind: 'device', groupId: 'Group_1', secret: 'Secret-3' });
		expect(parseJoinLink('#other.Group_1.Code')).toBeNull();
		expect(parseJoinLink('#group.a.b.c')).toBeNull();
		expect(parseInvite('#group.Group_1.Code-2')).toBeNull();
	});
});
