// A round as large as a cooperative's annual meeting makes it, built through the real server
// (HTTP API and stock y-websocket clients, as the benchmarks do) so that the browser tests start
// from 200 open buckets and a long feed without clicking through them one by one.
import type * as Y from 'yjs';
import { BenchClient, commandId, createBucket, joinMembers, memberRoom, when, type Member } from '../../bench/server-clients';

export interface BigRound {
	roundId: string;
	titles: string[];
	bucketIds: string[];
	/** The bucket that received the last gift. */
	lastGift: string;
}

/** Commands pushed in one transaction (one sync message): the guard's rate limit counts messages. */
const BATCH = 20;

export async function commands(base: string, member: Member, list: Record<string, unknown>[]): Promise<void> {
	const client = new BenchClient(base, memberRoom(member), member.token, false);
	try {
		await client.synced();
		const receipts = client.doc.getArray<{ ok: boolean; reason?: string }>('receipts');
		const queue = client.doc.getArray('commands');
		for (let i = 0; i < list.length; i += BATCH) {
			const batch = list.slice(i, i + BATCH).map((command) => ({ id: commandId(), at: Date.now(), ...command }));
			client.doc.transact(() => queue.push(batch));
			await when(client.doc, () => receipts.length >= Math.min(i + BATCH, list.length), `receipts ${i + batch.length}`, 60_000);
		}
		const refused = receipts.toArray().filter((r) => !r.ok);
		if (refused.length > 0) throw new Error(`refused: ${refused.map((r) => r.reason).join(', ')}`);
	} finally {
		client.destroy();
	}
}

/**
 * Adds `count` published buckets (goals from €20 to €300, every third with a stretch) to the
 * facilitator's round, opens funding, then has `gifts` contributions made by three new members,
 * spread over the buckets. Resolves once the server has accepted every command.
 */
export async function bigRound(base: string, facilitator: Member, options: { count: number; gifts: number }): Promise<BigRound> {
	const round = new BenchClient(base, facilitator.roundId, facilitator.token, false);
	const titles = Array.from({ length: options.count }, (_, i) => `Project ${String(i + 1).padStart(3, '0')}`);
	const bucketIds = titles.map((_, i) => `big_${i}_${Date.now().toString(36)}`);
	let lastGift = '';
	try {
		await round.synced();
		for (let i = 0; i < options.count; i += BATCH) {
			round.doc.transact(() => {
				for (let k = i; k < Math.min(i + BATCH, options.count); k++) {
					const min = 2000 + (k % 15) * 2000;
					createBucket(round.doc, bucketIds[k] as string, [{ label: 'Everything', min, max: k % 3 === 0 ? min * 2 : null }], titles[k]);
				}
			});
		}
		const state = round.doc.getMap<Record<string, unknown>>('bucketState') as Y.Map<Record<string, unknown>>;
		await when(round.doc, () => bucketIds.every((id) => state.get(id)?.minGoal !== undefined), 'every bucket created', 60_000);
		await commands(base, facilitator, [...bucketIds.map((bucketId) => ({ type: 'publish', bucketId })), { type: 'setPhase', phase: 'funding' }]);
		const members = await joinMembers(base, facilitator, 3);
		for (const [index, member] of members.entries()) {
			const mine = Array.from({ length: Math.ceil(options.gifts / members.length) }, (_, g) => g * members.length + index).filter((g) => g < options.gifts);
			const gifts = mine.map((g) => ({ type: 'contribute', bucketId: bucketIds[(g * 7) % options.count] as string, amount: 500 + g * 100 }));
			await commands(base, member, gifts);
			lastGift = gifts.at(-1)?.bucketId ?? lastGift;
		}
	} finally {
		round.destroy();
	}
	return { roundId: facilitator.roundId, titles, bucketIds, lastGift };
}
