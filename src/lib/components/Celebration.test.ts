import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { BucketId } from '$lib/domain/types';
import { RoundView } from '$lib/state/round.svelte';
import Celebration from './Celebration.svelte';
import { withLanguage } from './test-context';

afterEach(cleanup);

describe('Celebration', () => {
	it('says the bucket reached its goal in words, with no emoji (Chromium without an emoji font shows a box)', () => {
		const round = new RoundView();
		round.celebrations = [{ bucketId: 'bucket-lights' as BucketId, title: 'Lights' }];
		const { context } = withLanguage('en');
		render(Celebration, { props: { round }, context });
		const status = screen.getByRole('status');
		expect(status.textContent).toContain('“Lights” reached its goal!');
		expect(status.textContent).not.toMatch(/\p{Extended_Pictographic}/u);
		// The burst is decoration only.
		expect(status.querySelector('.burst')?.getAttribute('aria-hidden')).toBe('true');
	});
});
