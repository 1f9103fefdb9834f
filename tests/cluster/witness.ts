// The suite's record of what it sent and what the cluster acknowledged, and the checks of
// issue 14 item 5 run on it: a receipt is an acknowledgment, so the moment one arrives its command
// must already be in PostgreSQL (read then, over the test's own connection); at the end every
// acknowledged command is in `commands` once and, for money, in the ledger once, whose seq runs
// 1..n without a gap.
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { expect } from 'vitest';
import type * as Y from 'yjs';
import type { LedgerEntry, Receipt } from '../../src/lib/domain/types.js';
import { commandId, type Client } from '../server/helpers.js';
import { storedCommand, storedCommands, storedLedger } from './database.js';
import { until } from './harness.js';

export interface Sent {
	command: Record<string, unknown>;
	/** performance.now() when it was written into the member doc. */
	at: number;
	/** The client it was written through. */
	client: Client;
}

export interface Seen {
	receipt: Receipt;
	/** performance.now() when the first client holding it saw it. */
	at: number;
}

export class Witness {
	readonly sent = new Map<string, Sent>();
	readonly seen = new Map<string, Seen>();
	/** Receipts that arrived while their command was not (yet) in PostgreSQL: each one is a broken promise. */
	readonly uncommitted: { receipt: Receipt; found: number }[] = [];
	private readonly checks: Promise<void>[] = [];

	constructor(
		private readonly db: pg.Pool,
		readonly roundId: string
	) {}

	/** Records every receipt this member doc client receives, from now on and those it already holds. */
	watch(client: Client): void {
		const receipts = client.doc.getArray<Receipt>('receipts');
		for (const receipt of receipts.toArray()) this.receive(receipt);
		receipts.observe((event: Y.YArrayEvent<Receipt>) => {
			for (const change of event.changes.delta) for (const receipt of (change.insert as Receipt[] | undefined) ?? []) this.receive(receipt);
		});
	}

	/** Writes a command into the client's member doc, as the web app does, and returns its id. */
	send(client: Client, command: Record<string, unknown>): string {
		const id = commandId();
		this.sent.set(id, { command, at: performance.now(), client });
		client.doc.getArray('commands').push([{ id, at: Date.now(), ...command }]);
		return id;
	}

	private receive(receipt: Receipt): void {
		if (!this.sent.has(receipt.commandId) || this.seen.has(receipt.commandId)) return;
		this.seen.set(receipt.commandId, { receipt, at: performance.now() });
		this.checks.push(
			storedCommand(this.db, this.roundId, receipt.commandId).then((rows) => {
				if (rows.length !== 1) this.uncommitted.push({ receipt, found: rows.length });
			})
		);
	}

	/** Commands sent after `since` (performance.now()) that have a receipt, in the order they were seen. */
	seenAfter(since: number): Seen[] {
		return [...this.seen.entries()].filter(([id]) => this.sent.get(id)!.at > since).map(([, seen]) => seen);
	}

	/** Waits for a receipt for every command sent so far. */
	async allReceipted(timeoutMs = 60_000): Promise<void> {
		await until(() => this.seen.size === this.sent.size, 'a receipt for every command', timeoutMs).catch((error: Error) => {
			throw new Error(`${error.message}: ${this.sent.size - this.seen.size} of ${this.sent.size} missing; ${this.missing()}`);
		});
	}

	/** Where the commands without a receipt were written, and how those clients are connected. */
	private missing(): string {
		const byClient = new Map<Client, string[]>();
		for (const [id, { client }] of this.sent) if (!this.seen.has(id)) byClient.set(client, [...(byClient.get(client) ?? []), id]);
		return [...byClient]
			.map(([client, ids]) => {
				const { provider, closedWith } = client;
				const state = `connected ${provider.wsconnected}, synced ${provider.synced}, last close ${closedWith ? `${closedWith.code} ${closedWith.reason}` : 'none'}`;
				const held = client.doc
					.getArray<{ id: string }>('commands')
					.toArray()
					.filter((command) => ids.includes(command.id)).length;
				// serverUrl and roomname, not url: the url carries the member's token.
				return `${ids.length} via ${provider.serverUrl} ${provider.roomname} (${state}; ${held} of them in its member doc)`;
			})
			.join('; ');
	}

	/** Every receipt was given for a command already in PostgreSQL. */
	async expectNoReceiptBeforeCommit(): Promise<void> {
		await Promise.all(this.checks);
		expect(this.uncommitted, 'receipts whose command was not in PostgreSQL when they arrived').toEqual([]);
	}

	/**
	 * The round's ledger in PostgreSQL: seq 1..n contiguous; every acknowledged command once in
	 * `commands`, agreeing with its receipt; every accepted contribution once in the ledger with
	 * the accepted amount at the receipt's seq. Returns the ledger.
	 */
	async expectSoundLedger(): Promise<LedgerEntry[]> {
		const ledger = await storedLedger(this.db, this.roundId);
		expect(
			ledger.map((row) => row.seq),
			'ledger seq'
		).toEqual(ledger.map((_, i) => i + 1));
		for (const row of ledger) expect(row.entry.seq).toBe(row.seq);

		const commands = await storedCommands(this.db, this.roundId);
		const rows = new Map<string, number>();
		for (const command of commands) rows.set(command.id, (rows.get(command.id) ?? 0) + 1);
		const byId = new Map(commands.map((command) => [command.id, command]));
		const contributions = new Map<string, LedgerEntry[]>();
		for (const { entry } of ledger) {
			if (entry.type !== 'contribute' || entry.commandId === undefined) continue;
			contributions.set(entry.commandId, [...(contributions.get(entry.commandId) ?? []), entry]);
		}
		for (const [id, { receipt }] of this.seen) {
			expect(rows.get(id), `rows of ${id} in commands`).toBe(1);
			const stored = byId.get(id)!;
			expect({ ok: stored.ok, seq: stored.seq ?? undefined }, `${id} in commands`).toEqual({ ok: receipt.ok, seq: receipt.seq });
			const type = this.sent.get(id)!.command.type;
			if (type !== 'contribute') continue;
			const entries = contributions.get(id) ?? [];
			if (!receipt.ok) {
				expect(entries, `ledger entries of refused ${id}`).toEqual([]);
				continue;
			}
			expect(entries, `ledger entries of ${id}`).toHaveLength(1);
			expect({ amount: entries[0]!.amount, seq: entries[0]!.seq }).toEqual({ amount: receipt.accepted, seq: receipt.seq });
		}
		for (const [id, entries] of contributions) expect(entries, `ledger entries of ${id}`).toHaveLength(1);
		return ledger.map((row) => row.entry);
	}

	/** The sum of accepted contributions, by their receipts. */
	acceptedTotal(): number {
		let total = 0;
		for (const [id, { receipt }] of this.seen) {
			if (this.sent.get(id)!.command.type === 'contribute' && receipt.ok) total += receipt.accepted ?? 0;
		}
		return total;
	}
}
