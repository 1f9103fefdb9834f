// The vocabulary of a round: ids, settings, commands, ledger entries, outcomes.
// Shared by the browser (optimistic preview) and the server (authoritative sequencer).

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Money in integer minor units (cents). A safe integer; never a float. */
export type Amount = Brand<number, 'Amount'>;
export type RoundId = Brand<string, 'RoundId'>;
export type MemberId = Brand<string, 'MemberId'>;
export type BucketId = Brand<string, 'BucketId'>;
export type CommandId = Brand<string, 'CommandId'>;
/** A stored file's name: the SHA-256 of its bytes, 64 lowercase hex digits. */
export type BlobHash = Brand<string, 'BlobHash'>;
export type ExpenseId = Brand<string, 'ExpenseId'>;

/** One encoded width of an uploaded image, stored as the blob `hash`. */
export interface ImageVariant {
	width: number;
	height: number;
	hash: BlobHash;
}

/**
 * An image the server stored (PROTOCOL §9): its widths, smallest first; the largest's hash names
 * it. An empty `alt` means "the bucket's title" (readers fill it in, so it follows the title).
 */
export interface ImageRef {
	alt: string;
	variants: ImageVariant[];
}

export const EXPENSE_STATUSES = ['recorded', 'approved', 'rejected', 'paid'] as const;
export type ExpenseStatus = (typeof EXPENSE_STATUSES)[number];

/** An owner's expense against a funded bucket (PROTOCOL §10). */
export interface Expense {
	id: ExpenseId;
	/** The owner who recorded it. */
	memberId: MemberId;
	label: string;
	amount: Amount;
	status: ExpenseStatus;
	receipt?: ImageRef;
	/** A facilitator's reason for rejecting it. */
	note?: string;
	/** When it was recorded (the sequencer's clock). */
	at: number;
}

export type TagId = Brand<string, 'TagId'>;
export type GuidelineId = Brand<string, 'GuidelineId'>;
/** A flag is named by the id of the `raiseFlag` command that raised it. */
export type FlagId = Brand<string, 'FlagId'>;

export const PHASES = ['proposing', 'funding', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

export const TRANSPARENCIES = ['named', 'anonymous'] as const;
export type Transparency = (typeof TRANSPARENCIES)[number];

export const ROLES = ['member', 'facilitator'] as const;
export type Role = (typeof ROLES)[number];

export const BUCKET_STATUSES = [
	'draft',
	'idea',
	'open',
	'funded',
	'completed',
	'cancelled',
	'unfunded'
] as const;
export type BucketStatus = (typeof BUCKET_STATUSES)[number];

/** The round's settings, as in the round doc's `round` map (DESIGN §2). */
export interface RoundSettings {
	name: string;
	/** ISO 4217 code, e.g. "EUR". */
	currency: string;
	/** BCP 47 tag used for formatting, e.g. "fr-FR". */
	locale: string;
	phase: Phase;
	defaultAllocation: Amount;
	maxPerMemberPerBucket: Amount | null;
	transparency: Transparency;
	requireApproval: boolean;
	/**
	 * Where the round takes place, an ISO 3166-1 alpha-2 code (e.g. "BE"), for the exports that
	 * name a country (the `.pb`, PROTOCOL §8). Absent or null: not set, the exports fall back on
	 * the locale's region. Optional so that rounds opened before it existed keep their settings.
	 */
	country?: string | null;
}

/** The settings a facilitator may change with `configure` (the phase moves with `setPhase`). */
export type Configurable = Omit<RoundSettings, 'phase'>;

/**
 * The round's optional dates (PROTOCOL §12 schedule), as UTC instants (ms since epoch), with the
 * time zone the facilitator set them in (an IANA name, for showing them again as typed).
 */
export interface Schedule {
	zone: string;
	/** From then on, drafts can no longer be published (proposals_closed). */
	proposalsClose: number | null;
	/** The server moves the round from proposing to funding. */
	fundingOpens: number | null;
	/** The server closes the round (as setPhase closed: unfunded buckets are refunded). */
	fundingCloses: number | null;
}

/** The scheduled dates the server acts on by itself, with a system `advance` command each. */
export const TRANSITIONS = ['fundingOpens', 'fundingCloses'] as const;
export type Transition = (typeof TRANSITIONS)[number];

/** One row of an allocation import, once matched to a member and parsed. */
export interface AllocationRow {
	memberId: MemberId;
	amount: Amount;
	mode: 'add' | 'set';
}

export interface BudgetItem {
	label: string;
	min: Amount;
	/** The stretch amount; null or absent means "same as min". */
	max?: Amount | null;
}

/** Fields every command carries. `at` is the author's clock (ms since epoch), informative only. */
interface CommandBase {
	id: CommandId;
	at: number;
}

/** Commands members and facilitators write in their member doc (DESIGN §3). */
export type MemberCommand =
	| (CommandBase & { type: 'contribute'; bucketId: BucketId; amount: Amount })
	| (CommandBase & { type: 'withdraw'; bucketId: BucketId; amount: Amount })
	| (CommandBase & { type: 'publish'; bucketId: BucketId })
	| (CommandBase & { type: 'addOwner'; bucketId: BucketId; memberId: MemberId })
	| (CommandBase & { type: 'complete'; bucketId: BucketId })
	| (CommandBase & { type: 'approve'; bucketId: BucketId })
	| (CommandBase & { type: 'cancel'; bucketId: BucketId })
	| (CommandBase & { type: 'allocate'; memberId: MemberId; amount: Amount; mode: 'add' | 'set' })
	| (CommandBase & { type: 'configure'; settings: Partial<Configurable> })
	| (CommandBase & { type: 'setPhase'; phase: Phase })
	| (CommandBase & { type: 'markPaid'; bucketId: BucketId })
	| (CommandBase & { type: 'schedule'; schedule: Schedule })
	| (CommandBase & { type: 'importAllocations'; rows: AllocationRow[] })
	| (CommandBase & { type: 'addImage'; bucketId: BucketId; image: ImageRef })
	| (CommandBase & { type: 'removeImage'; bucketId: BucketId; hash: BlobHash })
	| (CommandBase & { type: 'recordExpense'; bucketId: BucketId; expenseId: ExpenseId; label: string; amount: Amount; receipt?: ImageRef })
	| (CommandBase & { type: 'approveExpense'; bucketId: BucketId; expenseId: ExpenseId })
	| (CommandBase & { type: 'rejectExpense'; bucketId: BucketId; expenseId: ExpenseId; note: string })
	| (CommandBase & { type: 'payExpense'; bucketId: BucketId; expenseId: ExpenseId })
	| (CommandBase & { type: 'defineTag'; tag: Tag })
	| (CommandBase & { type: 'defineGuideline'; guideline: Guideline })
	| (CommandBase & { type: 'tagBucket'; bucketId: BucketId; tags: TagId[] })
	| (CommandBase & { type: 'raiseFlag'; bucketId: BucketId; guidelineId: GuidelineId; text: string })
	| (CommandBase & { type: 'resolveFlag'; flagId: FlagId; text: string });

/** A tag facilitators define (PROTOCOL, review flow); `colour` is one of TAG_COLOURS (review.ts). */
export interface Tag {
	id: TagId;
	name: string;
	colour: string;
}

/** A short rule proposals should follow, that a flag cites. */
export interface Guideline {
	id: GuidelineId;
	title: string;
	text: string;
}

/** A member's concern about a bucket, citing a guideline, until a facilitator resolves it. */
export interface Flag {
	id: FlagId;
	bucketId: BucketId;
	guidelineId: GuidelineId;
	text: string;
	at: number;
	/** Who raised it: absent in the round doc of an anonymous round. */
	raisedBy?: MemberId;
	resolved?: { at: number; text: string; by?: MemberId };
}

/** Tags, guidelines and flags of a round (the review flow). */
export interface Review {
	tags: Map<TagId, Tag>;
	guidelines: Map<GuidelineId, Guideline>;
	flags: Map<FlagId, Flag>;
}

/**
 * Commands only the server issues, from facts it observed: a member joined, a member added a new
 * bucket key to the round doc, a bucket's budget items changed. They go through the same reducer
 * so that every outcome is a ledger entry and a replay reproduces it.
 */
export type SystemCommand =
	| (CommandBase & { type: 'open'; settings: RoundSettings })
	| (CommandBase & { type: 'join'; memberId: MemberId })
	| (CommandBase & { type: 'create'; bucketId: BucketId; memberId: MemberId })
	| (CommandBase & { type: 'setGoals'; bucketId: BucketId; minGoal: Amount; maxGoal: Amount })
	| (CommandBase & { type: 'advance'; transition: Transition; due: number });

export type Command = MemberCommand | SystemCommand;
export type CommandType = Command['type'];

/** Who issues a command. The server resolves it from the connection's token. */
export type Actor = { kind: 'member'; memberId: MemberId; role: Role } | { kind: 'system' };

export const ENTRY_TYPES = [
	'open', // the round's initial settings (always seq 1)
	'configure', // settings changed
	'phase', // phase changed
	'allocate', // a member's money changed by `amount` (signed); joining allocates defaultAllocation
	'create', // a bucket appeared, memberId is its creator and first owner
	'owner', // memberId became an owner of bucketId
	'goals', // bucketId's minGoal/maxGoal changed (before it is funded)
	'status', // bucketId moved to `status`
	'contribute', // memberId put `amount` into bucketId
	'withdraw', // memberId took `amount` back from bucketId (bucket still open)
	'settle', // bucketId reached its minGoal: funded, goals frozen; amount = its total then
	'refund', // bucketId gave `amount` back to memberId (cancel or close)
	'paid', // a facilitator recorded that bucketId's money was paid out; amount = its total
	'schedule', // the round's dates changed (`schedule`, complete)
	'image', // memberId added `image` to bucketId
	'imageRemoved', // memberId removed the image named `hash` from bucketId
	'expense', // memberId recorded `expense` (amount = its amount) against bucketId
	'expenseStatus', // expense `expenseId` of bucketId moved to `expenseStatus` (amount = its amount)
	'tag', // a tag was defined or changed (`tag`)
	'guideline', // a guideline was defined or changed (`guideline`)
	'tags', // bucketId's tags became `tags`
	'flag', // memberId raised flag commandId on bucketId, citing guidelineId, saying `text`
	'resolve' // memberId (a facilitator) resolved flag `flagId` of bucketId, saying `text`
] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** One line of the append-only ledger (DESIGN §2, contract). */
export interface LedgerEntry {
	seq: number;
	at: number;
	type: EntryType;
	bucketId?: BucketId;
	memberId?: MemberId;
	/** Signed only for `allocate`; 0 for entries that move no money. */
	amount: Amount;
	commandId?: CommandId;
	/** `status` entries: the new status. */
	status?: BucketStatus;
	/** `phase` entries: the new phase. */
	phase?: Phase;
	/** `goals` entries. */
	minGoal?: Amount;
	maxGoal?: Amount;
	/** `open` and `configure` entries: the (changed) settings. */
	settings?: Partial<RoundSettings>;
	/** `schedule` entries: the round's dates. */
	schedule?: Schedule;
	/** `image` entries. */
	image?: ImageRef;
	/** `imageRemoved` entries: the removed image's name. */
	hash?: BlobHash;
	/** `expense` entries: what was recorded (its amount is the entry's). */
	expense?: { id: ExpenseId; label: string; receipt?: ImageRef };
	/** `expenseStatus` entries. */
	expenseId?: ExpenseId;
	expenseStatus?: ExpenseStatus;
	/** `expenseStatus` entries moving to `rejected`: why. */
	note?: string;
	/** `tag` entries. */
	tag?: Tag;
	/** `guideline` entries. */
	guideline?: Guideline;
	/** `tags` entries: the bucket's tags now. */
	tags?: TagId[];
	/** `flag` entries: the guideline cited. */
	guidelineId?: GuidelineId;
	/** `resolve` entries: the flag resolved. */
	flagId?: FlagId;
	/** `flag` and `resolve` entries: what the member wrote. */
	text?: string;
}

/** Why a command was refused, or why it was only partly accepted. */
export const REASONS = [
	'duplicate',
	'invalid',
	'unknown_member',
	'not_facilitator',
	'not_owner',
	'wrong_phase',
	'round_closed',
	'unknown_bucket',
	'bucket_exists',
	'wrong_status',
	'no_budget',
	'insufficient_balance',
	'bucket_full',
	'cap_reached',
	'nothing_to_withdraw',
	'below_spent',
	'already_owner',
	'already_member',
	'already_paid',
	'goals_below_total',
	'currency_locked',
	'cap_below_contributions',
	'stretch_below_needed',
	'goals_locked',
	'would_lock_funders',
	'transparency_locked',
	'proposals_closed',
	'schedule_order',
	'schedule_past',
	'schedule_changed',
	'not_due',
	'image_limit',
	'image_exists',
	'unknown_image',
	'expense_exists',
	'unknown_expense',
	'over_budget',
	'has_expenses',
	'unknown_tag',
	'too_many_tags',
	'too_many_guidelines',
	'unknown_guideline',
	'unknown_flag',
	'already_resolved',
	'already_flagged',
	'too_many_flags'
] as const;
export type Reason = (typeof REASONS)[number];

export type Outcome =
	| { ok: true; accepted?: Amount; partial?: Reason }
	| { ok: false; reason: Reason };

/** The server's answer to one command, in the author's member doc (DESIGN §2, contract). */
export interface Receipt {
	commandId: CommandId;
	ok: boolean;
	accepted?: Amount;
	reason?: Reason;
	/** The seq of the last ledger entry the command produced. */
	seq?: number;
	/**
	 * Only on the receipt of a bucket's refused budget change (system command `setGoals`), sent to
	 * the member whose edit of the items caused it: the bucket it concerns.
	 */
	bucketId?: BucketId;
}

export interface MemberAccount {
	/** Σ allocate entries. */
	allocated: Amount;
	/** Σ of this member's money currently in buckets (refunded money is not spent). */
	spent: Amount;
}

export interface BucketAccount {
	status: BucketStatus;
	owners: MemberId[];
	minGoal: Amount;
	maxGoal: Amount;
	total: Amount;
	settledAt?: number;
	paidAt?: number;
	/**
	 * Absent until the first one. `evolve` always assigns new arrays (never pushes nor edits an
	 * expense in place), so `cloneState`'s shallow copy of a bucket keeps a preview apart.
	 */
	images?: ImageRef[];
	expenses?: Expense[];
	/** Tags its owners gave it (defined tags only). */
	tags: TagId[];
}

/** Everything the rules need to decide a command. Derived from the ledger alone. */
export interface RoundState {
	settings: RoundSettings;
	members: Map<MemberId, MemberAccount>;
	buckets: Map<BucketId, BucketAccount>;
	/** bucketId → memberId → that member's money in the bucket. */
	contributions: Map<BucketId, Map<MemberId, Amount>>;
	/** Ids of commands that produced ledger entries. */
	applied: Set<CommandId>;
	/** Some member has put money into a bucket at least once (withdrawn or refunded since or not). */
	contributed: boolean;
	/** seq of the last entry folded in. */
	seq: number;
	/** The round's dates (null before any `schedule` entry). */
	schedule: Schedule | null;
	review: Review;
}

/** A ledger entry as `decide` produces it, before the sequencer gives it its `seq`. */
export type EntryDraft = Omit<LedgerEntry, 'seq'>;

/** What `decide` answers: the outcome for the author and the entries to append (none if refused). */
export interface Decision {
	outcome: Outcome;
	entries: EntryDraft[];
}
