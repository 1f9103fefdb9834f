// Per-member accounting of the budgets (budgets.ts), shared by every connection of the member in
// its round, so reconnecting does not refill them. Kept in memory for the life of the process.
import { TokenBucket } from '../rate-limit.js';
import type { Budgets, Rate } from './budgets.js';

const bucket = (rate: Rate): TokenBucket => new TokenBucket(rate.burst, rate.perMinute / 60);

export class MemberQuota {
	readonly clients: TokenBucket;
	readonly comments: TokenBucket;
	readonly buckets: TokenBucket;
	/** Bytes of accepted updates this member added to the round's documents. */
	bytes = 0;
	sockets = 0;
	/** Until then (ms since epoch) the member's new sockets are refused: it exceeded a budget. */
	pausedUntil = 0;

	constructor(budgets: Budgets) {
		this.clients = bucket(budgets.clientsPerMember);
		this.comments = bucket(budgets.comments);
		this.buckets = bucket(budgets.buckets);
	}
}

export class Quotas {
	private readonly members = new Map<string, MemberQuota>();

	constructor(readonly budgets: Budgets) {}

	of(roundId: string, memberId: string): MemberQuota {
		const key = `${roundId}/${memberId}`;
		let quota = this.members.get(key);
		if (!quota) {
			quota = new MemberQuota(this.budgets);
			this.members.set(key, quota);
		}
		return quota;
	}
}
