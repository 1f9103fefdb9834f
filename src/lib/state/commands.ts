import type * as Y from 'yjs';
import type { CommandId, MemberCommand, Receipt } from '$lib/domain/types';
import { memberRoots } from './doc';
import { randomId } from './ids';
import type { Notices } from './notices.svelte';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A command as a page asks for it; `id` and `at` are added here. */
export type NewCommand = DistributiveOmit<MemberCommand, 'id' | 'at'>;

/**
 * A receipt is told "while you were offline" when its command was written offline, or (after a
 * reload, when that is forgotten) when it arrives this long after the command.
 */
const OFFLINE_AFTER_MS = 10_000;

/**
 * Writes the member's commands into its member doc (where they wait, persisted, while offline) and
 * turns each new receipt into a notice.
 */
export class Commands {
	#doc: Y.Doc | null = null;
	#detach: (() => void) | null = null;
	readonly #notices: Notices;
	readonly #now: () => number;
	readonly #offline: () => boolean;
	/** Commands written while the device was offline, to say so when their receipt comes. */
	readonly #writtenOffline: CommandId[] = [];

	/** `offline` tells whether the device is offline right now (the session's sync status). */
	constructor(notices: Notices, now: () => number = Date.now, offline: () => boolean = () => false) {
		this.#notices = notices;
		this.#now = now;
		this.#offline = offline;
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
					const command = byId.get(receipt.commandId);
					if (!command || !pending.delete(receipt.commandId)) continue;
					this.#notices.push({
						kind: 'receipt',
						command,
						receipt,
						offline: this.#writtenOffline.includes(command.id) || this.#now() - command.at > OFFLINE_AFTER_MS
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

	/** Appends a command; it is pending until its receipt arrives. */
	send(command: NewCommand): MemberCommand {
		if (!this.#doc) throw new Error('The member document is not open.');
		const full = { ...command, id: randomId() as CommandId, at: this.#now() } as MemberCommand;
		if (this.#offline()) this.#writtenOffline.push(full.id);
		memberRoots(this.#doc).commands.push([full]);
		return full;
	}
}
