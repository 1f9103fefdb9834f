import * as Y from 'yjs';
import type { BucketAccount, BudgetItem, LedgerEntry, MemberCommand, Receipt, Role } from '$lib/domain/types';

/**
 * Typed access to the roots of the two documents (DESIGN §2 and the protocol decisions).
 * Only this file knows the root names.
 */
export interface MemberInfo {
	name: string;
	role: Role;
	active: boolean;
}
export interface Comment {
	id: string;
	author: string;
	text: string;
	at: number;
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
	ledger: doc.getArray<LedgerEntry>('ledger')
});

export const memberRoots = (doc: Y.Doc) => ({
	commands: doc.getArray<MemberCommand>('commands'),
	receipts: doc.getArray<Receipt>('receipts'),
	wallet: doc.getMap<unknown>('wallet')
});

/** Budget items as stored: plain objects in a Y.Array. */
export function readItems(bucket: Y.Map<unknown>): BudgetItem[] {
	const items = bucket.get('items');
	return items instanceof Y.Array ? (items.toArray() as BudgetItem[]) : [];
}

export function readText(bucket: Y.Map<unknown>, key: string): string {
	const value = bucket.get(key);
	if (value instanceof Y.Text) return value.toString();
	return typeof value === 'string' ? value : '';
}
