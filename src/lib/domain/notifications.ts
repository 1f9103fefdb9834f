// What the server tells each member about a round (DESIGN §12): the `notifications` root of the
// member's own doc. Who is told what is decided here, PURE, from the ledger entries a turn produced
// and the state after them; the server writes the result after the commit, with the receipts.
// A notification never names who moved money: "your bucket got €20", never by whom (anonymous
// rounds stay anonymous, and named rounds show funders on the bucket page anyway).
import { isId } from './id.js';
import { PHASES, BUCKET_STATUSES, type Amount, type BucketId, type BucketStatus, type LedgerEntry, type MemberId, type Phase, type RoundState } from './types.js';

export const NOTIFICATION_KINDS = [
	'allocated', // your money changed by `amount` (signed)
	'received', // your bucket got `amount` (the sum of the turn's contributions, no names)
	'funded', // your bucket reached its goal
	'comment', // someone else commented on your bucket
	'flag', // a flag was raised on your bucket
	'resolved', // a flag on your bucket, or one you raised, was resolved
	'refunded', // a bucket you funded gave you `amount` back; `status` says why (cancelled, unfunded)
	'phase' // the round moved to `phase`
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** How many notifications a member doc keeps: the server drops the oldest beyond. */
export const NOTIFICATIONS_KEPT = 50;

export interface Notification {
	/** 1, 2, 3… per member doc: the read marker (`seen.notifications`) is the last one read. */
	n: number;
	at: number;
	kind: NotificationKind;
	bucketId?: BucketId;
	amount?: Amount;
	phase?: Phase;
	status?: BucketStatus;
}

export type NotificationDraft = Omit<Notification, 'n'>;

/** member → what to tell it, in order. */
export type Outbox = Map<MemberId, NotificationDraft[]>;

function tell(outbox: Outbox, memberId: MemberId, draft: NotificationDraft): void {
	const list = outbox.get(memberId) ?? [];
	list.push(draft);
	outbox.set(memberId, list);
}

function owners(state: RoundState, bucketId: BucketId | undefined): readonly MemberId[] {
	return (bucketId && state.buckets.get(bucketId)?.owners) || [];
}

/**
 * The notifications `entries` (one turn's, in ledger order) call for, given the state after them.
 * Contributions to one bucket in one turn are told as one sum; nobody is told about their own act.
 */
export function notificationsOf(state: RoundState, entries: readonly LedgerEntry[], outbox: Outbox = new Map()): Outbox {
	const received = new Map<string, NotificationDraft>();
	for (const entry of entries) {
		const { bucketId, memberId, at } = entry;
		switch (entry.type) {
			case 'allocate':
				if (memberId && entry.amount !== 0) tell(outbox, memberId, { at, kind: 'allocated', amount: entry.amount });
				break;
			case 'contribute':
				for (const owner of owners(state, bucketId)) {
					if (owner === memberId) continue;
					const key = `${owner}/${bucketId}`;
					const sum = received.get(key);
					if (sum) sum.amount = ((sum.amount ?? 0) + entry.amount) as Amount;
					else {
						const draft: NotificationDraft = { at, kind: 'received', bucketId, amount: entry.amount };
						received.set(key, draft);
						tell(outbox, owner, draft);
					}
				}
				break;
			case 'settle':
				for (const owner of owners(state, bucketId)) tell(outbox, owner, { at, kind: 'funded', bucketId });
				break;
			case 'refund': {
				const status = bucketId && state.buckets.get(bucketId)?.status;
				if (memberId) tell(outbox, memberId, { at, kind: 'refunded', bucketId, amount: entry.amount, ...(status ? { status } : {}) });
				break;
			}
			case 'flag':
				for (const owner of owners(state, bucketId)) if (owner !== memberId) tell(outbox, owner, { at, kind: 'flag', bucketId });
				break;
			case 'resolve': {
				const flag = entry.flagId && state.review.flags.get(entry.flagId);
				const told = new Set<MemberId>(owners(state, bucketId));
				if (flag && flag.raisedBy) told.add(flag.raisedBy);
				for (const member of told) if (member !== memberId) tell(outbox, member, { at, kind: 'resolved', bucketId });
				break;
			}
			case 'phase':
				if (entry.phase) for (const member of state.members.keys()) tell(outbox, member, { at, kind: 'phase', phase: entry.phase });
				break;
		}
	}
	return outbox;
}

/** A comment by `author` on `bucketId`: its owners but the author are told. */
export function commentNotifications(state: RoundState, bucketId: BucketId, author: string, at: number, outbox: Outbox = new Map()): Outbox {
	for (const owner of owners(state, bucketId)) if (owner !== author) tell(outbox, owner, { at, kind: 'comment', bucketId });
	return outbox;
}

function isNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value);
}

/** A notification as a page reads it (the server writes them; a reader still drops what it cannot show). */
export function parseNotification(value: unknown): Notification | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const { n, at, kind, bucketId, amount, phase, status } = value as Record<string, unknown>;
	if (!isNumber(n) || !isNumber(at) || !(NOTIFICATION_KINDS as readonly unknown[]).includes(kind)) return undefined;
	if (bucketId !== undefined && !isId(bucketId)) return undefined;
	if (amount !== undefined && !isNumber(amount)) return undefined;
	if (phase !== undefined && !(PHASES as readonly unknown[]).includes(phase)) return undefined;
	if (status !== undefined && !(BUCKET_STATUSES as readonly unknown[]).includes(status)) return undefined;
	return { n, at, kind: kind as NotificationKind, bucketId: bucketId as BucketId | undefined, amount: amount as Amount | undefined, phase: phase as Phase | undefined, status: status as BucketStatus | undefined };
}

/** How many of `notifications` come after the read marker. */
export function unreadCount(notifications: readonly Notification[], seen: number): number {
	return notifications.filter((notification) => notification.n > seen).length;
}
