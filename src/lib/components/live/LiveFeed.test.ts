import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Amount, MemberId } from '$lib/domain/types';
import { i18nIn } from '$lib/components/admin/test-i18n';
import type { FeedLine } from './board';
import LiveFeed from './LiveFeed.svelte';

afterEach(cleanup);

const items: FeedLine[] = [
	{ seq: 9, at: Date.UTC(2026, 5, 1, 18, 30), bucketId: 'b1', amount: 1250 as Amount, memberId: 'ann' as MemberId, refunded: false },
	{ seq: 7, at: Date.UTC(2026, 5, 1, 18, 29), bucketId: 'b2', amount: 500 as Amount, refunded: true }
];
const titleOf = (id: string) => ({ b1: 'Stage lights' })[id];

describe('LiveFeed', () => {
	it('§2 names funders in named rounds and says "Someone" otherwise, newest first', () => {
		render(LiveFeed, {
			props: { items, currency: 'EUR', nameOf: (i: FeedLine) => (i.memberId === 'ann' ? 'Ann' : null), titleOf },
			context: i18nIn('en')
		});
		const lines = screen.getAllByRole('listitem').map((li) => li.textContent?.replace(/\s+/g, ' ').trim());
		expect(lines[0]).toContain('Ann put €12.50 into “Stage lights”');
		expect(lines[1]).toContain('Someone put €5.00 into “a bucket”');
	});

	it('marks a contribution whose money went back to its funder', () => {
		render(LiveFeed, { props: { items, currency: 'EUR', nameOf: () => null, titleOf }, context: i18nIn('en') });
		const [kept, refunded] = screen.getAllByRole('listitem');
		expect(kept?.textContent).not.toContain('refunded');
		expect(refunded?.textContent).toContain('refunded');
	});

	it('speaks French with French amounts', () => {
		render(LiveFeed, { props: { items, currency: 'EUR', nameOf: () => null, titleOf }, context: i18nIn('fr') });
		expect(screen.getAllByRole('listitem')[0]?.textContent).toMatch(/Quelqu’un a mis 12,50\s€ dans « Stage lights »/);
	});

	it('says what will appear when there is nothing yet', () => {
		render(LiveFeed, { props: { items: [], currency: 'EUR', nameOf: () => null, titleOf }, context: i18nIn('en') });
		expect(screen.getByText('Contributions will appear here as they happen.')).toBeTruthy();
	});
});
