import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MemberId } from '$lib/domain/types';
import { memberRoots, roundRoots } from '$lib/state/doc';
import { RoundView } from '$lib/state/round.svelte';
import { Wallet } from '$lib/state/wallet.svelte';
import { Commands } from '$lib/state/commands';
import { Notices } from '$lib/state/notices.svelte';
import { withLanguage } from './test-context';
import WalletSummary from './WalletSummary.svelte';

afterEach(cleanup);

/** A round doc and Bob's member doc as the server leaves them: 50 €, 12 € in “Lights”. */
function bob() {
	const round = new Y.Doc();
	const r = roundRoots(round);
	for (const [k, v] of Object.entries({ name: 'Fest', currency: 'EUR', locale: 'en', phase: 'funding', defaultAllocation: 5000, maxPerMemberPerBucket: null, transparency: 'named', requireApproval: false })) r.round.set(k, v);
	const bucket = new Y.Map<unknown>();
	r.buckets.set('bucket-lights', bucket);
	bucket.set('title', 'Lights');
	r.bucketState.set('bucket-lights', { status: 'open', owners: [], minGoal: 4000, maxGoal: 4000, total: 1200 } as never);
	r.ledger.push([{ seq: 1, at: 1, type: 'open', amount: 0 } as never]);
	const view = new RoundView();
	view.attach(round);
	const member = new Y.Doc();
	const w = memberRoots(member).wallet;
	w.set('allocated', 5000);
	w.set('spent', 1200);
	w.set('balance', 3800);
	w.set('contributions', { 'bucket-lights': 1200 });
	const wallet = new Wallet(view, () => ({ memberId: 'member-bob' as MemberId, role: 'member' }));
	wallet.attach(member);
	const commands = new Commands(new Notices(() => {}));
	commands.attach(member);
	return { view, wallet, commands };
}

describe('WalletSummary', () => {
	it('§8 shows money left, where it went, and nothing pending', () => {
		const { view, wallet } = bob();
		render(WalletSummary, { props: { wallet, round: view, roundId: 'round-0001', currency: 'EUR' }, context: withLanguage('en').context });
		expect(screen.getByRole('heading', { name: 'My wallet' })).toBeTruthy();
		expect(screen.getByText('€38.00')).toBeTruthy();
		expect(screen.getByText('€38.00 left of €50.00')).toBeTruthy();
		expect(screen.getByRole('link', { name: 'Lights' }).getAttribute('href')).toBe('/r/round-0001/b/bucket-lights');
		expect(screen.getByText('€12.00')).toBeTruthy();
		expect(screen.queryByText('Waiting to be confirmed')).toBeNull();
	});

	it('§3 lists pending commands in words with the optimistic balance from the shared reducer', async () => {
		const { view, wallet, commands } = bob();
		render(WalletSummary, { props: { wallet, round: view, roundId: 'round-0001', currency: 'EUR' }, context: withLanguage('fr').context });
		commands.send({ type: 'contribute', bucketId: 'bucket-lights' as never, amount: 1000 as never });
		await Promise.resolve();
		expect(screen.getByText('En attente de confirmation')).toBeTruthy();
		expect(screen.getByText((t) => t.replace(/\s/g, ' ') === 'donner 10,00 € à « Lights »')).toBeTruthy();
		expect(screen.getByText((t) => t.replace(/\s/g, ' ') === 'Une fois confirmé : il restera 28,00 €')).toBeTruthy();
	});

	it('before the server welcomed the member, says so', () => {
		const view = new RoundView();
		const wallet = new Wallet(view, () => ({ memberId: 'member-bob' as MemberId, role: 'member' }));
		wallet.attach(new Y.Doc());
		render(WalletSummary, { props: { wallet, round: view, roundId: 'r', currency: 'EUR' }, context: withLanguage('en').context });
		expect(screen.getByText('Your wallet appears once the server has welcomed you.')).toBeTruthy();
	});
});
