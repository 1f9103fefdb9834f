import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Amount } from '$lib/domain/types';
import type { BucketView } from '$lib/state/round.svelte';
import FundingForm from './FundingForm.svelte';
import { openBucket, withLanguage } from './test-context';

afterEach(cleanup);


function setup(
	locale: 'en' | 'fr',
	props: Partial<{ bucket: BucketView; phase: 'funding' | 'proposing'; own: number; balance: number; limit: number; waiting: string[] }> = {}
) {
	const given: number[] = [];
	const taken: number[] = [];
	const { context } = withLanguage(locale);
	render(FundingForm, {
		props: {
			bucket: props.bucket ?? openBucket(),
			currency: 'EUR',
			phase: props.phase ?? 'funding',
			balance: props.balance ?? 5000,
			own: props.own ?? 0,
			limit: props.limit ?? 5000,
			waiting: props.waiting ?? [],
			onContribute: (a: Amount) => given.push(a),
			onWithdraw: (a: Amount) => taken.push(a)
		},
		context
	});
	return { given, taken };
}

describe('FundingForm', () => {
	it('§2 accepts “12,50” in French and gives 1250 minor units', async () => {
		const { given } = setup('fr');
		await fireEvent.input(screen.getByLabelText('Montant'), { target: { value: '12,50' } });
		await fireEvent.click(screen.getByRole('button', { name: 'Donner' }));
		expect(given).toEqual([1250]);
	});

	it('§2 accepts “12.50” in English too', async () => {
		const { given } = setup('en');
		await fireEvent.input(screen.getByLabelText('Amount'), { target: { value: '12.50' } });
		await fireEvent.click(screen.getByRole('button', { name: 'Give' }));
		expect(given).toEqual([1250]);
	});

	it('refuses what is not an amount, with a translated message, and gives nothing', async () => {
		const { given } = setup('en');
		const input = screen.getByLabelText('Amount');
		await fireEvent.input(input, { target: { value: '12,5,0x' } });
		await fireEvent.blur(input);
		expect(screen.getByText('That is not an amount. Example: 12.50')).toBeTruthy();
		expect((screen.getByRole('button', { name: 'Give' }) as HTMLButtonElement).disabled).toBe(true);
		expect(input.getAttribute('aria-invalid')).toBe('true');
		expect(given).toEqual([]);
	});

	it('quick amounts fill the field: a quarter, a half of the balance and what the goal still needs', async () => {
		const { given } = setup('en', { balance: 5000 });
		const group = screen.getByRole('group', { name: 'Suggestions' });
		const labels = [...group.querySelectorAll('button')].map((b) => b.textContent?.trim());
		expect(labels).toEqual(['€12.00', '€25.00', '€30.00']);
		await fireEvent.click(screen.getByRole('button', { name: '€25.00' }));
		await fireEvent.click(screen.getByRole('button', { name: 'Give' }));
		expect(given).toEqual([2500]);
	});

	it('§3 quick amounts never offer more than would be accepted: 10 € of room left gives one “the most this bucket takes from you”', async () => {
		const { given } = setup('en', { balance: 9000, limit: 1000, bucket: openBucket({ status: 'funded', total: 5000 as Amount }) });
		const group = screen.getByRole('group', { name: 'Suggestions' });
		const labels = [...group.querySelectorAll('button')].map((b) => b.textContent?.trim());
		expect(labels).toEqual(['€10.00 (the most this bucket takes from you)']);
		expect(screen.getByText('You have €90.00 left; this bucket can take €10.00 more from you.')).toBeTruthy();
		await fireEvent.click(screen.getByRole('button', { name: '€10.00 (the most this bucket takes from you)' }));
		await fireEvent.click(screen.getByRole('button', { name: 'Give' }));
		expect(given).toEqual([1000]);
	});

	it('§3 with the per-member cap reached, no suggestion and the reason in words (French)', () => {
		setup('fr', { balance: 5000, own: 3000, limit: 0 });
		expect(screen.queryByRole('group', { name: 'Suggestions' })).toBeNull();
		expect(screen.getByText(/mais vous avez déjà donné à ce projet le maximum permis par membre/)).toBeTruthy();
	});

	it('§3 withdraw only while the bucket is open', async () => {
		const { taken } = setup('en', { own: 700 });
		await fireEvent.click(screen.getByRole('button', { name: /Take back/ }));
		expect(taken).toEqual([700]);
		cleanup();
		setup('en', { own: 700, bucket: openBucket({ status: 'funded', total: 4000 as Amount }) });
		expect(screen.queryByRole('button', { name: /Take back/ })).toBeNull();
		expect(screen.getByText('You gave €7.00.')).toBeTruthy();
	});

	it('more than can be accepted is shown before giving and needs an explicit choice: 500 with 100 left', async () => {
		const { given } = setup('en', { balance: 10_000, limit: 10_000 });
		await fireEvent.input(screen.getByLabelText('Amount'), { target: { value: '500' } });
		expect(screen.getByText('You can give at most €100.00 here.')).toBeTruthy();
		const submit = screen.getByRole('button', { name: 'Give' }) as HTMLButtonElement;
		expect(submit.disabled).toBe(true);
		await fireEvent.submit(submit.closest('form') as HTMLFormElement);
		expect(given).toEqual([]);
		await fireEvent.click(screen.getByRole('button', { name: 'Give €100.00 instead' }));
		expect(given).toEqual([10_000]);
	});

	it('50 against a 40 cap is not silently cut to 40 (French)', async () => {
		const { given } = setup('fr', { balance: 10_000, limit: 4_000 });
		await fireEvent.input(screen.getByLabelText('Montant'), { target: { value: '50' } });
		expect(screen.getByText('Vous pouvez donner au plus 40,00 € ici.')).toBeTruthy();
		expect((screen.getByRole('button', { name: 'Donner' }) as HTMLButtonElement).disabled).toBe(true);
		expect(given).toEqual([]);
	});

	it('says what giving will do, and asks once before more than half of the wallet', async () => {
		const { given } = setup('en', { balance: 5000, limit: 5000 });
		const input = screen.getByLabelText('Amount');
		await fireEvent.input(input, { target: { value: '10' } });
		expect(screen.getByText('After this: €20.00 in the bucket, €40.00 left for you.')).toBeTruthy();
		await fireEvent.input(input, { target: { value: '30' } });
		await fireEvent.click(screen.getByRole('button', { name: 'Give' }));
		expect(given).toEqual([]);
		expect(screen.getByText('That is more than half of the €50.00 you have left. Give €30.00 to this bucket?')).toBeTruthy();
		await fireEvent.click(screen.getByRole('button', { name: 'Yes, give €30.00' }));
		expect(given).toEqual([3000]);
	});

	it('a paid bucket offers no giving', () => {
		setup('en', { limit: 0, bucket: openBucket({ status: 'funded', total: 4000 as Amount, paidAt: 5 }) });
		expect(screen.queryByLabelText('Amount')).toBeNull();
		expect(screen.getByText('This bucket was paid out: it takes no more money.')).toBeTruthy();
	});

	it('a full bucket says which goal it reached: its stretch goal, or its only goal when it has no stretch', () => {
		setup('en', { limit: 0, bucket: openBucket({ status: 'funded', total: 6000 as Amount }) });
		expect(screen.getByText('This bucket reached its stretch goal.')).toBeTruthy();
		cleanup();
		setup('en', { limit: 0, bucket: openBucket({ status: 'funded', maxGoal: 4000 as Amount, total: 4000 as Amount }) });
		expect(screen.queryByText('This bucket reached its stretch goal.')).toBeNull();
		expect(screen.getByText('This bucket has all it asked for: it takes no more money.')).toBeTruthy();
	});

	it('a closed round says so, not “not open right now”', () => {
		setup('en', { phase: 'closed' as 'proposing' });
		expect(screen.getByText('The round is closed: no more money moves.')).toBeTruthy();
		expect(screen.queryByText(/right now/)).toBeNull();
	});

	it('§3 says why funding is closed outside the funding phase', () => {
		setup('fr', { phase: 'proposing' });
		expect(screen.getByText('Le financement n’est pas ouvert dans ce tour pour l’instant.')).toBeTruthy();
		expect(screen.queryByLabelText('Montant')).toBeNull();
	});

	it('§8 offline, one view: a gift still waiting is listed as waiting, never as “You gave” with a Take back', () => {
		setup('en', { own: 0, waiting: ['give €20.00 to “Stage lights”'], balance: 3000 });
		expect(screen.queryByText(/You gave/)).toBeNull();
		expect(screen.queryByRole('button', { name: /Take back/ })).toBeNull();
		expect(screen.getByRole('heading', { name: 'Waiting for the server (not counted above)' })).toBeTruthy();
		expect(screen.getByText('give €20.00 to “Stage lights”')).toBeTruthy();
		expect(screen.getByText('You have €30.00 left. This counts what is waiting.')).toBeTruthy();
	});

	it('§8 a take-back still waiting is not offered a second time', () => {
		setup('en', { own: 2000, waiting: ['take back €20.00 from “Stage lights”'] });
		expect(screen.getByText('You gave €20.00.')).toBeTruthy();
		expect(screen.queryByRole('button', { name: /Take back/ })).toBeNull();
	});
});
