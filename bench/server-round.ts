// A round ready for money commands (phase `funding`, one open bucket whose goal nobody reaches),
// and members that send commands through their member doc and time their receipts.
import { performance } from 'node:perf_hooks';
import type * as Y from 'yjs';
import type { Receipt } from '../src/lib/domain/types.js';
import { BenchClient, commandId, createBucket, createRound, joinMembers, memberRoom, when, type Member } from './server-clients.js';

/** Every member's money: enough for any number of 1-cent contributions the benchmarks make. */
const ALLOCATION = 1_000_000_000;
const GOAL = 1_000_000_000_000;

export interface FundingRound {
	facilitator: Member;
	members: Member[];
	bucketId: string;
}

/** A member doc client that sends commands and records, for each receipt, the time since its command was sent. */
export class Sender {
	readonly client: BenchClient;
	readonly latencies: number[] = [];
	accepted = 0;
	refused = 0;
	private readonly sent = new Map<string, number>();
	private readonly receipts: Y.Array<Receipt>;

	constructor(base: string, member: Member) {
		this.client = new BenchClient(base, memberRoom(member), member.token);
		this.receipts = this.client.doc.getArray<Receipt>('receipts');
		this.receipts.observe((event) => {
			const now = performance.now();
			for (const change of event.changes.delta) {
				for (const receipt of (change.insert as Receipt[] | undefined) ?? []) this.received(receipt, now);
			}
		});
	}

	get receipted(): number {
		return this.accepted + this.refused;
	}

	send(command: Record<string, unknown>): string {
		const id = commandId();
		this.sent.set(id, performance.now());
		this.client.doc.getArray('commands').push([{ id, at: Date.now(), ...command }]);
		return id;
	}

	/** Resolves once `count` of the commands sent through this sender have a receipt. */
	until(count: number, timeoutMs = 120_000): Promise<void> {
		return when(this.client.doc, () => this.receipted >= count, `${count} receipts`, timeoutMs);
	}

	private received(receipt: Receipt, at: number): void {
		const sentAt = this.sent.get(receipt.commandId);
		if (sentAt === undefined) return;
		this.sent.delete(receipt.commandId);
		this.latencies.push(at - sentAt);
		if (receipt.ok) this.accepted += 1;
		else this.refused += 1;
	}
}

/** Senders for these members, each synced. */
export async function senders(base: string, members: Member[]): Promise<Sender[]> {
	const opened = members.map((member) => new Sender(base, member));
	await Promise.all(opened.map((sender) => sender.client.synced()));
	return opened;
}

/** Creates a round with `memberCount` members besides the facilitator, one published bucket, phase `funding`. */
export async function fundingRound(base: string, memberCount: number): Promise<FundingRound> {
	const facilitator = await createRound(base, ALLOCATION);
	const members = await joinMembers(base, facilitator, memberCount);
	const round = new BenchClient(base, facilitator.roundId, facilitator.token);
	const [own] = await senders(base, [facilitator]);
	await round.synced();
	const bucketId = `bench_bucket_${Date.now().toString(36)}`;
	createBucket(round.doc, bucketId, [{ label: 'Everything', min: GOAL, max: null }]);
	const state = (): Record<string, unknown> | undefined => round.doc.getMap<Record<string, unknown>>('bucketState').get(bucketId);
	await when(round.doc, () => state()?.minGoal === GOAL, 'the bucket and its goal');
	own!.send({ type: 'publish', bucketId });
	own!.send({ type: 'setPhase', phase: 'funding' });
	await own!.until(2);
	if (own!.accepted !== 2) throw new Error('could not publish the bucket or open the funding phase');
	await when(round.doc, () => state()?.status === 'open', 'the open bucket');
	own!.client.destroy();
	round.destroy();
	return { facilitator, members, bucketId };
}
