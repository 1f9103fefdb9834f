import { describe, expect, it } from 'vitest';
import type { MemberId, TagId } from '$lib/domain/types';
import { listBuckets } from './bucket-list';
import type { BucketView } from './round.svelte';

const me = 'member-me' as MemberId;
type Loose = Partial<Omit<BucketView, 'total' | 'minGoal'>> & { total?: number; minGoal?: number };
const b = (id: string, over: Loose): BucketView =>
	({ id, title: id, summary: '', description: '', items: [], status: 'open', owners: [], minGoal: 1000, maxGoal: 1000, total: 0, createdAt: 0, tags: [], comments: [], funders: [], ...over }) as BucketView;
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

describe('searching the bucket list', () => {
	const many = [
		b('oven', { title: 'Bread oven', summary: 'A wood-fired oven for the village', createdAt: 1 }),
		b('cafe', { title: 'Café associatif', summary: 'Un lieu pour se retrouver', createdAt: 2 }),
		b('bikes', { title: 'Cargo bikes', summary: 'Two bikes to carry bread to the market', status: 'funded', createdAt: 3 }),
		b('school', { title: 'Jardin de l’école', summary: '', status: 'cancelled', createdAt: 4 })
	];
	const search = (text: string, filter: 'all' | 'open' | 'funded' | 'ended' = 'all') => ids(listBuckets(many, { filter, sort: 'newest', me, text }));

	it('finds words in the title or the summary, whatever the case and accents', () => {
		expect(search('OVEN')).toEqual(['oven']);
		expect(search('cafe')).toEqual(['cafe']);
		expect(search('ecole')).toEqual(['school']);
		expect(search('retrouver')).toEqual(['cafe']);
	});

	it('needs every word, in any order', () => {
		expect(search('bread')).toEqual(['bikes', 'oven']);
		expect(search('market bread')).toEqual(['bikes']);
		expect(search('bread nowhere')).toEqual([]);
	});

	it('combines with the status filter', () => {
		expect(search('bread', 'open')).toEqual(['oven']);
		expect(search('bread', 'funded')).toEqual(['bikes']);
		expect(search('bread', 'ended')).toEqual([]);
	});

	it('finds everything when the box is empty or blank', () => {
		expect(search('   ')).toEqual(['school', 'bikes', 'cafe', 'oven']);
	});
	it('§12 filters by tag, together with the status filter and the search', () => {
		const garden = 'tag-gardening' as TagId;
		const tagged = [...all, b('seeds', { createdAt: 4, tags: [garden] }), b('tools', { createdAt: 5, tags: [garden], status: 'funded' })];
		expect(ids(listBuckets(tagged, { filter: 'all', sort: 'newest', me, tag: garden }))).toEqual(['tools', 'seeds']);
		expect(ids(listBuckets(tagged, { filter: 'open', sort: 'newest', me, tag: garden }))).toEqual(['seeds']);
		expect(ids(listBuckets(tagged, { filter: 'all', sort: 'newest', me, tag: garden, text: 'see' }))).toEqual(['seeds']);
		expect(listBuckets(tagged, { filter: 'all', sort: 'newest', me, tag: '' })).toHaveLength(listBuckets(tagged, { filter: 'all', sort: 'newest', me }).length);
	});
});
