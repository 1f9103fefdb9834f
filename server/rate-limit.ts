// A token bucket: `capacity` events at once, refilled at `perSecond`.
export class TokenBucket {
	private tokens: number;
	private last: number;

	constructor(
		private readonly capacity: number,
		private readonly perSecond: number,
		private readonly now: () => number = Date.now
	) {
		this.tokens = capacity;
		this.last = now();
	}

	take(count = 1): boolean {
		this.refill();
		if (this.tokens < count) return false;
		this.tokens -= count;
		return true;
	}

	/** Whole events available right now. */
	available(): number {
		this.refill();
		return Math.floor(this.tokens);
	}

	private refill(): void {
		const now = this.now();
		this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
		this.last = now;
	}
}

/** One bucket per key (e.g. client IP), forgetting keys idle for a while so the map stays small. */
export class KeyedRateLimit {
	private readonly buckets = new Map<string, { bucket: TokenBucket; seen: number }>();

	constructor(
		private readonly capacity: number,
		private readonly perSecond: number
	) {}

	take(key: string): boolean {
		const now = Date.now();
		if (this.buckets.size > 10_000) {
			for (const [k, entry] of this.buckets) if (now - entry.seen > 600_000) this.buckets.delete(k);
		}
		const entry = this.buckets.get(key) ?? { bucket: new TokenBucket(this.capacity, this.perSecond), seen: now };
		entry.seen = now;
		this.buckets.set(key, entry);
		return entry.bucket.take();
	}
}
