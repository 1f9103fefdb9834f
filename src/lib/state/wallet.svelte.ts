import type * as Y from 'yjs';
import { memberHistory, type HistoryRow } from '$lib/domain/history';
import type { Amount, BucketId, CommandId, MemberCommand, MemberId, Receipt, Role } from '$lib/domain/types';
import { memberRoots, type WalletData } from './doc';
import { previewPending, receiptsById, type Preview } from './preview';
import type { RoundView } from './round.svelte';

export type { Preview } from './preview';

/**
 * The member's wallet (written by the server in the member doc), its commands without a receipt
 * (pending), and an optimistic preview computed by the shared reducer on what this member knows.
 */
export class Wallet {
	data: WalletData | null = $state.raw(null);
	commands: readonly MemberCommand[] = $state.raw([]);
	receipts: ReadonlyMap<CommandId, Receipt> = $state.raw(receiptsById([]));

	pending = $derived(this.commands.filter((c) => !this.receipts.has(c.id)));
	/** null until the round's settings and the wallet have arrived. */
	preview: Preview | null = $derived.by(() => {
		const settings = this.#round.settings;
		if (!settings || !this.data) return null;
		const known = {
			settings,
			memberIds: this.#round.members.keys(),
			buckets: this.#round.buckets,
			wallet: this.data,
			seq: this.#round.ledger.at(-1)?.seq ?? 1,
			review: this.#round.review,
			...this.#actor()
		};
		return previewPending(known, this.receipts, this.pending);
	});

	/**
	 * The member's money line by line (the "my money" page): the round doc's ledger replica with
	 * this doc's commands and receipts, all local, so that it also shows offline.
	 */
	history: HistoryRow[] = $derived.by(() =>
		memberHistory({
			memberId: this.#actor().memberId,
			ledger: this.#round.ledger,
			commands: this.commands,
			receipts: this.receipts.values()
		})
	);

	readonly #round: RoundView;
	readonly #actor: () => { memberId: MemberId; role: Role };
	#detach: (() => void) | null = null;

	/** `actor` is read lazily: the role is known only once the membership is loaded. */
	constructor(round: RoundView, actor: () => { memberId: MemberId; role: Role }) {
		this.#round = round;
		this.#actor = actor;
	}

	attach(doc: Y.Doc): void {
		this.detach();
		const { wallet, commands, receipts } = memberRoots(doc);
		const readWallet = () => {
			this.data = wallet.size === 0 ? null : (wallet.toJSON() as WalletData);
		};
		const readCommands = () => {
			this.commands = commands.toArray();
		};
		const readReceipts = () => {
			this.receipts = receiptsById(receipts.toArray());
		};
		readWallet();
		readCommands();
		readReceipts();
		wallet.observe(readWallet);
		commands.observe(readCommands);
		receipts.observe(readReceipts);
		this.#detach = () => {
			wallet.unobserve(readWallet);
			commands.unobserve(readCommands);
			receipts.unobserve(readReceipts);
		};
	}

	detach(): void {
		this.#detach?.();
		this.#detach = null;
	}

	/** Own money in a bucket, as confirmed by the server. */
	ownIn(bucketId: BucketId): Amount {
		return (this.data?.contributions[bucketId] ?? 0) as Amount;
	}
}
