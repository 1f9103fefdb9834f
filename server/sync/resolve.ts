// Resolves the structs and deletions of an incoming update to where they land in the server's
// document (DESIGN §4), without applying it. Checked against yjs 13.6: a decoded Item carries
// `parent` (root name or the ID of the item holding its parent type) only when it has neither
// `origin` nor `rightOrigin`; otherwise the parent and map key are those of the origin item
// (left first), and a GC neighbour turns the item into a no-op. Cost is proportional to the
// update: each struct is resolved once (memoised), each parent type's path once.
import * as Y from 'yjs';

/** Where a struct sits: root name, the map keys (null: array position) of its ancestor types, its own key. */
export interface Location {
	root: string;
	path: (string | null)[];
	sub: string | null;
}

/** `null`: the struct ends up garbage-collected and changes nothing. */
export type Resolution = Location | null;

export class Unresolvable extends Error {}

/**
 * The update depends on structs the server does not have yet (an honest client that wrote offline
 * and again before its sync step 2 arrived sends such updates): worth holding, not refusing.
 */
export class Missing extends Unresolvable {
	constructor(
		message: string,
		/** The first struct found missing: once the document has it, the update is worth checking again. */
		readonly needs: Y.ID
	) {
		super(message);
	}
}

type Struct = Y.Item | Y.GC | Y.Skip;
type Parent = Y.AbstractType<unknown> | Y.ID | string | null;

export class Resolver {
	private readonly byClient = new Map<number, Struct[]>();
	private readonly structMemo = new Map<Y.Item, Resolution>();
	private readonly typeMemo = new Map<Y.AbstractType<unknown>, Location>();

	constructor(
		private readonly doc: Y.Doc,
		structs: Struct[]
	) {
		for (const struct of structs) {
			const list = this.byClient.get(struct.id.client);
			if (list) list.push(struct);
			else this.byClient.set(struct.id.client, [struct]);
		}
	}

	/** Server state of `client`: clocks below it are already in the document. */
	docState(client: number): number {
		return Y.getState(this.doc.store, client);
	}

	/** The struct holding `id`: the document's copy if it has one, else this update's, else undefined. */
	find(id: Y.ID): Struct | undefined {
		if (id.clock < this.docState(id.client)) return Y.getItem(this.doc.store, id) as Y.Item | Y.GC;
		const list = this.byClient.get(id.client);
		if (!list) return undefined;
		let low = 0;
		let high = list.length - 1;
		while (low <= high) {
			const mid = (low + high) >>> 1;
			const struct = list[mid]!;
			if (id.clock < struct.id.clock) high = mid - 1;
			else if (id.clock >= struct.id.clock + struct.length) low = mid + 1;
			else return struct;
		}
		return undefined;
	}

	/** Where `item` lands. Throws Unresolvable when it depends on a struct nobody has. */
	locate(item: Y.Item): Resolution {
		// Walk the chain of origins iteratively (an update may chain thousands of items), then
		// assign the found location back along it.
		const chain: Y.Item[] = [];
		let current: Y.Item = item;
		let found: Resolution | undefined;
		for (;;) {
			const memo = this.structMemo.get(current);
			if (memo !== undefined) {
				found = memo;
				break;
			}
			const parent = current.parent as Parent;
			if (parent instanceof Y.AbstractType) {
				found = { ...this.typeLocation(parent), sub: current.parentSub };
				break;
			}
			if (parent !== null) {
				found = this.explicitParent(parent, current.parentSub);
				break;
			}
			const left = current.origin ? this.find(current.origin) : null;
			const right = current.rightOrigin ? this.find(current.rightOrigin) : null;
			if (left === undefined || left instanceof Y.Skip) throw new Missing('depends on a missing struct', current.origin!);
			if (right === undefined || right instanceof Y.Skip) throw new Missing('depends on a missing struct', current.rightOrigin!);
			if (left instanceof Y.GC || right instanceof Y.GC) {
				found = null;
				break;
			}
			const neighbour = left instanceof Y.Item ? left : right instanceof Y.Item ? right : undefined;
			if (!neighbour) throw new Unresolvable('item without parent or neighbour');
			chain.push(current);
			current = neighbour;
		}
		this.structMemo.set(current, found);
		for (const link of chain) this.structMemo.set(link, found);
		return found;
	}

	private explicitParent(parent: Y.ID | string, sub: string | null): Resolution {
		if (typeof parent === 'string') return { root: parent, path: [], sub };
		const holder = this.find(parent);
		if (holder === undefined || holder instanceof Y.Skip) throw new Missing('parent type is missing', parent);
		if (holder instanceof Y.GC) return null;
		if (!(holder instanceof Y.Item) || !(holder.content instanceof Y.ContentType)) {
			throw new Unresolvable('parent is not a type');
		}
		const at = this.locate(holder);
		return at && { root: at.root, path: [...at.path, at.sub], sub };
	}

	/** Root name and key path of an integrated type of the server's document. */
	private typeLocation(type: Y.AbstractType<unknown>): Location {
		const memo = this.typeMemo.get(type);
		if (memo) return memo;
		let location: Location;
		const holder = type._item;
		if (holder === null) {
			location = { root: Y.findRootTypeKey(type), path: [], sub: null };
		} else {
			const parent = holder.parent as Y.AbstractType<unknown>;
			const above = this.typeLocation(parent);
			location = { root: above.root, path: [...above.path, holder.parentSub], sub: null };
		}
		this.typeMemo.set(type, location);
		return location;
	}

	/** Every not-yet-deleted item a delete range touches, from the document or this update. */
	*deletedItems(client: number, clock: number, len: number): Generator<Y.Item> {
		const end = clock + len;
		const state = this.docState(client);
		if (clock < state) {
			const structs = this.doc.store.clients.get(client) ?? [];
			for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
				const struct = structs[i]!;
				if (struct.id.clock >= end) break;
				if (struct instanceof Y.Item && !struct.deleted) yield struct;
			}
		}
		let covered = Math.max(clock, state);
		while (covered < end) {
			const struct = this.find(Y.createID(client, covered));
			if (struct === undefined || struct instanceof Y.Skip) throw new Missing('deletes a missing struct', Y.createID(client, covered));
			if (struct instanceof Y.Item) yield struct;
			covered = struct.id.clock + struct.length;
		}
	}
}
