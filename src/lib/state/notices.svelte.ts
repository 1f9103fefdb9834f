import type { BucketId, MemberCommand, Reason, Receipt } from '$lib/domain/types';

/** Something the member should be told, in words chosen at display time (language may change). */
export type NoticeBody =
	/** The server answered one of our commands. `offline`: it was written, or still waiting, while the device was offline. */
	| { kind: 'receipt'; command: MemberCommand; receipt: Receipt; offline: boolean }
	/** The server refused a change made on this device; our copy of the room was replaced. */
	| { kind: 'dropped'; room: 'round' | 'member'; commands: MemberCommand[]; code: RefusalCode }
	/** The server refused the budget this member last wrote into a bucket's items; its goals did not move. */
	| { kind: 'budget'; bucketId: BucketId; reason: Reason }
	| { kind: 'unknownRoom' }
	/** The server asked this device to wait (too fast, too many sockets); nothing was dropped. */
	| { kind: 'slowDown'; code: SlowDownCode };

/** Closes that refuse a change (the device's copy is replaced), each told in its own words. */
export const REFUSAL_CODES = [4403, 4413, 1009, 4420, 4421, 4422, 4424] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];
/** Closes that only ask the device to wait (4429 is retried without a word: nothing was refused). */
export const SLOW_DOWN_CODES = [4423, 4425] as const;
export type SlowDownCode = (typeof SLOW_DOWN_CODES)[number];

export type Notice = NoticeBody & { id: number };

/** Good news fades after this long; problems stay until dismissed. */
export const GOOD_NEWS_MS = 6_000;

/** A receipt that did all that was asked. */
export function isGoodNews(body: NoticeBody): boolean {
	if (body.kind !== 'receipt' || !body.receipt.ok) return false;
	const asked = 'amount' in body.command ? body.command.amount : 0;
	return (body.receipt.accepted ?? asked) >= asked;
}

/** The list of notices shown (and announced to screen readers) by the layout. */
export class Notices {
	list: Notice[] = $state([]);
	#next = 1;
	readonly #later: (ms: number, run: () => void) => void;

	/** `later` schedules the fading of good news (`setTimeout` in the browser). */
	constructor(later: (ms: number, run: () => void) => void = (ms, run) => void setTimeout(run, ms)) {
		this.#later = later;
	}

	push(body: NoticeBody): number {
		const id = this.#next++;
		this.list = [...this.list, { ...body, id }];
		if (isGoodNews(body)) this.#later(GOOD_NEWS_MS, () => this.dismiss(id));
		return id;
	}

	dismiss(id: number): void {
		this.list = this.list.filter((n) => n.id !== id);
	}
}
