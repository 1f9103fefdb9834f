// The shared documents' schema, declared once (DESIGN §11): the roots of the round doc and of a
// member doc, who writes each (the writer table, as data), and a parse function for every value a
// member may write. The server's guard checks inserted values with these, the server's projection
// writes the roots named here, and the browser reads through the same parsers and drops what does
// not parse. Value kinds are described abstractly ('string', 'text', 'items'); the guard maps them
// to Yjs types, so this module stays free of Yjs.
import { isId } from './id.js';
import { EXPENSE_STATUSES, type Amount, type BudgetItem, type CommandId, type Expense, type ImageRef, type ImageVariant } from './types.js';

/** Bumped when the layout below changes in a way a reader must know about; the server writes it to `meta`. */
export const SCHEMA_VERSION = 1;

/**
 * Who may write under a root:
 * - `server`: nobody else, ever;
 * - `bucket-owners`: a new key by any member (its creator), an existing key's content by its owners;
 * - `own-comments`: members append their own comments to arrays the server created, delete only theirs;
 * - `member`: the member whose document it is, appending plain values only;
 * - `member-marks`: the member whose document it is, setting the declared keys (SEEN_FIELDS) to values that parse.
 */
export type Writer = 'server' | 'bucket-owners' | 'own-comments' | 'member' | 'member-marks';

export const ROUND_ROOTS = {
	meta: { type: 'map', writer: 'server' },
	round: { type: 'map', writer: 'server' },
	members: { type: 'map', writer: 'server' },
	buckets: { type: 'map', writer: 'bucket-owners' },
	bucketState: { type: 'map', writer: 'server' },
	comments: { type: 'map', writer: 'own-comments' },
	ledger: { type: 'array', writer: 'server' },
	outcomes: { type: 'map', writer: 'server' }
} as const satisfies Record<string, { type: 'map' | 'array'; writer: Writer }>;

export const MEMBER_ROOTS = {
	commands: { type: 'array', writer: 'member' },
	receipts: { type: 'array', writer: 'server' },
	wallet: { type: 'map', writer: 'server' },
	notifications: { type: 'array', writer: 'server' },
	seen: { type: 'map', writer: 'member-marks' }
} as const satisfies Record<string, { type: 'map' | 'array'; writer: Writer }>;

export type RoundRoot = keyof typeof ROUND_ROOTS;
export type MemberRoot = keyof typeof MEMBER_ROOTS;
export type DocKind = 'round' | 'member';

/** The writer of `root` in a document of `kind`; undefined for a root the schema does not declare. */
export function writerOf(kind: DocKind, root: string): Writer | undefined {
	const roots: Record<string, { writer: Writer }> = kind === 'round' ? ROUND_ROOTS : MEMBER_ROOTS;
	return Object.hasOwn(roots, root) ? roots[root]!.writer : undefined;
}

/**
 * The fields of a bucket's content map (`buckets[bucketId]`): `string` is a plain string value,
 * `text` a collaborative text, `items` an array of budget items. `required` fields may be replaced
 * but never deleted, so that a bucket's content cannot disappear under its funders.
 */
export const BUCKET_FIELDS = {
	title: { kind: 'string', max: 200, required: true },
	summary: { kind: 'string', max: 500, required: false },
	description: { kind: 'text', max: 20_000, required: true },
	items: { kind: 'items', max: 100, required: true }
} as const satisfies Record<string, { kind: 'string' | 'text' | 'items'; max: number; required: boolean }>;

export type BucketField = keyof typeof BUCKET_FIELDS;

export function bucketField(key: string | null): (typeof BUCKET_FIELDS)[BucketField] | undefined {
	return key !== null && Object.hasOwn(BUCKET_FIELDS, key) ? BUCKET_FIELDS[key as BucketField] : undefined;
}

export const ITEM_LABEL_MAX = 200;
export const COMMENT_TEXT_MAX = 10_000;

/**
 * Every reason the server gives for refusing a write or closing a connection (the WebSocket close
 * reason is the code, then `: ` and a sentence for people). One enum, documented in PROTOCOL.md.
 */
export const CLOSE_REASONS = [
	// 4403: the write guard
	'server_root', // a root (or a key of one) only the server writes
	'unknown_root', // a root the schema does not declare
	'bucket_id', // a bucket key that is not an id
	'unknown_bucket', // content of a bucket nobody created, or a new bucket that is not a map
	'not_owner', // content of a bucket the writer does not own
	'bucket_shape', // a bucket value that is not a map, or a field of the wrong kind
	'bucket_field', // a field the schema does not declare, or too long
	'bucket_item', // a budget item that does not parse, or too many
	'bucket_deleted', // a bucket key deleted or replaced (cancelling is a command)
	'field_deleted', // a required field deleted without a replacement
	'comment_shape', // a comment that does not parse (id, author = writer, text, numeric at)
	'comment_duplicate', // a comment id already in that thread, or twice in the update
	'comment_foreign', // deleting another member's comment
	'thread', // creating, replacing or deleting a whole comment thread
	'other_member_doc', // writing another member's document
	'command_shape', // a command that is not a plain JSON object directly in `commands`
	'append_only', // deleting a command
	'seen_shape', // a key of `seen` the schema does not declare, or a value that does not parse
	'client_taken', // a Yjs clientID bound to another member
	'missing_dependency', // an update that depends on structs the server does not have
	'malformed', // an update or a message that does not decode
	// other close codes
	'bad_token', // 4401
	'unknown_room', // 4404
	'too_big', // 4413 / 1009
	'too_many', // 4429
	'shutdown', // 1001
	'server_error' // 1011
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: CloseReason };

const fail = (reason: CloseReason) => ({ ok: false, reason }) as const;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAmount(value: unknown): value is Amount {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A plain string field of a bucket (`title`, `summary`). */
export function parseBucketString(field: BucketField, value: unknown): ParseResult<string> {
	const spec = BUCKET_FIELDS[field];
	if (spec.kind !== 'string' || typeof value !== 'string') return fail('bucket_shape');
	return value.length <= spec.max ? { ok: true, value } : fail('bucket_field');
}

/**
 * One budget item `{label, min, max}`; `max` null or absent means "same as min". A `max` below `min`
 * parses: that is a money rule, judged by the sequencer, which tells the owner (`stretch_below_needed`).
 */
export function parseBudgetItem(value: unknown): ParseResult<BudgetItem> {
	if (!isRecord(value)) return fail('bucket_item');
	const { label, min, max } = value;
	if (typeof label !== 'string' || label.length > ITEM_LABEL_MAX || !isAmount(min)) return fail('bucket_item');
	if (max !== undefined && max !== null && !isAmount(max)) return fail('bucket_item');
	return { ok: true, value: { label, min, max: max ?? null } };
}

export interface Comment {
	id: string;
	author: string;
	text: string;
	/** The author's clock, ms since epoch (informative). */
	at: number;
}

/** A comment as stored in `comments[bucketId]`; with `writer`, also checks that it is the writer's. */
export function parseComment(value: unknown, writer?: string): ParseResult<Comment> {
	if (!isRecord(value)) return fail('comment_shape');
	const { id, author, text, at } = value;
	if (!isId(id) || !isId(author) || typeof text !== 'string' || text.length > COMMENT_TEXT_MAX) return fail('comment_shape');
	if (typeof at !== 'number' || !Number.isFinite(at)) return fail('comment_shape');
	if (writer !== undefined && author !== writer) return fail('comment_shape');
	return { ok: true, value: { id, author, text, at } };
}

/**
 * A thread as a page shows it: comments that parse, each id once (the first wins). Nothing a
 * member wrote can make a reader throw.
 */
export function readThread(values: Iterable<unknown>): Comment[] {
	const seen = new Set<string>();
	const thread: Comment[] = [];
	for (const value of values) {
		const parsed = parseComment(value);
		if (!parsed.ok || seen.has(parsed.value.id)) continue;
		seen.add(parsed.value.id);
		thread.push(parsed.value);
	}
	return thread;
}

/** Budget items as a page shows them: those that parse. */
export function readItems(values: Iterable<unknown>): BudgetItem[] {
	const items: BudgetItem[] = [];
	for (const value of values) {
		const parsed = parseBudgetItem(value);
		if (parsed.ok) items.push(parsed.value);
	}
	return items;
}

const HASH = /^[0-9a-f]{64}$/;
const isPixels = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;

/** An image reference as the server wrote it in `bucketState` (PROTOCOL §9), or undefined. */
export function parseImageRef(value: unknown): ImageRef | undefined {
	if (!isRecord(value) || typeof value.alt !== 'string' || !Array.isArray(value.variants)) return undefined;
	const variants: ImageVariant[] = [];
	for (const v of value.variants as unknown[]) {
		if (!isRecord(v) || !isPixels(v.width) || !isPixels(v.height) || typeof v.hash !== 'string' || !HASH.test(v.hash)) return undefined;
		variants.push({ width: v.width, height: v.height, hash: v.hash as ImageVariant['hash'] });
	}
	return variants.length > 0 ? { alt: value.alt, variants } : undefined;
}

/** A bucket's images as a page shows them: those that parse. */
export function readImages(value: unknown): ImageRef[] {
	return Array.isArray(value) ? value.flatMap((image) => parseImageRef(image) ?? []) : [];
}

/** A bucket's expenses as a page shows them (PROTOCOL §10): those that parse. */
export function readExpenses(value: unknown): Expense[] {
	if (!Array.isArray(value)) return [];
	return value.flatMap((e: unknown): Expense[] => {
		if (!isRecord(e) || !isId(e.id) || !isId(e.memberId) || typeof e.label !== 'string' || !isAmount(e.amount)) return [];
		if (!EXPENSE_STATUSES.includes(e.status as Expense['status']) || typeof e.at !== 'number') return [];
		const receipt = parseImageRef(e.receipt);
		const expense: Expense = { id: e.id as Expense['id'], memberId: e.memberId as Expense['memberId'], label: e.label, amount: e.amount, status: e.status as Expense['status'], at: e.at };
		if (receipt) expense.receipt = receipt;
		if (typeof e.note === 'string') expense.note = e.note;
		return [expense];
	});
}

/**
 * A value appended to `commands`, before the command schema judges it (the sequencer does, and
 * answers `invalid`): a plain object with an id. The guard accepts any plain JSON value there, so
 * that the author gets a receipt; a value without an id is skipped by the sequencer.
 */
export function parseRawCommand(value: unknown): ParseResult<{ id: CommandId; raw: Record<string, unknown> }> {
	if (!isRecord(value) || !isId(value.id)) return fail('command_shape');
	return { ok: true, value: { id: value.id as CommandId, raw: value } };
}

/**
 * The member's own marks in its member doc (`seen`): `notifications` is the `n` of the last
 * notification it read (a safe integer ≥ 0). Any other key is refused.
 */
export const SEEN_FIELDS = ['notifications'] as const;
export type SeenField = (typeof SEEN_FIELDS)[number];

export function parseSeenMark(key: string | null, value: unknown): ParseResult<number> {
	if (key === null || !(SEEN_FIELDS as readonly string[]).includes(key)) return fail('seen_shape');
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? { ok: true, value } : fail('seen_shape');
}

/** The read marker as a page reads it: 0 when absent or garbled. */
export function readSeenMark(value: unknown): number {
	const parsed = parseSeenMark('notifications', value);
	return parsed.ok ? parsed.value : 0;
}

/** Builds a close reason for the wire: the code, then a sentence (the whole kept under 120 bytes). */
export function closeReason(code: CloseReason, message: string): string {
	return `${code}: ${message}`.slice(0, 120);
}

/** The code at the start of a close reason, if it is one of ours. */
export function reasonCode(reason: string): CloseReason | undefined {
	const code = reason.split(':', 1)[0];
	return (CLOSE_REASONS as readonly string[]).includes(code ?? '') ? (code as CloseReason) : undefined;
}
