// DESIGN §14, issue 14 item 5: Redis only carries updates between processes; losing it loses
// nothing. The cluster's Redis is killed and started again (empty, on the same port) twice while
// members keep contributing and write comments through different processes; afterwards a new edit
// crosses processes again, every process's round doc holds everything written during the outage,
// and every acknowledged command is in PostgreSQL once, seq contiguous.
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { servicesFor } from '../support/services.js';
import { clusterForFile, devicesOf, expectAllSettled, fundingRound, keepContributing, viewsOf } from './fixture.js';
import { between, mulberry32, seedFromEnv, sleep, until } from './harness.js';

const ready = await servicesFor('Multi-process tests', ['postgres', 'redis']);

const RESTARTS = 2;

describe.skipIf(!ready)('§14 Redis restarted mid-run', () => {
	const file = clusterForFile({ processes: 3, ownRedis: true, leaseTtlMs: 1500 });

	it(`§14 Redis killed and restarted ${RESTARTS} times under contributions and comments: nothing lost, nothing doubled, every process converges`, async () => {
		const seed = seedFromEnv();
		console.log(`redis restart: seed ${seed} (CLUSTER_SEED=${seed} replays the run's choices)`);
		const random = mulberry32(seed);
		const run = file();
		const redis = run.redis!;
		const round = await fundingRound(run, 6);
		const { witness, bucketId } = round;
		const devices = await devicesOf(run, round);
		const views = await viewsOf(run, round);
		type Comment = { id: string; author: string; text: string; at: number };
		const thread = (view: { doc: Y.Doc }): Y.Array<Comment> => view.doc.getMap<Y.Array<Comment>>('comments').get(bucketId)!;
		const written: string[] = [];
		const comment = (at: number): string => {
			const id = `comment_redis_${written.length + 1}`;
			thread(views[at]!).push([{ id, author: round.facilitator.memberId, text: `Note ${written.length + 1}`, at: Date.now() }]);
			written.push(id);
			return id;
		};
		const everywhere = (id: string): boolean =>
			views.every((view) =>
				thread(view)
					.toArray()
					.some((c) => c.id === id)
			);

		const flow = keepContributing(witness, devices, bucketId, mulberry32(seed ^ 0x9e3779b9));
		try {
			const before = comment(0);
			await until(() => everywhere(before), 'a comment on every process before the outage');
			for (let restart = 1; restart <= RESTARTS; restart++) {
				await redis.kill();
				const outage = between(random, 1000, 3000);
				const during = between(random, 1, 3);
				for (let i = 0; i < during; i++) {
					comment(between(random, 0, views.length - 1));
					await sleep(outage / during);
				}
				await redis.resume();
				// After the restart, fan-out between processes works again for new edits…
				const after = comment(between(random, 0, views.length - 1));
				await until(() => everywhere(after), `a comment written after restart ${restart} on every process`);
			}
		} finally {
			await flow.stop();
		}
		// …and nothing written while Redis was down is missing anywhere.
		await until(() => written.every(everywhere), 'every comment on every process');
		for (const view of views)
			expect(
				thread(view)
					.toArray()
					.map((c) => c.id)
					.sort()
			).toEqual([...written].sort());
		await expectAllSettled(run, round);
	});
});
