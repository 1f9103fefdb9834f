// Who may join a round, and as whom: invites that are disabled or deleted, revoked members coming
// back through a link, one device joining twice, and names that read as someone else's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	api,
	createRound,
	ledger,
	roundClient,
	startTestServer,
	stopTestServer,
	waitFor,
	type Member,
	type TestServer
} from '../server/helpers.js';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer(undefined, { joinRate: { burst: 1000, perMinute: 1000 }, createRate: { burst: 1000, perMinute: 1000 } });
});
afterAll(() => stopTestServer(server));

async function newInvite(facilitator: Member, body: Record<string, unknown> = {}): Promise<string> {
	const created = await api<{ code: string }>(server, 'POST', `/api/rounds/${facilitator.roundId}/invites`, body, facilitator.token);
	expect(created.status).toBe(201);
	return created.body.code;
}

const join = (roundId: string, body: Record<string, unknown>) =>
	api<{ memberId: string; token: string; rejoined: boolean; error?: { code: string } }>(server, 'POST', `/api/rounds/${roundId}/join`, body);

const deviceA = 'deviceAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const deviceB = 'deviceBBBBBBBBBBBBBBBBBBBBBBBBBBBB';

describe('invites can be disabled, enabled again and deleted', () => {
	it('a disabled invite admits nobody (invite_disabled) until it is enabled; a deleted one is unknown_invite', async () => {
		const facilitator = await createRound(server);
		const code = await newInvite(facilitator);
		const path = `/api/rounds/${facilitator.roundId}/invites/${code}`;

		const disabled = await api(server, 'PATCH', path, { disabled: true }, facilitator.token);
		expect(disabled).toMatchObject({ status: 200, body: { code, disabled: true } });
		expect(await join(facilitator.roundId, { code, name: 'Alice' })).toMatchObject({ status: 403, body: { error: { code: 'invite_disabled' } } });
		const list = await api<{ code: string; disabled: boolean }[]>(server, 'GET', `/api/rounds/${facilitator.roundId}/invites`, undefined, facilitator.token);
		expect(list.body).toMatchObject([{ code, disabled: true }]);

		expect((await api(server, 'PATCH', path, { disabled: false }, facilitator.token)).status).toBe(200);
		expect((await join(facilitator.roundId, { code, name: 'Alice' })).status).toBe(201);

		expect(await api(server, 'DELETE', path, undefined, facilitator.token)).toMatchObject({ status: 200, body: { code, deleted: true } });
		expect(await join(facilitator.roundId, { code, name: 'Bruno' })).toMatchObject({ status: 404, body: { error: { code: 'unknown_invite' } } });
		expect(await api(server, 'DELETE', path, undefined, facilitator.token)).toMatchObject({ status: 404, body: { error: { code: 'unknown_invite' } } });
	});

	it('only a facilitator of the round may change or delete an invite; bodies are parsed', async () => {
		const facilitator = await createRound(server);
		const other = await createRound(server);
		const code = await newInvite(facilitator);
		const member = await join(facilitator.roundId, { code, name: 'Marc' });
		const path = `/api/rounds/${facilitator.roundId}/invites/${code}`;
		expect(await api(server, 'PATCH', path, { disabled: true }, member.body.token)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
		expect(await api(server, 'DELETE', path, undefined, member.body.token)).toMatchObject({ status: 403 });
		expect(await api(server, 'DELETE', path, undefined, other.token)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
		expect(await api(server, 'PATCH', path, { disabled: true })).toMatchObject({ status: 401 });
		expect(await api(server, 'PATCH', path, { disabled: 'yes' }, facilitator.token)).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
		// Another round's invite cannot be reached through this round.
		const foreign = await newInvite(other);
		expect(await api(server, 'PATCH', `/api/rounds/${facilitator.roundId}/invites/${foreign}`, { disabled: true }, facilitator.token)).toMatchObject({
			status: 404,
			body: { error: { code: 'unknown_invite' } }
		});
		expect((await join(other.roundId, { code: foreign, name: 'Zoé' })).status).toBe(201);
	});
});

describe('a revoked member cannot come back through a link', () => {
	it('the same device is refused with revoked, and gets no new allocation', async () => {
		const facilitator = await createRound(server);
		const code = await newInvite(facilitator);
		const joined = await join(facilitator.roundId, { code, name: 'Paul', deviceId: deviceA });
		expect(joined.status).toBe(201);
		expect((await api(server, 'DELETE', `/api/rounds/${facilitator.roundId}/members/${joined.body.memberId}`, undefined, facilitator.token)).status).toBe(200);

		const back = await join(facilitator.roundId, { code, name: 'Paolo', deviceId: deviceA });
		expect(back).toMatchObject({ status: 403, body: { error: { code: 'revoked' } } });
		const observer = await roundClient(server, facilitator).synced();
		await waitFor(() => ledger(observer).length > 0, 'ledger');
		expect(ledger(observer).filter((e) => e.type === 'allocate')).toHaveLength(2);
		observer.destroy();
	});

	it('the same name from another device is refused with revoked too', async () => {
		const facilitator = await createRound(server);
		const code = await newInvite(facilitator);
		const joined = await join(facilitator.roundId, { code, name: 'Paul' });
		await api(server, 'DELETE', `/api/rounds/${facilitator.roundId}/members/${joined.body.memberId}`, undefined, facilitator.token);
		expect(await join(facilitator.roundId, { code, name: ' PAUL ', deviceId: deviceB })).toMatchObject({ status: 403, body: { error: { code: 'revoked' } } });
	});
});

describe('one device joining twice gets its membership back', () => {
	it('same member, new token (the old one stops working), no second allocation, no use of the invite', async () => {
		const facilitator = await createRound(server);
		const code = await newInvite(facilitator, { uses: 5 });
		const first = await join(facilitator.roundId, { code, name: 'Alice', deviceId: deviceA });
		const second = await join(facilitator.roundId, { code, name: 'Alice 2', deviceId: deviceA });
		expect(first.body.rejoined).toBe(false);
		expect(second).toMatchObject({ status: 201, body: { memberId: first.body.memberId, rejoined: true } });
		expect(second.body.token).not.toBe(first.body.token);
		expect((await api(server, 'GET', `/api/rounds/${facilitator.roundId}/me`, undefined, first.body.token)).status).toBe(401);
		expect(await api(server, 'GET', `/api/rounds/${facilitator.roundId}/me`, undefined, second.body.token)).toMatchObject({
			status: 200,
			body: { memberId: first.body.memberId, name: 'Alice' }
		});
		const list = await api<{ used: number }[]>(server, 'GET', `/api/rounds/${facilitator.roundId}/invites`, undefined, facilitator.token);
		expect(list.body[0]!.used).toBe(1);
		const observer = await roundClient(server, facilitator).synced();
		await waitFor(() => ledger(observer).length > 0, 'ledger');
		expect(ledger(observer).filter((e) => e.type === 'allocate')).toHaveLength(2);
		expect(Object.keys(observer.doc.getMap('members').toJSON())).toHaveLength(2);
		observer.destroy();
	});

	it('a device id is recognised only in its own round', async () => {
		const one = await createRound(server);
		const two = await createRound(server);
		const a = await join(one.roundId, { code: await newInvite(one), name: 'Alice', deviceId: deviceB });
		const b = await join(two.roundId, { code: await newInvite(two), name: 'Alice', deviceId: deviceB });
		expect(b.body.rejoined).toBe(false);
		expect(b.body.memberId).not.toBe(a.body.memberId);
	});
});

describe('names are normalized and unique in a round', () => {
	it('an exact copy of the facilitator’s name, or one that reads the same, is name_taken', async () => {
		const facilitator = await createRound(server, { facilitatorName: 'Fatou' });
		const code = await newInvite(facilitator);
		for (const name of ['Fatou', 'fatou', ' FATOU ', 'Ｆａｔｏｕ', 'Fa\u200Dtou']) {
			expect(await join(facilitator.roundId, { code, name })).toMatchObject({ status: 409, body: { error: { code: 'name_taken' } } });
		}
		expect((await join(facilitator.roundId, { code, name: 'Fatou B.' })).status).toBe(201);
	});

	it.each([
		['bidi override', '\u202EuotaF'],
		['isolate', 'Alice\u2067'],
		['newline', 'Alice\nBob'],
		['control', 'Alice\u0000'],
		['zero-width space', 'Al\u200Bice'],
		['Hangul filler only', '\u3164\u3164'],
		['blank', '   '],
		['too long', 'a'.repeat(41)]
	])('a name with a %s is invalid_name', async (_what, name) => {
		const facilitator = await createRound(server);
		const code = await newInvite(facilitator);
		const refused = await join(facilitator.roundId, { code, name });
		expect(refused).toMatchObject({ status: 400, body: { error: { code: 'invalid_name' } } });
		const round = await api(server, 'POST', '/api/rounds', { name: 'R', currency: 'EUR', defaultAllocation: 1, facilitatorName: name });
		expect(round).toMatchObject({ status: 400, body: { error: { code: 'invalid_name' } } });
	});

	it('names are stored normalized: NFC, one space', async () => {
		const facilitator = await createRound(server, { name: '  Fête   de  quartier ' });
		const code = await newInvite(facilitator);
		const joined = await join(facilitator.roundId, { code, name: 'Jose\u0301   Luis' });
		const me = await api(server, 'GET', `/api/rounds/${facilitator.roundId}/me`, undefined, joined.body.token);
		expect(me.body).toMatchObject({ name: 'José Luis', roundName: 'Fête de quartier' });
		const round = await api(server, 'POST', '/api/rounds', { name: 'Fête\u202E', currency: 'EUR', defaultAllocation: 1, facilitatorName: 'Ana' });
		expect(round).toMatchObject({ status: 400, body: { error: { code: 'invalid_name' } } });
	});
});
