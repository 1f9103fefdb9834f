// The write guard (DESIGN §4): every incoming update is checked against the writer table before it
// is applied. Rules depend only on identity (never on phase or money), so an honest offline client
// is never refused; the sequencer decides outcomes.
import * as Y from 'yjs';
import {
	bucketField,
	closeReason,
	parseBucketString,
	parseBudgetItem,
	parseComment,
	parseRawCommand,
	parseSeenMark,
	writerOf,
	type BucketField,
	type CloseReason
} from '../../src/lib/domain/document.js';
import { isId } from '../../src/lib/domain/schemas.js';
import { Missing, Resolver, Unresolvable, type Location } from './resolve.js';

export interface GuardContext {
	/** The member who sent the update. */
	writer: string;
	/** Round doc, or the member doc of `owner`. */
	doc: { kind: 'round' } | { kind: 'member'; owner: string };
	/** Owners of a bucket the server knows (state owners and its recorded creator); undefined if unknown. */
	bucketOwners(bucketId: string): readonly string[] | undefined;
	/** Who first used this Yjs clientID in the round ('server' for the server's own). */
	clientOwner(clientId: number): string | undefined;
	/**
	 * Stop at the first struct beyond these budgets, before resolving the rest (an update from
	 * thousands of fresh clientIDs costs Yjs seconds to apply; it is refused for the cost of reading it).
	 */
	limits?: { newClients: number; structs: number };
}

/** Why an update was not accepted: a rule, a budget of the sync layer, or dependencies the server lacks yet. */
export type Refused =
	| { ok: false; reason: string; kind: 'refused' }
	| { ok: false; reason: string; kind: 'budget'; budget: 'clients' | 'structs' }
	| { ok: false; reason: string; kind: 'missing'; needs: Y.ID };

export type Verdict =
	| {
			ok: true;
			/** Buckets whose content the update changes (creation included). */
			touchedBuckets: Set<string>;
			/** New bucket keys this update creates; the writer becomes their creator. */
			newBuckets: Set<string>;
			/** clientIDs this update introduces, to bind to the writer. */
			clients: Set<number>;
			/** False when every struct and deletion is already in the document. */
			changes: boolean;
			/** Comments the update adds (their thread and id; each id is new in its thread). */
			comments: { bucketId: string; id: string }[];
	  }
	| Refused;

class Refusal extends Error {
	constructor(code: CloseReason, message: string) {
		super(closeReason(code, message));
	}
}

class OverBudget extends Error {
	constructor(readonly budget: 'clients' | 'structs') {
		super(budget === 'clients' ? 'too many new clientIDs in one update' : 'too many structs in one update');
	}
}

export function checkUpdate(doc: Y.Doc, update: Uint8Array, context: GuardContext): Verdict {
	try {
		return check(doc, update, context);
	} catch (error) {
		if (error instanceof Refusal) return { ok: false, kind: 'refused', reason: error.message };
		if (error instanceof OverBudget) return { ok: false, kind: 'budget', budget: error.budget, reason: error.message };
		if (error instanceof Missing) return { ok: false, kind: 'missing', needs: error.needs, reason: closeReason('missing_dependency', error.message) };
		if (error instanceof Unresolvable) return { ok: false, kind: 'refused', reason: closeReason('missing_dependency', error.message) };
		return { ok: false, kind: 'refused', reason: closeReason('malformed', 'malformed update') };
	}
}

function check(doc: Y.Doc, update: Uint8Array, context: GuardContext): Verdict {
	const { structs, ds } = Y.decodeUpdate(update);
	const resolver = new Resolver(doc, structs);
	const verdict = { ok: true as const, touchedBuckets: new Set<string>(), newBuckets: new Set<string>(), clients: new Set<number>(), changes: false, comments: [] as { bucketId: string; id: string }[] };
	const rules = context.doc.kind === 'round' ? new RoundRules(doc, context, verdict) : new MemberRules(context);

	let previousClient: number | undefined;
	const seenClients = new Set<number>();
	let expected = 0;
	const limits = context.limits ?? { newClients: Infinity, structs: Infinity };
	// Structs and the JSON values they carry: one update of `[{}, {}, …]` is one struct of many values.
	let weight = 0;
	for (const struct of structs) {
		weight += struct instanceof Y.Item && struct.content instanceof Y.ContentAny ? struct.content.arr.length : 1;
		if (weight > limits.structs) throw new OverBudget('structs');
	}
	for (const struct of structs) {
		const client = struct.id.client;
		if (client !== previousClient) {
			if (seenClients.has(client)) throw new Refusal('malformed', 'client listed twice');
			seenClients.add(client);
			previousClient = client;
			expected = resolver.docState(client);
		}
		const end = struct.id.clock + struct.length;
		if (end <= expected) continue; // already in the document: yjs ignores it
		if (struct.id.clock > expected || struct instanceof Y.Skip) throw new Missing('depends on a missing struct', Y.createID(client, expected));
		expected = end;
		verdict.changes = true;
		const owner = context.clientOwner(client);
		if (owner !== undefined && owner !== context.writer) throw new Refusal('client_taken', `clientID ${client} belongs to another writer`);
		if (owner === undefined) verdict.clients.add(client);
		if (verdict.clients.size > limits.newClients) throw new OverBudget('clients');
		if (struct instanceof Y.Item) {
			const location = resolver.locate(struct);
			if (location) rules.insert(location, struct);
		}
	}

	for (const [client, ranges] of ds.clients) {
		for (const range of ranges) {
			for (const item of resolver.deletedItems(client, range.clock, range.len)) {
				const location = resolver.locate(item);
				if (!location) continue;
				verdict.changes = true;
				rules.remove(location, item);
			}
		}
	}
	rules.finish();
	const target = context.doc;
	if (verdict.changes && target.kind === 'member' && target.owner !== context.writer) {
		throw new Refusal('other_member_doc', "another member's document");
	}
	return verdict;
}

interface Rules {
	insert(at: Location, item: Y.Item): void;
	remove(at: Location, item: Y.Item): void;
	/** After every struct and deletion: checks that need the whole update. */
	finish(): void;
}

/** The values an item inserts; a deleted item (ContentDeleted) inserts none. */
function values(item: Y.Item): unknown[] | undefined {
	if (item.content instanceof Y.ContentDeleted) return [];
	return item.content instanceof Y.ContentAny ? item.content.arr : undefined;
}

/** How many elements (array values, text characters) an item adds to its parent. */
function size(item: Y.Item): number {
	return item.content instanceof Y.ContentDeleted ? 0 : item.length;
}

function refuseRoot(kind: 'round' | 'member', root: string): Refusal {
	return writerOf(kind, root) === undefined
		? new Refusal('unknown_root', `unknown root ${root}`)
		: new Refusal('server_root', `${root} is written by the server`);
}

/**
 * Round doc (the writer table of src/lib/domain/document.ts): `buckets` for owners (a new key makes
 * its writer the owner), own comments in `comments`; the rest is the server's. Inserted values
 * must parse as the schema declares. A bucket key is never deleted nor replaced (cancelling is a
 * command) and its required fields are replaced, never deleted: what funders see cannot disappear.
 */
class RoundRules implements Rules {
	/** `bucketId/field` → elements the update adds (negative: removes), for the length limits. */
	private readonly growth = new Map<string, number>();
	/** `bucketId/field` of map entries this update writes, and of those it deletes. */
	private readonly written = new Set<string>();
	private readonly deleted = new Set<string>();
	/** Comment ids per thread: the server's and this update's. */
	private readonly threadIds = new Map<string, Set<string>>();

	constructor(
		private readonly doc: Y.Doc,
		private readonly context: GuardContext,
		private readonly verdict: { touchedBuckets: Set<string>; newBuckets: Set<string>; comments: { bucketId: string; id: string }[] }
	) {}

	insert(at: Location, item: Y.Item): void {
		if (at.root === 'buckets') {
			this.bucketWrite(at, item);
			return this.bucketValue(at, item);
		}
		if (at.root === 'comments') return this.commentInsert(at, item);
		throw refuseRoot('round', at.root);
	}

	remove(at: Location, item: Y.Item): void {
		if (at.root === 'buckets') {
			this.bucketWrite(at, undefined);
			return this.bucketRemove(at, item);
		}
		if (at.root === 'comments') return this.commentRemove(at, item);
		throw refuseRoot('round', at.root);
	}

	finish(): void {
		for (const key of this.deleted) {
			const field = bucketField(key.slice(key.indexOf('/') + 1));
			if (field?.required && !this.written.has(key)) throw new Refusal('field_deleted', `deletes ${key}`);
		}
		for (const [key, added] of this.growth) {
			const [bucketId, name] = key.split('/') as [string, BucketField];
			if (added > 0 && this.currentLength(bucketId, name) + added > bucketField(name)!.max) {
				throw new Refusal('bucket_field', `${name} is too long`);
			}
		}
	}

	private bucketWrite(at: Location, inserted: Y.Item | undefined): void {
		const bucketId = at.path.length > 0 ? at.path[0] : at.sub;
		if (typeof bucketId !== 'string' || !isId(bucketId)) throw new Refusal('bucket_id', 'invalid bucket id');
		this.verdict.touchedBuckets.add(bucketId);
		if (this.verdict.newBuckets.has(bucketId)) return;
		const owners = this.context.bucketOwners(bucketId);
		if (owners === undefined) {
			const isBucketMap = inserted && at.path.length === 0 && inserted.content instanceof Y.ContentType;
			if (!isBucketMap) throw new Refusal('unknown_bucket', 'unknown bucket');
			this.verdict.newBuckets.add(bucketId);
			return;
		}
		if (!owners.includes(this.context.writer)) throw new Refusal('not_owner', "writes another member's bucket");
	}

	/** The inserted value has the kind the schema declares at its place. */
	private bucketValue(at: Location, item: Y.Item): void {
		const content = item.content;
		if (at.path.length === 0) {
			// A new key (bucketWrite refused it otherwise): the bucket's content map.
			if (!this.verdict.newBuckets.has(at.sub ?? '') || this.context.bucketOwners(at.sub ?? '') !== undefined) {
				throw new Refusal('bucket_deleted', 'replaces a bucket');
			}
			if (!(content instanceof Y.ContentType && content.type instanceof Y.Map)) throw new Refusal('bucket_shape', 'a bucket is a map');
			return;
		}
		const bucketId = at.path[0] as string;
		if (at.path.length === 1) {
			const name = at.sub;
			const field = bucketField(name);
			if (!field) throw new Refusal('bucket_field', `unknown bucket field ${String(name)}`);
			this.written.add(`${bucketId}/${name}`);
			if (content instanceof Y.ContentDeleted) return;
			if (field.kind === 'string') {
				const value = values(item);
				const parsed = value?.length === 1 ? parseBucketString(name as BucketField, value[0]) : undefined;
				if (!parsed?.ok) throw new Refusal(parsed?.reason ?? 'bucket_shape', `${name} must be a string of at most ${field.max}`);
				return;
			}
			const type = content instanceof Y.ContentType ? content.type : undefined;
			const expected = field.kind === 'text' ? type instanceof Y.Text : type instanceof Y.Array;
			if (!expected) throw new Refusal('bucket_shape', `${name} must be a ${field.kind === 'text' ? 'text' : 'list of items'}`);
			// A new type arrives empty; what it holds comes as items inside it, checked below.
			this.grow(bucketId, name as BucketField, 0);
			return;
		}
		const name = at.path[1];
		const field = bucketField(name ?? null);
		if (at.path.length !== 2 || at.sub !== null || !field || field.kind === 'string') {
			throw new Refusal('bucket_shape', 'nested value in a bucket');
		}
		if (field.kind === 'text') {
			if (!(content instanceof Y.ContentString || content instanceof Y.ContentDeleted)) {
				throw new Refusal('bucket_shape', `${name} holds plain text only`);
			}
		} else {
			const list = values(item);
			if (!list || !list.every((value) => parseBudgetItem(value).ok)) throw new Refusal('bucket_item', 'a budget item is {label, min, max}');
		}
		this.grow(bucketId, name as BucketField, size(item));
	}

	private bucketRemove(at: Location, item: Y.Item): void {
		if (at.path.length === 0) throw new Refusal('bucket_deleted', 'a bucket is never deleted (cancel it)');
		const bucketId = at.path[0] as string;
		if (at.path.length === 1) {
			this.deleted.add(`${bucketId}/${at.sub}`);
			return;
		}
		const field = bucketField(at.path[1] ?? null);
		if (field && !(item.content instanceof Y.ContentDeleted)) this.grow(bucketId, at.path[1] as BucketField, -item.length);
	}

	private grow(bucketId: string, field: BucketField, by: number): void {
		const key = `${bucketId}/${field}`;
		this.growth.set(key, (this.growth.get(key) ?? 0) + by);
	}

	/** Length of a bucket's text or item list in the server's document (0 if it has none yet). */
	private currentLength(bucketId: string, field: BucketField): number {
		const bucket = this.doc.getMap('buckets').get(bucketId);
		const value = bucket instanceof Y.Map ? bucket.get(field) : undefined;
		return value instanceof Y.Text || value instanceof Y.Array ? value.length : 0;
	}

	private commentInsert(at: Location, item: Y.Item): void {
		if (at.path.length !== 1 || at.sub !== null) throw new Refusal('thread', 'comment threads are created by the server');
		const list = values(item);
		if (!list) throw new Refusal('comment_shape', 'a comment is {id, author: you, text, at}');
		const bucketId = at.path[0] as string;
		const ids = this.threadIdsOf(bucketId);
		for (const value of list) {
			const parsed = parseComment(value, this.context.writer);
			if (!parsed.ok) throw new Refusal(parsed.reason, 'a comment is {id, author: you, text, at: number}');
			if (ids.has(parsed.value.id)) throw new Refusal('comment_duplicate', 'a comment id is used once in a thread');
			ids.add(parsed.value.id);
			this.verdict.comments.push({ bucketId, id: parsed.value.id });
		}
	}

	private commentRemove(at: Location, item: Y.Item): void {
		if (at.path.length !== 1) throw new Refusal('thread', 'a comment thread is never deleted');
		const list = values(item);
		if (!list?.every((value) => parseComment(value, this.context.writer).ok)) {
			throw new Refusal('comment_foreign', "deletes another member's comment");
		}
	}

	private threadIdsOf(bucketId: string): Set<string> {
		let ids = this.threadIds.get(bucketId);
		if (!ids) {
			const thread = this.doc.getMap('comments').get(bucketId);
			ids = new Set();
			if (thread instanceof Y.Array) {
				for (const value of thread.toArray()) {
					if (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string') ids.add((value as { id: string }).id);
				}
			}
			this.threadIds.set(bucketId, ids);
		}
		return ids;
	}
}

/**
 * Member doc: only its member, only appending plain command objects directly to `commands` and
 * setting its read marks in `seen` (a declared key, a value that parses).
 */
class MemberRules implements Rules {
	constructor(private readonly context: GuardContext) {}

	insert(at: Location, item: Y.Item): void {
		const doc = this.context.doc;
		if (doc.kind !== 'member' || doc.owner !== this.context.writer) throw new Refusal('other_member_doc', "another member's document");
		if (at.root === 'seen') return this.mark(at, item);
		if (at.root !== 'commands') throw refuseRoot('member', at.root);
		if (at.path.length !== 0 || at.sub !== null) throw new Refusal('command_shape', 'commands is a list, without keys or nested values');
		const list = values(item);
		if (!list?.every((value) => parseRawCommand(value).ok)) throw new Refusal('command_shape', 'a command is a JSON object with an id');
	}

	/** A new value of a mark replaces (deletes) the previous one: deleting a mark is harmless. */
	remove(at: Location): void {
		if (at.root === 'seen') return;
		throw new Refusal('append_only', 'commands are append-only');
	}

	finish(): void {}

	private mark(at: Location, item: Y.Item): void {
		// A mark set twice offline arrives with its first value already replaced (deleted content).
		const list = item.content instanceof Y.ContentDeleted ? [0] : values(item);
		const parsed = at.path.length === 0 && list?.length === 1 ? parseSeenMark(at.sub, list[0]) : undefined;
		if (!parsed?.ok) throw new Refusal('seen_shape', 'seen holds numbers under declared keys only');
	}
}
