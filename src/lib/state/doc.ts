import * as Y from 'yjs';
import { readItems as parseItems, type Comment } from '$lib/domain/document';
import type { BucketAccount, BudgetItem, LedgerEntry, MemberCommand, Receipt, Role } from '$lib/domain/types';

export type { Comment } from '$lib/domain/document';

/**
 * Typed access to the roots of the two documents (DESIGN §2; the schema is src/lib/domain/document.ts).
 * The types say what the server writes; what members write is read through the schema's parsers.
 */
export interface MemberInfo {
	name: string;
	role: Role;
	active: boolean;
}
export interface WalletData {
	allocated: number;
	spent: number;
	balance: number;
	contributions: Record<string, number>;
}

export const roundRoots = (doc: Y.Doc) => ({
	round: doc.getMap<unknown>('round'),
	members: doc.getMap<MemberInfo>('members'),
	buckets: doc.getMap<Y.Map<unknown>>('buckets'),
	bucketState: doc.getMap<BucketAccount>('bucketState'),
	comments: doc.getMap<Y.Array<Comment>>('comments'),
	ledger: doc.getArray<LedgerEntry>('ledger'),
	outcomes: doc.getMap<unknown>('outcomes')
});

export const memberRoots = (doc: Y.Doc) => ({
	commands: doc.getArray<MemberCommand>('commands'),
	receipts: doc.getArray<Receipt>('receipts'),
	wallet: doc.getMap<unknown>('wallet'),
	notifications: doc.getArray<unknown>('notifications'),
	seen: doc.getMap<unknown>('seen')
});

/** Budget items as stored (plain objects in a Y.Array), those that parse. */
export function readItems(bucket: unknown): BudgetItem[] {
	const items = bucket instanceof Y.Map ? bucket.get('items') : undefined;
	return items instanceof Y.Array ? parseItems(items.toArray()) : [];
}

export function readText(bucket: unknown, key: string): string {
	const value = bucket instanceof Y.Map ? bucket.get(key) : undefined;
	if (value instanceof Y.Text) return value.toString();
	return typeof value === 'string' ? value : '';
}
