import { describe, expect, it } from 'vitest';
import type { MemberId } from '$lib/domain/types';
import { listBuckets } from './bucket-list';
import type { BucketView } from './round.svelte';

const me = 'member-me' as MemberId;
type Loose = Partial<Omit<BucketView, 'total' | 'minGoal'>> & { total?: number; minGoal?: number };
const b = (id: string, over: Loose): BucketView =>
	({ id, title: id, summary: '', description: '', items: [], status: 'open', owners: [], minGoal: 1000, maxGoal: 1000, total: 0, createdAt: 0, comments: [], funders: [], ...over }) as BucketView;
const all = [
	b('old-open', { createdAt: 1, total: 900 }),
	b('new-open', { createdAt: 3, total: 100 }),
	b('funded', { createdAt: 2, status: 'funded', total: 1000 }),
	b('my-draft', { status: 'draft', owners: [me], minGoal: 0 }),
	b('their-draft', { status: 'draft', owners: ['member-x' as MemberId] }),
	b('gone', { status: 'cancelled' })
];
const ids = (list: BucketView[]) => list.map((x) => x.id);

describe('bucket list', () => {
	it('drafts are shown to their owners only', () => {
		expect(ids(listBuckets(all, { filter: 'all', sort: 'newest', me }))).not.toContain('their-draft');
		expect(ids(listBuckets(all, { filter: 'mine', sort: 'newest', me }))).toEqual(['my-draft']);
	});
	it('filters by status', () => {
		expect(ids(listBuckets(all, { filter: 'open', sort: 'newest', me }))).toEqual(['new-open', 'old-open']);
		expect(ids(listBuckets(all, { filter: 'funded', sort: 'newest', me }))).toEqual(['funded']);
		expect(ids(listBuckets(all, { filter: 'ended', sort: 'newest', me }))).toEqual(['gone']);
	});
	it('sorts by most funded and closest to goal', () => {
		expect(ids(listBuckets(all, { filter: 'open', sort: 'mostFunded', me }))).toEqual(['old-open', 'new-open']);
		expect(ids(listBuckets(all, { filter: 'all', sort: 'closest', me })).slice(0, 2)).toEqual(['old-open', 'new-open']);
	});
});
