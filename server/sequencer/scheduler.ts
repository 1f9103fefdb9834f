// The server's side of a round's schedule (PROTOCOL §12): at each scheduled date it submits the
// transition as a system `advance` command with its deterministic id, and at start it catches up
// on every transition that came due while it was stopped, in order. Which transitions are pending
// is read from the store (store.schedules: done once their id is in `commands`), so two timers, two
// servers on one database or a restart can never run one twice.
import type { Log } from '../log.js';
import type { Store } from '../store/index.js';
import type { Sequencer } from './index.js';

/** Time as the scheduler sees it; tests give their own. */
export interface Clock {
	now(): number;
	/**
	 * Calls `fn` in about `ms`; the returned function cancels it. Must not keep the process alive.
	 * `fn` may answer a promise (a check), which never rejects; a test clock may wait for it.
	 */
	after(ms: number, fn: () => void | Promise<void>): () => void;
}

/** Longest delay one timer may wait (setTimeout's limit, about 24.8 days): further dates re-arm. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** A due transition whose turn failed to commit, or a store that failed to answer, is tried again after this long. */
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
	/** The check under way, if any; a check asked for meanwhile runs once after it, within this promise. */
	private running: Promise<void> | undefined;
	private again = false;

	constructor(
		private readonly store: Store,
		private readonly sequencer: Sequencer,
		private readonly log: Log,
		private readonly clock: Clock = systemClock
	) {}

	/**
	 * Runs every transition that is due, then waits for the next one. Call at start and on a timer.
	 * Never rejects (a failing store is logged and tried again after RETRY_MS); never two at once.
	 */
	check(): Promise<void> {
		if (this.closed) return Promise.resolve();
		if (this.running) {
			this.again = true;
			return this.running;
		}
		this.running = this.loop();
		return this.running;
	}

	/**
	 * A round's schedule changed (called when its turn commits): looked at again once the turn is
	 * over, or right after the check under way, which may have read the schedules before the change.
	 */
	changed(): void {
		if (this.closed) return;
		if (this.running) {
			this.again = true;
			return;
		}
		this.arm(0);
	}

	close(): void {
		this.closed = true;
		this.arm(undefined);
	}

	/** Checks until none was asked for meanwhile. `running` is cleared in the step that sees none, so none is lost. */
	private async loop(): Promise<void> {
		try {
			do {
				this.again = false;
				await this.once();
			} while (this.again && !this.closed);
		} finally {
			this.running = undefined;
		}
	}

	private async once(): Promise<void> {
		this.arm(undefined);
		let wait: number | undefined;
		try {
			wait = await this.runDue();
		} catch (error) {
			this.log('error', 'scheduled transitions could not be checked, retrying', { error: String(error), retryMs: RETRY_MS });
			wait = RETRY_MS;
		}
		if (!this.closed) this.arm(wait);
	}

	/** The one timer: replaced by each check (a timer armed meanwhile would be a second one). */
	private arm(wait: number | undefined): void {
		this.cancel?.();
		this.cancel = wait === undefined ? undefined : this.clock.after(wait, () => this.check());
	}

	/** Submits what is due and waits for its commit: how long until the next look, if there is one to take. */
	private async runDue(): Promise<number | undefined> {
		const now = this.clock.now();
		const due = (await this.store.schedules.pending()).filter((item) => item.due <= now);
		for (const item of due) this.sequencer.submitAdvance(item.roundId, item.transition, item.due);
		if (due.length > 0) {
			await this.sequencer.flush();
			this.log('info', 'scheduled transitions run', { count: due.length, late: now - due[0]!.due });
		}
		const pending = await this.store.schedules.pending();
		const stuck = pending.some((item) => item.due <= now);
		if (stuck) this.log('warn', 'scheduled transition not committed, retrying', { retryMs: RETRY_MS });
		const next = pending.find((item) => item.due > now);
		return stuck ? RETRY_MS : next && Math.min(next.due - now, MAX_TIMER_MS);
	}
}
