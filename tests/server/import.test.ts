// PROTOCOL §12 allocation import: one importAllocations command, its allocate entries in the
// ledger once, one summary receipt, whatever how often the same import id is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createRound,
	invite,
	ledger,
	memberClient,
	receiptOf,
	roundClient,
	startTestServer,
	stopTestServer,
	waitFor,
	type Client,
	type Member,
	type TestServer
} from './helpers.js';
import type { Receipt } from '../../src/lib/domain/types.js';

describe('§12 allocation import on the server', () => {
	let server: TestServer;
	let facilitator: Member;
	let alice: Member;
	let bob: Member;
	const clients: Client[] = [];

	beforeAll(async () => {
		server = await startTestServer();
		facilitator = await createRound(server);
		alice = await invite(server, facilitator, 'Alice');
		bob = await invite(server, facilitator, 'Bob');
	});
	afterAll(() => stopTestServer(server, clients));

	it('§12 import: applying twice with the same import id lands the allocations once, with one receipt', async () => {
		const doc = await memberClient(server, facilitator).synced();
		const round = await roundClient(server, facilitator).synced();
		clients.push(doc, round);
		const importId = 'import_2026_hours_contributed';
		const command = {
			id: importId,
			at: Date.now(),
			type: 'importAllocations',
			rows: [
				{ memberId: alice.memberId, amount: 2_500, mode: 'add' },
				{ memberId: bob.memberId, amount: 4_000, mode: 'set' }
			]
		};
		doc.doc.getArray('commands').push([command]);
		expect(await receiptOf(doc, importId)).toMatchObject({ ok: true });
		// Sent again (a second click, another tab): nothing more happens.
		doc.doc.getArray('commands').push([command]);
		await waitFor(() => ledger(round).filter((e) => e.commandId === importId).length === 2, 'the import in the replica');
		const again = { ...command, id: 'import_other_id_00001', rows: [{ memberId: alice.memberId, amount: 1, mode: 'add' }] };
		doc.doc.getArray('commands').push([again]);
		await receiptOf(doc, again.id);
		const entries = ledger(round).filter((e) => e.commandId === importId);
		expect(entries).toMatchObject([
			{ type: 'allocate', memberId: alice.memberId, amount: 2_500 },
			{ type: 'allocate', memberId: bob.memberId, amount: -6_000 }
		]);
		const receipts = doc.doc.getArray<Receipt>('receipts').toArray().filter((r) => r.commandId === importId);
		expect(receipts).toHaveLength(1);
		const aliceDoc = await memberClient(server, alice).synced();
		clients.push(aliceDoc);
		await waitFor(() => aliceDoc.doc.getMap('wallet').get('balance') === 12_501, 'Alice’s wallet');
	});

	it('§12 import: a member’s own import is refused (facilitators only), with nothing in the ledger', async () => {
		const doc = await memberClient(server, alice).synced();
		clients.push(doc);
		const command = { id: 'import_by_alice_0001', at: Date.now(), type: 'importAllocations', rows: [{ memberId: alice.memberId, amount: 99, mode: 'add' }] };
		doc.doc.getArray('commands').push([command]);
		expect(await receiptOf(doc, command.id)).toMatchObject({ ok: false, reason: 'not_facilitator' });
	});
});
