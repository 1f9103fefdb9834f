// The write guard (DESIGN §4): every incoming update is checked against the writer table before it
// is applied. Rules depend only on identity (never on phase or money), so an honest offline client
// is never refused; the sequencer decides outcomes.
import * as Y from 'yjs';
import { Missing, Resolver, Unresolvable, type Location } from './resolve.js';

const ID_PATTERN = /^[A-Za-z0-9_-]{10,64}$/;
const ROUND_ROOTS = new Set(['round', 'members', 'buckets', 'bucketState', 'comments', 'ledger']);
const MAX_COMMENT_LENGTH = 10_000;

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
			/** Comments the update adds. */
			comments: number;
	  }
	| Refused;

class Refusal extends Error {}

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
		if (error instanceof Missing) return { ok: false, kind: 'missing', needs: error.needs, reason: `unresolvable update: ${error.message}` };
		if (error instanceof Unresolvable) return { ok: false, kind: 'refused', reason: `unresolvable update: ${error.message}` };
		return { ok: false, kind: 'refused', reason: 'malformed update' };
	}
}

function check(doc: Y.Doc, update: Uint8Array, context: GuardContext): Verdict {
	const { structs, ds } = Y.decodeUpdate(update);
	const resolver = new Resolver(doc, structs);
	const verdict = { ok: true as const, touchedBuckets: new Set<string>(), newBuckets: new Set<string>(), clients: new Set<number>(), changes: false, comments: 0 };
	const rules = context.doc.kind === 'round' ? new RoundRules(context, verdict) : new MemberRules(context);

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
			if (seenClients.has(client)) throw new Refusal('malformed update: client listed twice');
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
		if (owner !== undefined && owner !== context.writer) throw new Refusal(`clientID ${client} belongs to another writer`);
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
	const target = context.doc;
	if (verdict.changes && target.kind === 'member' && target.owner !== context.writer) {
		throw new Refusal("another member's document");
	}
	return verdict;
}

interface Rules {
	insert(at: Location, item: Y.Item): void;
	remove(at: Location, item: Y.Item): void;
}

/** Round doc: `buckets` for owners (a new key makes its writer the owner), own `comments`; the rest is the server's. */
class RoundRules implements Rules {
	constructor(
		private readonly context: GuardContext,
		private readonly verdict: { touchedBuckets: Set<string>; newBuckets: Set<string>; comments: number }
	) {}

	insert(at: Location, item: Y.Item): void {
		if (at.root === 'buckets') return this.bucketWrite(at, item);
		if (at.root === 'comments') return this.commentInsert(at, item);
		throw this.refuseRoot(at.root);
	}

	remove(at: Location, item: Y.Item): void {
		if (at.root === 'buckets') return this.bucketWrite(at, undefined);
		if (at.root === 'comments' && at.path.length === 1) {
			if (item.content instanceof Y.ContentAny && !ownComments(item.content, this.context.writer)) {
				throw new Refusal("deletes another member's comment");
			}
			return;
		}
		throw this.refuseRoot(at.root);
	}

	private bucketWrite(at: Location, inserted: Y.Item | undefined): void {
		const bucketId = at.path.length > 0 ? at.path[0] : at.sub;
		if (typeof bucketId !== 'string' || !ID_PATTERN.test(bucketId)) throw new Refusal('invalid bucket id');
		this.verdict.touchedBuckets.add(bucketId);
		if (this.verdict.newBuckets.has(bucketId)) return;
		const owners = this.context.bucketOwners(bucketId);
		if (owners === undefined) {
			const isBucketMap = inserted && at.path.length === 0 && inserted.content instanceof Y.ContentType;
			if (!isBucketMap) throw new Refusal('unknown bucket');
			this.verdict.newBuckets.add(bucketId);
			return;
		}
		if (!owners.includes(this.context.writer)) throw new Refusal("writes another member's bucket");
	}

	private commentInsert(at: Location, item: Y.Item): void {
		if (at.path.length !== 1 || at.sub !== null) throw new Refusal('comment arrays are created by the server');
		if (item.content instanceof Y.ContentDeleted) return;
		if (!(item.content instanceof Y.ContentAny) || !ownComments(item.content, this.context.writer)) {
			throw new Refusal('a comment must be {id, author: you, text, at}');
		}
		this.verdict.comments += item.content.arr.length;
	}

	private refuseRoot(root: string): Refusal {
		return new Refusal(ROUND_ROOTS.has(root) ? `${root} is written by the server` : `unknown root ${root}`);
	}
}

function ownComments(content: Y.ContentAny, writer: string): boolean {
	return content.arr.every((value: unknown) => {
		if (typeof value !== 'object' || value === null) return false;
		const comment = value as Record<string, unknown>;
		return comment.author === writer && typeof comment.text === 'string' && comment.text.length <= MAX_COMMENT_LENGTH;
	});
}

/** Member doc: only its member, only appending plain values to `commands`. */
class MemberRules implements Rules {
	constructor(private readonly context: GuardContext) {}

	insert(at: Location, item: Y.Item): void {
		const doc = this.context.doc;
		if (doc.kind !== 'member' || doc.owner !== this.context.writer) throw new Refusal("another member's document");
		if (at.root !== 'commands' || at.path.length !== 0 || at.sub !== null) {
			throw new Refusal(`${at.root} is written by the server`);
		}
		if (!(item.content instanceof Y.ContentAny || item.content instanceof Y.ContentDeleted)) {
			throw new Refusal('commands are plain JSON objects');
		}
	}

	remove(): void {
		throw new Refusal('commands are append-only');
	}
}
