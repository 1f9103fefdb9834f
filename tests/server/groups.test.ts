// DESIGN §12 groups and PROTOCOL §Groups: one token for every round of the group, a second round
// with the same members, access checked on every route and at WebSocket connect, device links
// (single use, short-lived, never logged), re-issued access, and "is this you?" instead of a
// second member.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
	api,
	createRound,
	invite,
	ledger,
	memberClient,
	roundClient,
	startTestServer,
	stopTestServer,
	type Client,
	type Member,
	type TestServer
} from './helpers.js';

let server: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
	server = await startTestServer(undefined, { joinRate: { burst: 1000, perMinute: 1000 } });
});
afterEach(() => {
	for (const client of clients.splice(0)) client.destroy();
});
afterAll(() => stopTestServer(server));

interface GroupView {
	groupId: string;
	memberId: string;
	role: string;
	rounds: { roundId: string; name: string; phase: string; member: boolean }[];
}

const allocations = async (member: Member, roundId = member.roundId) => {
	const client = roundClient(server, { ...member, roundId });
	clients.push(client);
	await client.synced();
	return ledger(client).filter((entry) => entry.type === 'allocate').map((entry) => [entry.memberId, entry.amount]);
};

async function nextRound(facilitator: Member, body: Record<string, unknown> = { name: 'Assemblée 2027' }) {
	const result = await api<{ roundId: string; members: number }>(server, 'POST', `/api/groups/${facilitator.roundId}/rounds`, body, facilitator.token);
	expect(result.status).toBe(201);
	return result.body;
}

describe('§12 groups', () => {
	it('§12 groups: joined once, a second round includes the active members, each allocated through the ledger, on the same token', async () => {
		const facilitator = await createRound(server, { transparency: 'anonymous', maxPerMemberPerBucket: 2_000 });
		const groupId = facilitator.roundId;
		const alice = await invite(server, facilitator, 'Alice');
		const second = await nextRound(facilitator, { name: 'Assemblée 2027', defaultAllocation: 5_000, copySettings: true });
		expect(second.members).toBe(2);
		expect(new Set(await allocations(alice, second.roundId))).toEqual(
			new Set([
				[facilitator.memberId, 5_000],
				[alice.memberId, 5_000]
			])
		);
		const me = await api(server, 'GET', `/api/rounds/${second.roundId}/me`, undefined, alice.token);
		expect(me.body).toMatchObject({ memberId: alice.memberId, groupId, role: 'member', roundName: 'Assemblée 2027' });
		const doc = memberClient(server, { ...alice, roundId: second.roundId });
		clients.push(doc);
		await doc.synced();
		const view = await api<GroupView>(server, 'GET', `/api/groups/${groupId}`, undefined, alice.token);
		expect(view.body.rounds.map((r) => [r.roundId, r.phase, r.member])).toEqual([
			[second.roundId, 'proposing', true],
			[groupId, 'proposing', true]
		]);
		// Settings: copied from the previous round when asked, else the defaults (allocation and currency kept).
		const carried = roundClient(server, { ...facilitator, roundId: second.roundId });
		const third = await nextRound(facilitator, { name: 'Assemblée 2028' });
		const plain = roundClient(server, { ...facilitator, roundId: third.roundId });
		clients.push(plain, carried);
		await Promise.all([plain.synced(), carried.synced()]);
		expect(carried.doc.getMap('round').toJSON()).toMatchObject({ transparency: 'anonymous', maxPerMemberPerBucket: 2_000, phase: 'proposing' });
		expect(plain.doc.getMap('round').toJSON()).toMatchObject({ transparency: 'named', maxPerMemberPerBucket: null, defaultAllocation: 5_000, currency: 'EUR' });
	});

	it('§12 groups: a group invite joins every round of the group; a member cannot start a round', async () => {
		const facilitator = await createRound(server);
		const groupId = facilitator.roundId;
		const second = await nextRound(facilitator);
		const link = await api<{ code: string; url: string }>(server, 'POST', `/api/groups/${groupId}/invites`, {}, facilitator.token);
		expect(link.body.url).toBe(`/join#group.${groupId}.${link.body.code}`);
		const joined = await api<Member>(server, 'POST', `/api/groups/${groupId}/join`, { code: link.body.code, name: 'Dana' });
		expect(joined.status).toBe(201);
		const dana = { ...joined.body, roundId: groupId };
		for (const roundId of [groupId, second.roundId]) {
			expect((await api(server, 'GET', `/api/rounds/${roundId}/me`, undefined, dana.token)).status).toBe(200);
			expect((await allocations(facilitator, roundId)).some(([id]) => id === dana.memberId)).toBe(true);
		}
		expect((await api(server, 'POST', `/api/groups/${groupId}/rounds`, { name: 'Mine' }, dana.token)).status).toBe(403);
	});

	it('§12 access: an outsider, a revoked member and no token are refused on every group route and at WebSocket connect', async () => {
		const facilitator = await createRound(server);
		const groupId = facilitator.roundId;
		const second = await nextRound(facilitator);
		const marc = await invite(server, facilitator, 'Marc');
		const outsider = await createRound(server, { facilitatorName: 'Olga' });
		const live = memberClient(server, { ...marc, roundId: second.roundId });
		clients.push(live);
		await live.synced();
		const revoked = await api(server, 'DELETE', `/api/groups/${groupId}/members/${marc.memberId}`, undefined, facilitator.token);
		expect(revoked.body).toEqual({ memberId: marc.memberId, active: false });
		expect((await live.refused()).code).toBe(4401);

		const routes: [string, string, unknown?][] = [
			['GET', `/api/groups/${groupId}`],
			['POST', `/api/groups/${groupId}/rounds`, { name: 'X' }],
			['POST', `/api/groups/${groupId}/invites`, {}],
			['GET', `/api/groups/${groupId}/members`],
			['DELETE', `/api/groups/${groupId}/members/${facilitator.memberId}`],
			['POST', `/api/groups/${groupId}/members/${facilitator.memberId}/access`],
			['POST', `/api/groups/${groupId}/device-links`],
			...[groupId, second.roundId].flatMap((roundId): [string, string, unknown?][] => [
				['GET', `/api/rounds/${roundId}/me`],
				['GET', `/api/rounds/${roundId}/invites`],
				['POST', `/api/rounds/${roundId}/invites`, {}],
				['DELETE', `/api/rounds/${roundId}/members/${facilitator.memberId}`],
				['GET', `/api/rounds/${roundId}/export.json`]
			])
		];
		for (const token of [outsider.token, marc.token, undefined]) {
			for (const [method, path, body] of routes) {
				const answer = await api(server, method, path, body, token);
				expect([method, path, answer.status]).toEqual([method, path, 401]);
			}
			if (token === undefined) continue;
			for (const room of [groupId, second.roundId, `${second.roundId}/members/${facilitator.memberId}`]) {
				const client = new (live.constructor as typeof Client)(server, room, token);
				clients.push(client);
				expect((await client.refused()).code).toBe(4401);
			}
		}
		// Revoked in every round of the group, and still listed as inactive.
		const members = await api<{ memberId: string; active: boolean }[]>(server, 'GET', `/api/groups/${groupId}/members`, undefined, facilitator.token);
		expect(members.body.find((m) => m.memberId === marc.memberId)?.active).toBe(false);
		const last = await api(server, 'DELETE', `/api/groups/${groupId}/members/${facilitator.memberId}`, undefined, facilitator.token);
		expect(last.body).toMatchObject({ error: { code: 'last_facilitator' } });
	});
});

describe('§12 one person, one member, many devices', () => {
	it('§12 device link: a second token for the same member, used once, never in the logs', async () => {
		const facilitator = await createRound(server);
		const alice = await invite(server, facilitator, 'Alice');
		const groupId = alice.roundId;
		const link = await api<{ url: string; expiresAt: number }>(server, 'POST', `/api/groups/${groupId}/device-links`, undefined, alice.token);
		expect(link.status).toBe(201);
		const match = /^\/join#device\.([^.]+)\.([A-Za-z0-9_-]{43})$/.exec(link.body.url);
		expect(match?.[1]).toBe(groupId);
		const secret = match![2]!;
		const redeemed = await api<Member>(server, 'POST', `/api/groups/${groupId}/device-links/redeem`, { secret, deviceId: 'second-device-0001' });
		expect(redeemed.status).toBe(201);
		expect(redeemed.body.memberId).toBe(alice.memberId);
		expect(redeemed.body.token).not.toBe(alice.token);
		for (const token of [alice.token, redeemed.body.token]) {
			expect((await api(server, 'GET', `/api/rounds/${groupId}/me`, undefined, token)).body).toMatchObject({ memberId: alice.memberId });
		}
		const again = await api(server, 'POST', `/api/groups/${groupId}/device-links/redeem`, { secret });
		expect(again.body).toMatchObject({ error: { code: 'unknown_device_link' } });
		expect((await api(server, 'POST', `/api/groups/${groupId}/device-links/redeem`, { secret: 'short' })).status).toBe(400);
		expect(JSON.stringify(server.logs)).not.toContain(secret);
		// One pending link per member: a newer one replaces the one before.
		const older = await api<{ url: string }>(server, 'POST', `/api/groups/${groupId}/device-links`, undefined, alice.token);
		const newer = await api<{ url: string }>(server, 'POST', `/api/groups/${groupId}/device-links`, undefined, alice.token);
		const redeem = (url: string) => api(server, 'POST', `/api/groups/${groupId}/device-links/redeem`, { secret: url.split('.').pop() });
		expect((await redeem(older.body.url)).body).toMatchObject({ error: { code: 'unknown_device_link' } });
		expect((await redeem(newer.body.url)).status).toBe(201);
		// Still one Alice with one allocation.
		expect((await allocations(facilitator)).filter(([id]) => id === alice.memberId)).toHaveLength(1);
	});

	it('§12 device link: an expired link admits nobody', async () => {
		const quick = await startTestServer(undefined, { deviceLinkTtlMs: 0 });
		try {
			const facilitator = await createRound(quick);
			const link = await api<{ url: string }>(quick, 'POST', `/api/groups/${facilitator.roundId}/device-links`, undefined, facilitator.token);
			const secret = link.body.url.split('.').pop();
			const redeemed = await api(quick, 'POST', `/api/groups/${facilitator.roundId}/device-links/redeem`, { secret });
			expect(redeemed).toMatchObject({ status: 403, body: { error: { code: 'device_link_expired' } } });
		} finally {
			await stopTestServer(quick);
		}
	});

	it('§12 re-issue: the old tokens stop working at once, the new link opens the same member', async () => {
		const facilitator = await createRound(server);
		const alice = await invite(server, facilitator, 'Alice');
		const groupId = alice.roundId;
		const live = memberClient(server, alice);
		clients.push(live);
		await live.synced();
		expect((await api(server, 'POST', `/api/groups/${groupId}/members/${alice.memberId}/access`, undefined, alice.token)).status).toBe(403);
		const reissued = await api<{ memberId: string; url: string }>(server, 'POST', `/api/groups/${groupId}/members/${alice.memberId}/access`, undefined, facilitator.token);
		expect(reissued.status).toBe(201);
		expect((await live.refused()).code).toBe(4401);
		expect((await api(server, 'GET', `/api/rounds/${groupId}/me`, undefined, alice.token)).status).toBe(401);
		const secret = reissued.body.url.split('.').pop();
		const redeemed = await api<Member>(server, 'POST', `/api/groups/${groupId}/device-links/redeem`, { secret });
		expect(redeemed.body.memberId).toBe(alice.memberId);
		expect((await api(server, 'GET', `/api/rounds/${groupId}/me`, undefined, redeemed.body.token)).body).toMatchObject({ name: 'Alice' });
		const members = await api<unknown[]>(server, 'GET', `/api/groups/${groupId}/members`, undefined, facilitator.token);
		expect(members.body).toHaveLength(2);
		expect((await allocations(facilitator)).filter(([id]) => id === alice.memberId)).toHaveLength(1);
	});

	it('§12 "is this you?": joining again under a name of the group creates no second member and no second allocation', async () => {
		const facilitator = await createRound(server);
		const alice = await invite(server, facilitator, 'Alice');
		const groupId = alice.roundId;
		const code = await api<{ code: string }>(server, 'POST', `/api/groups/${groupId}/invites`, {}, facilitator.token);
		const before = await allocations(facilitator);
		const again = await api(server, 'POST', `/api/groups/${groupId}/join`, { code: code.body.code, name: ' alice ', deviceId: 'another-device-0001' });
		expect(again).toMatchObject({ status: 409, body: { error: { code: 'name_taken' } } });
		const members = await api<unknown[]>(server, 'GET', `/api/groups/${groupId}/members`, undefined, facilitator.token);
		expect(members.body).toHaveLength(2);
		expect(await allocations(facilitator)).toEqual(before);
		// The same device joining again gets its membership back instead.
		const first = await api<Member>(server, 'POST', `/api/groups/${groupId}/join`, { code: code.body.code, name: 'Ben', deviceId: 'ben-device-00001' });
		const back = await api<Member & { rejoined: boolean }>(server, 'POST', `/api/groups/${groupId}/join`, { code: code.body.code, name: 'Ben', deviceId: 'ben-device-00001' });
		expect(back.body).toMatchObject({ memberId: first.body.memberId, rejoined: true });
		expect((await api(server, 'GET', `/api/rounds/${groupId}/me`, undefined, first.body.token)).status).toBe(401);
	});
});
