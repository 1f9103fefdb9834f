import { describe, expect, it } from 'vitest';
import type { MemberId, RoundId } from '$lib/domain/types';
import type { GroupView } from '$lib/sync/api';
import { absoluteLink, membershipsOf } from './group-sync';

const view: GroupView = {
	groupId: 'group-0001',
	name: 'Coop du Val',
	memberId: 'member-0001' as MemberId,
	memberName: 'Marc',
	role: 'member',
	currency: 'EUR',
	rounds: [
		{ roundId: 'round-2027' as RoundId, name: 'Assemblée 2027', createdAt: 2, phase: 'proposing', member: true },
		{ roundId: 'round-2026' as RoundId, name: 'Assemblée 2026', createdAt: 1, phase: 'closed', member: true },
		{ roundId: 'round-2025' as RoundId, name: 'Assemblée 2025', createdAt: 0, phase: 'closed', member: false }
	]
};

describe('§12 a group’s rounds on the device', () => {
	it('§12 one membership per round the member is in, all on the one token, with the group', () => {
		expect(membershipsOf(view, 'tok', 5)).toEqual(
			['round-2027', 'round-2026'].map((roundId, i) => ({
				roundId,
				memberId: 'member-0001',
				token: 'tok',
				role: 'member',
				name: 'Marc',
				roundName: i === 0 ? 'Assemblée 2027' : 'Assemblée 2026',
				groupId: 'group-0001',
				groupName: 'Coop du Val',
				joinedAt: 5
			}))
		);
	});

	it('§12 links from the server become absolute to be shared', () => {
		expect(absoluteLink('/join#device.g.s', 'http://192.168.1.20:3000')).toBe('http://192.168.1.20:3000/join#device.g.s');
		expect(absoluteLink('https://budget.example/join#g', 'http://x')).toBe('https://budget.example/join#g');
	});
});
