import type * as Y from 'yjs';
import type { CommandId, MemberCommand, Receipt } from '$lib/domain/types';
import { memberRoots } from './doc';
import { randomId } from './ids';
import type { Notices } from './notices.svelte';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A command as a page asks for it; `id` and `at` are added here. */
export type NewCommand = DistributiveOmit<MemberCommand, 'id' | 'at'>;

/**
 * Writes the member's commands into its member doc (where they wait, persisted, while offline) and
 * turns each new receipt into a notice (also the receipt of a budget edit the server refused).
 *
 * A receipt is told "while you were offline" by fact, not by delay: when its command was written
 * while the member doc's link was not synced, or was still waiting when a link came (back) —
 * commands found waiting in the doc at attach time, from before a reload, count as such.
 */
export class Commands {
	#doc: Y.Doc | null = null;
	#detach: (() => void) | null = null;
	readonly #notices: Notices;
	readonly #now: () => number;
	#linked = false;
	/** Counts the links to the server that reached sync: a new one means the device was offline. */
	#link = 0;
	/** The link each command was written on; commands written with no synced link are absent. */
	readonly #writtenOn = new Map<CommandId, number>();

	constructor(notices: Notices, now: () => number = Date.now) {
		this.#notices = notices;
		this.#now = now;
	}

	/** The member doc's link synced with the server (true) or lost it (false); the session tells. */
	setLinked(linked: boolean): void {
		if (linked && !this.#linked) this.#link += 1;
		this.#linked = linked;
	}

	/**
	 * Only receipts of commands that were waiting become notices: those already answered in `doc`
	 * were told before. `waiting` carries the pending ids over from a replaced copy of the doc.
	 */
	attach(doc: Y.Doc, waiting: Iterable<CommandId> = []): void {
		this.detach();
		this.#doc = doc;
		const { commands, receipts } = memberRoots(doc);
		const pending = new Set<CommandId>(waiting);
		const answered = new Set(receipts.toArray().map((r) => r.commandId));
		for (const command of commands) if (!answered.has(command.id)) pending.add(command.id);
		const onCommands = (event: Y.YArrayEvent<MemberCommand>) => {
			for (const delta of event.changes.delta) {
				for (const command of (delta.insert as MemberCommand[] | undefined) ?? []) pending.add(command.id);
			}
		};
		const onReceipts = (event: Y.YArrayEvent<Receipt>) => {
			const byId = new Map<CommandId, MemberCommand>(commands.toArray().map((c) => [c.id, c]));
			for (const delta of event.changes.delta) {
				for (const receipt of (delta.insert as Receipt[] | undefined) ?? []) {
					if (receipt.bucketId !== undefined && !receipt.ok) {
						// The server's own budget command, refused after an edit made here (PROTOCOL §4).
						this.#notices.push({ kind: 'budget', bucketId: receipt.bucketId, reason: receipt.reason ?? 'invalid' });
						continue;
					}
					const command = byId.get(receipt.commandId);
					if (!command || !pending.delete(receipt.commandId)) continue;
					this.#notices.push({
						kind: 'receipt',
						command,
						receipt,
						offline: this.#writtenOn.get(command.id) !== this.#link
					});
				}
			}
		};
		commands.observe(onCommands);
		receipts.observe(onReceipts);
		this.#detach = () => {
			commands.unobserve(onCommands);
			receipts.unobserve(onReceipts);
		};
	}

	detach(): void {
		this.#detach?.();
		this.#detach = null;
		this.#doc = null;
	}

	/**
	 * Appends a command; it is pending until its receipt arrives. `id`: a command's own id, to send
	 * the same command again without it being applied twice (an allocation import).
	 */
	send(command: NewCommand, id: CommandId = randomId() as CommandId): MemberCommand {
		if (!this.#doc) throw new Error('The member document is not open.');
		const full = { ...command, id, at: this.#now() } as MemberCommand;
		if (this.#linked) this.#writtenOn.set(full.id, this.#link);
		memberRoots(this.#doc).commands.push([full]);
		return full;
	}
}
