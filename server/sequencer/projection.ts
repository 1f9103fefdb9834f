// Writes the sequencer's committed outcomes into the Yjs documents (with the server origin):
// the round doc's replicas (round, members, bucketState, ledger, comment arrays) and each member
// doc's receipts and wallet. Values are only written when they differ, so docs do not grow
// with no-op rewrites.
import * as Y from 'yjs';
import { SCHEMA_VERSION, type MemberRoot, type RoundRoot } from '../../src/lib/domain/document.js';
import { visibleEntry } from '../../src/lib/domain/visibility.js';
import { NOTIFICATIONS_KEPT, type Notification, type NotificationDraft } from '../../src/lib/domain/notifications.js';
import { balance } from '../../src/lib/domain/reducer.js';
import { summarizeOutcomes } from '../../src/lib/domain/results.js';
import type { BucketId, LedgerEntry, MemberId, Receipt, RoundState } from '../../src/lib/domain/types.js';
import type { MemberRow } from '../store/index.js';
import type { Room } from '../sync/index.js';

// Roots are named by the document schema (src/lib/domain/document.ts), the one place that declares them.
const roundMap = <T = unknown>(room: Room, root: RoundRoot) => room.doc.getMap<T>(root);
const roundArray = <T>(room: Room, root: RoundRoot) => room.doc.getArray<T>(root);
const memberMap = (room: Room, root: MemberRoot) => room.doc.getMap(root);
const memberArray = <T>(room: Room, root: MemberRoot) => room.doc.getArray<T>(root);

/** The ledger replica's copy of an entry: in anonymous rounds, money moves and flags carry no memberId. */
export function replicaEntry(state: RoundState, entry: LedgerEntry): LedgerEntry {
	return visibleEntry(state.settings.transparency, entry);
}

function setIfChanged(map: Y.Map<unknown>, key: string, value: unknown): void {
	if (JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, value);
}

export function bucketStateValue(state: RoundState, bucketId: BucketId): Record<string, unknown> | undefined {
	const account = state.buckets.get(bucketId);
	if (!account) return undefined;
	return { ...account, owners: [...account.owners] };
}

/** The layout version readers can check (`meta.schemaVersion`). */
export function writeSchemaVersion(room: Room): void {
	setIfChanged(roundMap(room, 'meta'), 'schemaVersion', SCHEMA_VERSION);
}

export function writeSettings(room: Room, state: RoundState): void {
	const map = roundMap(room, 'round');
	for (const [key, value] of Object.entries(state.settings)) setIfChanged(map, key, value);
}

/**
 * Once the round is closed, what greedy-by-support and Equal Shares would have chosen (computed
 * from the full ledger, published without any ballot); nothing before, so that the funding phase
 * costs no such computation.
 */
export function writeOutcomes(room: Room, state: RoundState, ledger: readonly LedgerEntry[]): void {
	if (state.settings.phase !== 'closed') return;
	setIfChanged(roundMap(room, 'outcomes'), 'summary', summarizeOutcomes(ledger));
}

export function writeBucket(room: Room, state: RoundState, bucketId: BucketId): void {
	const value = bucketStateValue(state, bucketId);
	if (value) setIfChanged(roundMap(room, 'bucketState'), bucketId, value);
	const comments = roundMap<Y.Array<unknown>>(room, 'comments');
	if (!comments.has(bucketId)) comments.set(bucketId, new Y.Array());
}

export function writeMember(room: Room, member: MemberRow): void {
	setIfChanged(roundMap(room, 'members'), member.id, { name: member.name, role: member.role, active: member.active });
}

/** Appends entries the replica does not have yet (a room loaded meanwhile may already hold them). */
export function appendLedger(room: Room, state: RoundState, entries: LedgerEntry[]): void {
	const replica = roundArray<LedgerEntry>(room, 'ledger');
	const last = replica.length > 0 ? (replica.get(replica.length - 1)?.seq ?? 0) : 0;
	const missing = entries.filter((entry) => entry.seq > last);
	if (missing.length > 0) replica.push(missing.map((entry) => replicaEntry(state, entry)));
}

/**
 * Makes the ledger replica equal to the authoritative ledger. Returns what it had to do, so that
 * the caller can log a disagreement (normally 'none').
 */
export function repairLedger(
	room: Room,
	state: RoundState,
	ledger: LedgerEntry[]
): 'none' | 'filled' | 'appended' | 'rebuilt' {
	const replica = roundArray<LedgerEntry>(room, 'ledger');
	const actual = replica.toArray();
	// Field by field, not through JSON.stringify: at load this runs over the whole ledger.
	const prefix = actual.length <= ledger.length && actual.every((entry, i) => sameJson(entry, replicaEntry(state, ledger[i]!)));
	if (prefix && actual.length === ledger.length) return 'none';
	if (prefix) {
		appendLedger(room, state, ledger.slice(actual.length));
		return actual.length === 0 ? 'filled' : 'appended';
	}
	replica.delete(0, replica.length);
	appendLedger(room, state, ledger);
	return 'rebuilt';
}

/** Deep equality of JSON values, where a key holding undefined counts as absent (as in JSON). */
function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value, i) => sameJson(value, b[i]));
	const left = a as Record<string, unknown>;
	const right = b as Record<string, unknown>;
	for (const key in left) if (!sameJson(left[key], right[key])) return false;
	for (const key in right) if (!(key in left) && right[key] !== undefined) return false;
	return true;
}

export interface Wallet {
	allocated: number;
	spent: number;
	balance: number;
	contributions: Record<string, number>;
}

export function walletOf(state: RoundState, memberId: MemberId): Wallet {
	const account = state.members.get(memberId);
	const contributions: Record<string, number> = {};
	for (const [bucketId, byMember] of state.contributions) {
		const amount = byMember.get(memberId);
		if (amount) contributions[bucketId] = amount;
	}
	return {
		allocated: account?.allocated ?? 0,
		spent: account?.spent ?? 0,
		balance: balance(state, memberId),
		contributions
	};
}

export function writeWallet(room: Room, wallet: Wallet): void {
	const map = memberMap(room, 'wallet');
	for (const [key, value] of Object.entries(wallet)) setIfChanged(map, key, value);
}

export function appendReceipts(room: Room, receipts: Receipt[]): void {
	if (receipts.length > 0) memberArray<Receipt>(room, 'receipts').push(receipts);
}

/**
 * Appends notifications numbered after the last one, then drops the oldest beyond
 * NOTIFICATIONS_KEPT, so that a member doc stays small however long the round.
 */
export function appendNotifications(room: Room, drafts: readonly NotificationDraft[]): void {
	if (drafts.length === 0) return;
	const list = memberArray<Notification>(room, 'notifications');
	const last = list.length > 0 ? (list.get(list.length - 1)?.n ?? 0) : 0;
	list.push(drafts.map((draft, i) => ({ ...draft, n: last + i + 1 })));
	if (list.length > NOTIFICATIONS_KEPT) list.delete(0, list.length - NOTIFICATIONS_KEPT);
}
