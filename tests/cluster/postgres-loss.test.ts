// DESIGN §14, issue 14 item 5: losing PostgreSQL gives clear errors and never an acknowledgment
// without a commit. The processes reach PostgreSQL only through a relay of the test's own; their
// sessions are ended from the server side (pg_terminate_backend), then the relay is cut outright
// (connections reset, new ones refused) and stalled (no byte moves, nothing closes, as with a
// pulled cable), under continuous contributions. While it is cut, /api/health answers 503, the
// API answers 503 store_unavailable, and no command sent during the cut is receipted; afterwards
// every command is receipted and in PostgreSQL once, seq contiguous.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { POSTGRES_ADMIN_URL, servicesFor } from '../support/services.js';
import type { Member } from '../server/helpers.js';
import { clusterForFile, devicesOf, expectAllSettled, fundingRound, keepContributing, type ClusterRun } from './fixture.js';
import { between, databaseName, mulberry32, seedFromEnv, sleep, terminateBackends, until, type ServerProcess } from './harness.js';

const ready = await servicesFor('Multi-process tests', ['postgres', 'redis']);

/** One HTTP answer, or 'no answer' when none came within two seconds (a stalled store may hold a request). */
async function ask(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown } | 'no answer'> {
	try {
		const response = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
		const text = await response.text();
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			body = text;
		}
		return { status: response.status, body };
	} catch {
		return 'no answer';
	}
}

const health = (process: ServerProcess) => ask(`${process.url}/api/health`);
const newInvite = (process: ServerProcess, facilitator: Member) =>
	ask(`${process.url}/api/rounds/${facilitator.roundId}/invites`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${facilitator.token}` },
		body: JSON.stringify({ role: 'member' })
	});

async function everyHealth(run: ClusterRun, status: number, what: string): Promise<void> {
	let last: string[] = [];
	await until(async () => {
		const answers = await Promise.all(run.cluster.processes.map(health));
		last = answers.map((answer, i) => `${run.cluster.processes[i]!.nodeId}: ${answer === 'no answer' ? answer : answer.status}`);
		return answers.every((answer) => answer !== 'no answer' && answer.status === status);
	}, what).catch((error: Error) => {
		throw new Error(`${error.message} (last answers: ${last.join(', ')})`);
	});
}

describe.skipIf(!ready)('§14 PostgreSQL lost', () => {
	const file = clusterForFile({ processes: 2, relay: true, leaseTtlMs: 1500 });

	it('§14 every session of the cluster ended by pg_terminate_backend, three times under contributions: no receipt before its commit, every command once', async () => {
		const seed = seedFromEnv();
		console.log(`pg_terminate_backend: seed ${seed} (CLUSTER_SEED=${seed} replays the run's choices)`);
		const random = mulberry32(seed);
		const run = file();
		const round = await fundingRound(run, 4);
		const devices = await devicesOf(run, round);
		expect(run.relay!.accepted, 'the processes reach PostgreSQL through the relay').toBeGreaterThan(0);
		const flow = keepContributing(round.witness, devices, round.bucketId, mulberry32(seed ^ 0x9e3779b9));
		try {
			for (let time = 1; time <= 3; time++) {
				const live = performance.now();
				await until(() => round.witness.seenAfter(live).length > 0, `receipts before termination ${time}`);
				await sleep(between(random, 0, 500));
				expect(await terminateBackends(POSTGRES_ADMIN_URL, databaseName(run.databaseUrl)), 'sessions ended').toBeGreaterThan(0);
			}
			const recovered = performance.now();
			await until(() => round.witness.seenAfter(recovered).length > 0, 'receipts after the last termination');
		} finally {
			await flow.stop();
		}
		await everyHealth(run, 200, 'health 200 on every process after the terminations');
		await expectAllSettled(run, round);
	});

	it.each(['reset', 'stall'] as const)(
		'§14 PostgreSQL out of reach (relay %s): health 503, the API store_unavailable, no receipt for a command sent during the cut; all receipted once after',
		async (mode) => {
			const seed = seedFromEnv();
			console.log(`relay ${mode}: seed ${seed} (CLUSTER_SEED=${seed} replays the run's choices)`);
			const random = mulberry32(seed);
			const run = file();
			const round = await fundingRound(run, 4);
			const devices = await devicesOf(run, round);
			const flow = keepContributing(round.witness, devices, round.bucketId, mulberry32(seed ^ 0x9e3779b9));
			let cutAt = 0;
			let restoredAt = 0;
			try {
				const live = performance.now();
				await until(() => round.witness.seenAfter(live).length > 0, 'receipts before the cut');
				run.relay!.cut(mode);
				cutAt = performance.now();
				await everyHealth(run, 503, `health 503 on every process while PostgreSQL is cut (${mode})`);
				for (const process of run.cluster.processes) {
					const answer = await newInvite(process, round.facilitator);
					expect(answer, `an invite through ${process.nodeId} while PostgreSQL is cut`).toMatchObject({
						status: 503,
						body: { error: { code: 'store_unavailable', message: expect.stringMatching(/\S/) } }
					});
				}
				await sleep(between(random, 1000, 3000));
				restoredAt = performance.now();
				run.relay!.restore();
				await everyHealth(run, 200, `health 200 on every process once PostgreSQL is back (${mode})`);
				const back = performance.now();
				await until(() => round.witness.seenAfter(back).length > 0, 'receipts after the cut');
			} finally {
				run.relay!.restore();
				await flow.stop();
			}
			const duringCut = round.witness.seenAfter(cutAt).filter((seen) => seen.at < restoredAt);
			expect(
				duringCut.map((seen) => seen.receipt.commandId),
				'receipts of commands sent during the cut, seen before it ended'
			).toEqual([]);
			const sentDuringCut = [...round.witness.sent.values()].filter((sent) => sent.at > cutAt && sent.at < restoredAt);
			expect(sentDuringCut.length, 'commands sent during the cut').toBeGreaterThan(0);
			await expectAllSettled(run, round);
		}
	);
});
