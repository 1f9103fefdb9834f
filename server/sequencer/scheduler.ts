// The server's side of a round's schedule (PROTOCOL §12): at each scheduled date it submits the
// transition as a system `advance` command with its deterministic id, and at start it catches up
// on every transition that came due while it was stopped, in order. Which transitions are pending
// is read from SQLite (store.schedules: done once their id is in `commands`), so two timers, two
// servers on one database or a restart can never run one twice.
import type { Log } from '../log.js';
import type { Store } from '../store/index.js';
import type { Sequencer } from './index.js';

/** Time as the scheduler sees it; tests give their own. */
export interface Clock {
	now(): number;
	/** Calls `fn` in about `ms`; the returned function cancels it. Must not keep the process alive. */
	after(ms: number, fn: () => void): () => void;
}

/** Longest delay one timer may wait (setTimeout's limit, about 24.8 days): further dates re-arm. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** A due transition whose turn failed to commit is tried again after this long. */
export const RETRY_MS = 5_000;

export const systemClock: Clock = {
	now: () => Date.now(),
	after(ms, fn) {
		const timer = setTimeout(fn, ms);
		timer.unref();
		return () => clearTimeout(timer);
	}
};

export class Scheduler {
	private cancel: (() => void) | undefined;
	private closed = false;

	constructor(
		private readonly store: Store,
		private readonly sequencer: Sequencer,
		private readonly log: Log,
		private readonly clock: Clock = systemClock
	) {}

	/** Runs every transition that is due, then waits for the next one. Call at start and on a timer. */
	check(): void {
		if (this.closed) return;
		this.cancel?.();
		this.cancel = undefined;
		const now = this.clock.now();
		const due = this.store.schedules.pending().filter((item) => item.due <= now);
		for (const item of due) this.sequencer.submitAdvance(item.roundId, item.transition, item.due);
		if (due.length > 0) {
			this.sequencer.flush();
			this.log('info', 'scheduled transitions run', { count: due.length, late: now - due[0]!.due });
		}
		const pending = this.store.schedules.pending();
		const stuck = pending.some((item) => item.due <= now);
		if (stuck) this.log('warn', 'scheduled transition not committed, retrying', { retryMs: RETRY_MS });
		const next = pending.find((item) => item.due > now);
		const wait = stuck ? RETRY_MS : next && Math.min(next.due - now, MAX_TIMER_MS);
		if (wait !== undefined) this.cancel = this.clock.after(wait, () => this.check());
	}

	/** A round's schedule changed (called while its turn commits): looked at again once the turn is over. */
	changed(): void {
		if (this.closed) return;
		this.cancel?.();
		this.cancel = this.clock.after(0, () => this.check());
	}

	close(): void {
		this.closed = true;
		this.cancel?.();
		this.cancel = undefined;
	}
}
