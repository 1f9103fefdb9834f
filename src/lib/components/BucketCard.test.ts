import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Amount, MemberId } from '$lib/domain/types';
import BucketCard from './BucketCard.svelte';
import { openBucket, withLanguage } from './test-context';

afterEach(cleanup);

const lights = openBucket({
	summary: 'LED spots for the big stage',
	funders: [
		{ memberId: 'member-ana' as MemberId, amount: 600 as Amount },
		{ memberId: 'member-bob' as MemberId, amount: 400 as Amount }
	]
});

describe('BucketCard', () => {
	it('§8 shows title link, status, progress (funded / goal / stretch) and my share, in English', () => {
		render(BucketCard, { props: { bucket: lights, roundId: 'round-0001', currency: 'EUR', own: 400 }, context: withLanguage('en').context });
		const link = screen.getByRole('link', { name: 'Stage lights' });
		expect(link.getAttribute('href')).toBe('/r/round-0001/b/bucket-lights');
		expect(screen.getByText('Open for funding')).toBeTruthy();
		const bar = screen.getByRole('progressbar', { name: 'Funding of Stage lights' });
		expect(bar.getAttribute('aria-valuenow')).toBe('1000');
		expect(bar.getAttribute('aria-valuemax')).toBe('4000');
		expect(bar.getAttribute('aria-valuetext')).toBe('€10.00 of €40.00 (25%)');
		expect(screen.getByText('€10.00 of €40.00')).toBeTruthy();
		expect(screen.getByText(/stretch goal €60.00/)).toBeTruthy();
		expect(screen.getByText('2 funders')).toBeTruthy();
		expect(screen.getByText('You gave €4.00')).toBeTruthy();
	});

	it('§8 in French, with amounts formatted the French way', () => {
		render(BucketCard, { props: { bucket: lights, roundId: 'round-0001', currency: 'EUR' }, context: withLanguage('fr').context });
		expect(screen.getByText('Ouvert au financement')).toBeTruthy();
		expect(screen.getByText((t) => t.replace(/\s/g, ' ') === '10,00 € sur 40,00 €')).toBeTruthy();
		expect(screen.queryByText(/Vous avez donné/)).toBeNull();
	});

	it('§2 anonymous rounds show no funder count; a bucket without budget says so', () => {
		render(BucketCard, {
			props: { bucket: { ...lights, minGoal: 0 as Amount, maxGoal: 0 as Amount, total: 0 as Amount, status: 'draft' }, roundId: 'r', currency: 'EUR', named: false },
			context: withLanguage('en').context
		});
		expect(screen.queryByText(/funders/)).toBeNull();
		expect(screen.queryByRole('progressbar')).toBeNull();
		expect(screen.getByText('No budget yet')).toBeTruthy();
	});
});
