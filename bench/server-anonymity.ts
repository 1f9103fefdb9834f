// Anonymous rounds: how long after a member's presence reappears does its offline contribution
// show in the ledger? Without a delay the gap is a few ms and a watcher attributes the entry; the
// server applies an offline batch after a random delay in [0, anonymousBatchDelayMs].
// `npm run bench:anonymity -- --trials=20 --delay=0,3000`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../server/app.js';
import { silentLog } from '../server/log.js';
import { BenchClient, api, commandId, createBucket, joinMembers, memberRoom, roundRoom, when, type Member } from './server-clients.js';
import { machine, ms, number, numbers, percentile, row, table } from './server-report.js';

async function command(client: BenchClient, body: Record<string, unknown>): Promise<void> {
	const id = commandId();
	client.doc.getArray('commands').push([{ id, at: Date.now(), ...body }]);
	const receipts = client.doc.getArray<{ commandId: string }>('receipts');
	await when(client.doc, () => receipts.toArray().some((r) => r.commandId === id), `receipt of ${body.type}`);
}

async function gaps(delayMs: number, trials: number): Promise<number[]> {
	const dataDir = mkdtempSync(join(tmpdir(), 'tirelire-anon-'));
	const server = await startServer({
		port: 0,
		host: '127.0.0.1',
		dataDir,
		staticDir: join(dataDir, 'none'),
		log: silentLog,
		budgets: { anonymousBatchDelayMs: delayMs }
	});
	const base = server.url;
	try {
		const facilitator = await api<Member>(base, 'POST', '/api/rounds', {
			name: 'Anonyme',
			currency: 'EUR',
			defaultAllocation: 1_000_000,
			facilitatorName: 'Fatou',
			transparency: 'anonymous'
		});
		const [member] = await joinMembers(base, facilitator, 1);
		const watcher = new BenchClient(base, roundRoom(facilitator), facilitator.token);
		const facDoc = new BenchClient(base, memberRoom(facilitator), facilitator.token);
		await Promise.all([watcher.synced(), facDoc.synced()]);
		const bucketId = `bkt_anon_${Date.now().toString(36)}`;
		createBucket(watcher.doc, bucketId, [{ label: 'Pain', min: 100_000_000, max: null }]);
		await when(watcher.doc, () => watcher.doc.getMap('bucketState').has(bucketId), 'bucket');
		await command(facDoc, { type: 'publish', bucketId });
		await command(facDoc, { type: 'setPhase', phase: 'funding' });

		const presence = new BenchClient(base, roundRoom(member!), member!.token);
		const wallet = new BenchClient(base, memberRoom(member!), member!.token);
		await Promise.all([presence.synced(), wallet.synced()]);
		presence.provider.awareness.setLocalStateField('memberId', member!.memberId);
		const clientId = presence.doc.clientID;
		const ledger = watcher.doc.getArray('ledger');
		const result: number[] = [];
		for (let trial = 0; trial < trials; trial++) {
			presence.provider.disconnect();
			wallet.provider.disconnect();
			await new Promise<void>((resolve) => {
				const gone = (): void => {
					if (watcher.provider.awareness.getStates().has(clientId)) return;
					watcher.provider.awareness.off('change', gone);
					resolve();
				};
				watcher.provider.awareness.on('change', gone);
				gone();
			});
			wallet.doc.getArray('commands').push([{ id: commandId(), at: Date.now(), type: 'contribute', bucketId, amount: 1 }]);
			const entries = ledger.length;
			let seenAt = Number.NaN;
			const appeared = (): void => {
				if (Number.isNaN(seenAt) && watcher.provider.awareness.getStates().has(clientId)) seenAt = performance.now();
			};
			watcher.provider.awareness.on('change', appeared);
			// As the web app does on reconnection: a new clock, which receivers do not ignore.
			presence.provider.awareness.setLocalStateField('memberId', member!.memberId);
			presence.provider.connect();
			wallet.provider.connect();
			await when(watcher.doc, () => ledger.length > entries, 'ledger entry', delayMs + 30_000);
			const entryAt = performance.now();
			await new Promise<void>((resolve) => {
				const check = (): void => {
					appeared();
					if (Number.isNaN(seenAt)) return;
					watcher.provider.awareness.off('change', check);
					resolve();
				};
				watcher.provider.awareness.on('change', check);
				check();
			});
			watcher.provider.awareness.off('change', appeared);
			result.push(entryAt - seenAt);
		}
		for (const client of [watcher, facDoc, presence, wallet]) client.destroy();
		return result;
	} finally {
		await server.close();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

const trials = number('trials', 20);
console.log(machine());
table(['anonymousBatchDelayMs', 'trials', 'min ms', 'p10', 'p50', 'p90', 'max ms', 'entry before presence']);
for (const delay of numbers('delay', [1, 3_000]).map((d) => (d === 1 ? 0 : d))) {
	const values = await gaps(delay, trials);
	row([delay, trials, ms(Math.min(...values)), ms(percentile(values, 10)), ms(percentile(values, 50)), ms(percentile(values, 90)), ms(Math.max(...values)), values.filter((v) => v < 0).length]);
}
process.exit(0);
