import { describe, expect, it } from 'vitest';
import type { MemberId, RoundId } from '$lib/domain/types';
import type { Membership } from '$lib/sync/storage';
import { becomeMember } from './membership';

const fields = {
	roundId: 'round-0001' as RoundId,
	memberId: 'member-0001' as MemberId,
	token: 'token',
	role: 'member' as const,
	name: 'Ana',
	roundName: 'Harvest fair'
};

describe('becomeMember', () => {
	it('§5 saves the membership the server gave, stamped with the time it was joined', async () => {
		const saved: Membership[] = [];
		const flow = { busy: false, error: null as unknown };
		let busyWhileWaiting = false;
		const membership = await becomeMember(flow, async (m) => void saved.push(m), async () => {
			busyWhileWaiting = flow.busy;
			return fields;
		});
		expect(busyWhileWaiting).toBe(true);
		expect(flow).toEqual({ busy: false, error: null });
		expect(membership).toMatchObject(fields);
		expect(typeof membership?.joinedAt).toBe('number');
		expect(saved).toEqual([membership]);
	});

	it('§5 a refusal is kept for the page and nothing is saved', async () => {
		const saved: Membership[] = [];
		const flow = { busy: false, error: null as unknown };
		const refusal = new Error('invite_expired');
		const membership = await becomeMember(flow, async (m) => void saved.push(m), async () => {
			throw refusal;
		});
		expect(membership).toBeNull();
		expect(flow).toEqual({ busy: false, error: refusal });
		expect(saved).toEqual([]);
	});
});
