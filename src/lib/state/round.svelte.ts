import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type {
	Amount,
	BucketAccount,
	BucketId,
	BucketStatus,
	BudgetItem,
	LedgerEntry,
	MemberId,
	Review,
	RoundSettings
} from '$lib/domain/types';
import { parseOutcomeSummary, type OutcomeSummary } from '$lib/domain/results';
import { emptyReview } from '$lib/domain/review';
import { replayReplica } from '$lib/domain/selectors';
import { roundRoots, type Comment, type MemberInfo } from './doc';
import { indexById, onlineMembers, reachedGoal, readBuckets, readMembers, statusesOf } from './round-read';

/** A bucket as pages show it: the owners' content joined with the server's state and comments. */
export interface BucketView extends Omit<BucketAccount, 'status'> {
	id: BucketId;
	title: string;
	summary: string;
	description: string;
	items: BudgetItem[];
	/** `pending` until the server has sequenced the bucket's creation. */
	status: BucketStatus | 'pending';
	/** When the bucket was created (ledger `create` entry); pending buckets count as newest. */
	createdAt: number;
	/** null until the server created the bucket's comment thread. */
	comments: Comment[] | null;
	/** Who has money in it, most first; empty in anonymous rounds. */
	funders: { memberId: MemberId; amount: Amount }[];
}

export interface Celebration {
	bucketId: BucketId;
	title: string;
}

const noMembers: ReadonlyMap<MemberId, MemberInfo> = new Map();

/**
 * The round document as reactive, read-only view state. Rebuilds only the parts whose root
 * changed; the ledger (append-only, possibly long) is re-read only when it grew.
 */
export class RoundView {
	settings: RoundSettings | null = $state.raw(null);
	members: ReadonlyMap<MemberId, MemberInfo> = $state.raw(noMembers);
	buckets: BucketView[] = $state.raw([]);
	ledger: readonly LedgerEntry[] = $state.raw([]);
	/** What other rules would have chosen, written by the server at close; null before, or if it does not parse. */
	outcomes: OutcomeSummary | null = $state.raw(null);
	/** Tags, guidelines and flags, from the replayed ledger replica. */
	review: Review = $state.raw(emptyReview());
	/** Members with the round open right now (awareness), without duplicates. */
	online: MemberId[] = $state.raw([]);
	/** Buckets that reached their goal while we watched; the layout shows and dismisses them. */
	celebrations: Celebration[] = $state([]);

	bucketById = $derived(indexById(this.buckets));

	#doc: Y.Doc | null = null;
	#detach: (() => void) | null = null;
	#statuses: ReadonlyMap<BucketId, BucketView['status']> = statusesOf([]);
	#replica = replayReplica([]);

	/** Shows `doc`; replaces any previously attached document (e.g. after a resync). */
	attach(doc: Y.Doc): void {
		this.detach();
		this.#doc = doc;
		const roots = roundRoots(doc);
		this.#readSettings();
		this.#readMembers();
		this.#readLedger();
		this.#readBuckets(false);
		this.#readOutcomes();
		const onRound = () => this.#readSettings();
		const onOutcomes = () => this.#readOutcomes();
		const onMembers = () => this.#readMembers();
		const onLedger = () => {
			this.#readLedger();
			this.#readBuckets(true);
		};
		const onBuckets = () => this.#readBuckets(true);
		roots.round.observe(onRound);
		roots.members.observe(onMembers);
		roots.ledger.observe(onLedger);
		roots.buckets.observeDeep(onBuckets);
		roots.bucketState.observe(onBuckets);
		roots.comments.observeDeep(onBuckets);
		roots.outcomes.observe(onOutcomes);
		this.#detach = () => {
			roots.round.unobserve(onRound);
			roots.members.unobserve(onMembers);
			roots.ledger.unobserve(onLedger);
			roots.buckets.unobserveDeep(onBuckets);
			roots.bucketState.unobserve(onBuckets);
			roots.comments.unobserveDeep(onBuckets);
			roots.outcomes.unobserve(onOutcomes);
		};
	}

	detach(): void {
		this.#detach?.();
		this.#detach = null;
		this.#doc = null;
	}

	/** Follows who is online. Each client announces `{memberId}` in its awareness state. */
	watchAwareness(awareness: Awareness, memberId: MemberId): () => void {
		awareness.setLocalStateField('memberId', memberId);
		const read = () => {
			this.online = onlineMembers(awareness);
		};
		read();
		awareness.on('change', read);
		return () => awareness.off('change', read);
	}

	dismissCelebration(bucketId: BucketId): void {
		this.celebrations = this.celebrations.filter((c) => c.bucketId !== bucketId);
	}

	memberName(memberId: string): string | undefined {
		return this.members.get(memberId as MemberId)?.name;
	}

	#readSettings(): void {
		if (!this.#doc) return;
		const round = roundRoots(this.#doc).round;
		this.settings = round.size === 0 ? null : (round.toJSON() as RoundSettings);
	}

	#readMembers(): void {
		if (!this.#doc) return;
		this.members = readMembers(this.#doc);
	}

	#readLedger(): void {
		if (!this.#doc) return;
		this.ledger = roundRoots(this.#doc).ledger.toArray();
		this.#replica = replayReplica(this.ledger);
		this.review = this.#replica.review;
	}

	#readOutcomes(): void {
		if (!this.#doc) return;
		this.outcomes = parseOutcomeSummary(roundRoots(this.#doc).outcomes.get('summary'));
	}

	#readBuckets(live: boolean): void {
		if (!this.#doc) return;
		const views = readBuckets(this.#doc, this.ledger, this.#replica);
		const reached = live ? reachedGoal(this.#statuses, views) : [];
		this.#statuses = statusesOf(views);
		this.buckets = views;
		if (reached.length > 0) this.celebrations = [...this.celebrations, ...reached];
	}
}
