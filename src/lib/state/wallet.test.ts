import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BucketId, CommandId, MemberId } from '$lib/domain/types';
import { I18n } from '$lib/i18n/i18n.svelte';
import { memoryI18nEffects } from '$lib/i18n/memory';
import { Commands } from './commands';
import { describeNotice } from './describe';
import { memberRoots, roundRoots } from './doc';
import { Notices } from './notices.svelte';
import { RoundView } from './round.svelte';
import { linkDocs } from './testing';
import { Wallet } from './wallet.svelte';

const me = 'member-bob' as MemberId;
const bucket = 'bucket-lights' as BucketId;

/** A round in funding with one open bucket (goal 40 €, stretch 60 €, 50 € in it) and Bob's docs. */
function setup(now = () => 100_000) {
	const round = new Y.Doc();
	const r = roundRoots(round);
	round.transact(() => {
		for (const [k, v] of Object.entries({ name: 'Fest', currency: 'EUR', locale: 'fr-FR', phase: 'funding', defaultAllocation: 5000, maxPerMemberPerBucket: null, transparency: 'named', requireApproval: false })) r.round.set(k, v);
		r.members.set(me, { name: 'Bob', role: 'member', active: true });
		const content = new Y.Map<unknown>();
		r.buckets.set(bucket, content);
		content.set('title', 'Lights');
		r.bucketState.set(bucket, { status: 'funded', owners: [], minGoal: 4000, maxGoal: 6000, total: 5000 } as never);
	});
	const view = new RoundView();
	view.attach(round);
	const server = new Y.Doc();
	const client = new Y.Doc();
	const unlink = linkDocs(server, client);
	memberRoots(server).wallet.set('allocated', 5000);
	memberRoots(server).wallet.set('spent', 0);
	memberRoots(server).wallet.set('balance', 5000);
	memberRoots(server).wallet.set('contributions', {});
	const wallet = new Wallet(view, () => ({ memberId: me, role: 'member' }));
	wallet.attach(client);
	const notices = new Notices(() => {});
	const commands = new Commands(notices, now);
	commands.attach(client);
	// linkDocs is a live, synced link to the server
	commands.setLinked(true);
	return { round, view, server, client, wallet, commands, notices, unlink };
}

describe('Wallet and Commands', () => {
	it('§3 offline: a command without a receipt is pending, with the reducer’s optimistic preview', () => {
		const { wallet, commands } = setup();
		const sent = commands.send({ type: 'contribute', bucketId: bucket, amount: 2000 as never });
		expect(sent.id).toMatch(/^[A-Za-z0-9_-]{10,64}$/);
		expect(wallet.pending.map((c) => c.id)).toEqual([sent.id]);
		// the bucket has room for 10 € only: the shared reducer predicts a partial acceptance
		expect(wallet.preview?.outcomes.get(sent.id)).toEqual({ ok: true, accepted: 1000, partial: 'bucket_full' });
		expect(wallet.preview?.balance).toBe(4000);
		// and a bucket already full takes nothing more
		expect(wallet.preview?.limits.get(bucket)).toBe(0);
	});

	it('§3 limits: the most a contribution would take is min(balance, maxGoal − total, cap − own), pending ones included', () => {
		const { round, server, wallet, commands } = setup();
		// 10 € of room before the stretch goal, 50 € in the wallet: the bucket binds
		expect(wallet.preview?.limits.get(bucket)).toBe(1000);
		commands.send({ type: 'contribute', bucketId: bucket, amount: 400 as never });
		expect(wallet.preview?.limits.get(bucket)).toBe(600);
		// a per-member cap of 5 € with 4 € already (pending) in it: the cap binds
		roundRoots(round).round.set('maxPerMemberPerBucket', 500);
		expect(wallet.preview?.limits.get(bucket)).toBe(100);
		// a wallet of 0,50 €: the balance binds
		roundRoots(round).round.set('maxPerMemberPerBucket', null);
		memberRoots(server).wallet.set('allocated', 450);
		expect(wallet.preview?.balance).toBe(50);
		expect(wallet.preview?.limits.get(bucket)).toBe(50);
		// outside the funding phase nothing would be accepted
		roundRoots(round).round.set('phase', 'proposing');
		expect(wallet.preview?.limits.get(bucket)).toBe(0);
	});

	it('§3 a receipt ends pending and is told plainly: “12,00 € of your 20,00 € … filled up while you were offline”', () => {
		let now = 100_000;
		const { view, server, wallet, commands, notices } = setup(() => now);
		commands.setLinked(false);
		const sent = commands.send({ type: 'contribute', bucketId: bucket, amount: 2000 as never });
		now += 60_000;
		commands.setLinked(true);
		server.transact(() => {
			memberRoots(server).receipts.push([{ commandId: sent.id, ok: true, accepted: 1200 as never, reason: 'bucket_full', seq: 9 }]);
			memberRoots(server).wallet.set('balance', 3800);
		});
		expect(wallet.pending).toEqual([]);
		expect(wallet.data?.balance).toBe(3800);
		expect(notices.list).toHaveLength(1);
		const notice = notices.list[0];
		if (!notice) throw new Error('no notice');
		const en = new I18n(memoryI18nEffects(['en']).effects);
		expect(describeNotice({ i18n: en, round: view, currency: 'EUR' }, notice)).toBe(
			'€12.00 of your €20.00 were accepted for “Lights”: the bucket filled up (sent while you were offline).'
		);
		const fr = new I18n(memoryI18nEffects(['fr']).effects);
		expect(describeNotice({ i18n: fr, round: view, currency: 'EUR' }, notice).replace(/\s/g, ' ')).toBe(
			'12,00 € sur vos 20,00 € ont été acceptés pour « Lights » : le projet était déjà rempli (envoyé pendant que vous étiez hors ligne).'
		);
	});

	it('receipts already answered before attach are not told again; refusals are told with their reason', () => {
		const { view, server, client, commands, notices } = setup();
		const old = commands.send({ type: 'publish', bucketId: bucket });
		memberRoots(server).receipts.push([{ commandId: old.id, ok: false, reason: 'not_owner' }]);
		expect(notices.list).toHaveLength(1);
		const en = new I18n(memoryI18nEffects(['en']).effects);
		expect(describeNotice({ i18n: en, round: view, currency: 'EUR' }, notices.list[0] as never)).toBe(
			'Could not publish “Lights”: only the bucket’s creators can do that.'
		);
		const again = new Commands(notices, () => 0);
		again.attach(client);
		memberRoots(server).receipts.push([{ commandId: 'unknown-command-id' as CommandId, ok: true }]);
		expect(notices.list).toHaveLength(1);
	});

	it('§3 a gift written offline and refused because the round closed meanwhile is told in one plain sentence', () => {
		const { view, server, commands, notices } = setup();
		commands.setLinked(false);
		const sent = commands.send({ type: 'contribute', bucketId: bucket, amount: 2000 as never });
		commands.setLinked(true);
		memberRoots(server).receipts.push([{ commandId: sent.id, ok: false, reason: 'round_closed' }]);
		const en = new I18n(memoryI18nEffects(['en']).effects);
		expect(describeNotice({ i18n: en, round: view, currency: 'EUR' }, notices.list[0] as never)).toBe(
			'Could not give €20.00 to “Lights”: the round is closed (sent while you were offline).'
		);
	});

	it('§my-money offline: the lines come from the docs on the device, a gift without a receipt is waiting', () => {
		const { view, server, wallet, commands } = setup();
		const round = new Y.Doc();
		const entries = [
			{ seq: 1, at: 1, type: 'allocate', memberId: me, amount: 5000 },
			{ seq: 2, at: 2, type: 'allocate', memberId: 'member-ann' as MemberId, amount: 5000 }
		];
		roundRoots(round).ledger.push(entries as never);
		view.attach(round);
		const given = commands.send({ type: 'contribute', bucketId: bucket, amount: 1500 as never });
		commands.setLinked(false);
		const waiting = commands.send({ type: 'contribute', bucketId: bucket, amount: 700 as never });
		roundRoots(round).ledger.push([{ seq: 3, at: 3, type: 'contribute', bucketId: bucket, commandId: given.id, amount: 1000 }] as never);
		memberRoots(server).receipts.push([{ commandId: given.id, ok: true, accepted: 1000 as never, reason: 'bucket_full', seq: 3 }]);
		expect(wallet.history.map((row) => [row.kind, row.outcome, row.amount, row.balance])).toEqual([
			['allocation', 'recorded', 5000, 5000],
			['gift', 'partial', 1000, 4000],
			['gift', 'waiting', 0, 4000]
		]);
		expect(wallet.history.at(-1)).toMatchObject({ asked: 700, at: waiting.at });
	});
});

