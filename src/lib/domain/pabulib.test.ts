import { describe, expect, it } from 'vitest';
import type { RoundExport } from './exports.js';
import { countryName, toPabulib, UNSELECTABLE_COST, type PabulibOptions } from './pabulib.js';
import { apply, emptyState } from './reducer.js';
import type { Actor, Amount, BucketId, Command, CommandId, LedgerEntry, MemberId, RoundSettings } from './types.js';

const F = 'member-facil' as MemberId;
const A = 'member-alice' as MemberId;
const B = 'member-bobby' as MemberId;
const HALL = 'bucket-hall01' as BucketId;
const SOUP = 'bucket-soup01' as BucketId;
const TENT = 'bucket-tent01' as BucketId;

const base: RoundSettings = {
	name: 'Quartier 2026',
	currency: 'EUR',
	locale: 'fr-BE',
	phase: 'proposing',
	defaultAllocation: 5_000 as Amount,
	maxPerMemberPerBucket: null,
	transparency: 'named',
	requireApproval: false
};

interface Play {
	settings?: Partial<RoundSettings>;
	/** bucket, minimum goal, maximum goal */
	buckets: [BucketId, number, number][];
	/** member, bucket, amount */
	gifts: [MemberId, BucketId, number][];
}

/** A closed round played through the reducer: F, A and B hold 5 000 each (a pool of 15 000). */
function played({ settings = {}, buckets, gifts }: Play): RoundExport {
	const state = emptyState();
	const ledger: LedgerEntry[] = [];
	let n = 0;
	const run = (body: Record<string, unknown>, actor: Actor) => {
		const at = Date.UTC(2026, 4, 2, 9) + ++n * 60_000;
		const result = apply(state, { ...body, id: `command-${n}-abcdef` as CommandId, at } as Command, actor, at);
		expect(result.outcome, String(body.type)).toMatchObject({ ok: true });
		ledger.push(...result.entries);
	};
	const sys: Actor = { kind: 'system' };
	const as = (memberId: MemberId): Actor => ({ kind: 'member', memberId, role: memberId === F ? 'facilitator' : 'member' });
	run({ type: 'open', settings: { ...base, ...settings } }, sys);
	for (const m of [F, A, B]) run({ type: 'join', memberId: m }, sys);
	for (const [b, min, max] of buckets) {
		run({ type: 'create', bucketId: b, memberId: A }, sys);
		run({ type: 'setGoals', bucketId: b, minGoal: min, maxGoal: max }, sys);
		run({ type: 'publish', bucketId: b }, as(A));
	}
	run({ type: 'setPhase', phase: 'funding' }, as(F));
	for (const [m, b, amount] of gifts) run({ type: 'contribute', bucketId: b, amount }, as(m));
	run({ type: 'setPhase', phase: 'closed' }, as(F));
	return {
		roundId: 'round-abcdefgh',
		settings: state.settings,
		members: [
			{ id: F, name: 'Ana', role: 'facilitator' },
			{ id: A, name: 'Alice', role: 'member' },
			{ id: B, name: 'Bob', role: 'member' }
		],
		buckets: buckets.map(([id]) => ({ id, title: id.slice(7) })),
		ledger
	};
}

/** META as a map, PROJECTS rows by id (cost, votes, score, name, selected). */
function read(pb: string) {
	const [meta, rest] = pb.split('PROJECTS\n') as [string, string];
	const [projects] = rest.split('VOTES\n') as [string, string];
	const keys = new Map(
		meta
			.split('\n')
			.slice(2)
			.filter(Boolean)
			.map((line) => [line.slice(0, line.indexOf(';')), line.slice(line.indexOf(';') + 1)])
	);
	const rows = new Map(
		projects
			.split('\n')
			.slice(1)
			.filter(Boolean)
			.map((line) => line.split(';'))
			.map(([id, ...cells]) => [id as string, cells])
	);
	return { keys, rows, comment: keys.get('comment') ?? '' };
}

// The hall asks for more than the 15 000 the members had; soup is funded with 500 stretch; the tent is refunded.
const villageHall: Play = {
	buckets: [
		[HALL, 40_000, 40_000],
		[SOUP, 3_000, 4_000],
		[TENT, 9_000, 9_000]
	],
	gifts: [
		[A, HALL, 2_000],
		[A, SOUP, 2_000],
		[B, SOUP, 1_500],
		[B, TENT, 1_000]
	]
};

describe('toPabulib budget semantics (PROTOCOL §8)', () => {
	it('§8 default budget=pool: budget = Σ allocations, cost = minimum goal, selected = funded', () => {
		const { keys, rows, comment } = read(toPabulib(played(villageHall)));
		expect(keys.get('budget')).toBe('15000');
		expect(rows.get(SOUP)).toEqual(['3000', '2', '3500', 'soup01', '1']);
		expect(rows.get(TENT)).toEqual(['9000', '1', '1000', 'tent01', '0']);
		expect(comment).toContain('#3: budget = the money the members held in all, cost = minimum goal, funded buckets kept 35.00 EUR');
		expect(comment).toContain('#4: stretch money above minimum goals: bucket-soup01 5.00 EUR (minimum 30.00 EUR)');
	});

	it('§8 a project dearer than the whole budget gets the unselectable cost, its minimum goal in a comment', () => {
		const { rows, comment, keys } = read(toPabulib(played(villageHall)));
		expect(rows.get(HALL)).toEqual([String(UNSELECTABLE_COST), '1', '2000', 'hall01', '0']);
		expect(comment).toContain(`#6: cost ${UNSELECTABLE_COST} = more than the whole budget, so it could never be selected: bucket-hall01 (minimum 400.00 EUR)`);
		// With it, the costs exceed the budget: not fully funded.
		expect(keys.has('fully_funded')).toBe(false);
	});

	it('§8 every cost within the budget and their sum too: fully_funded = 1 between currency and comment', () => {
		const small: Play = { ...villageHall, buckets: villageHall.buckets.filter(([id]) => id !== HALL), gifts: villageHall.gifts.slice(1) };
		const pb = toPabulib(played(small));
		const { keys, comment } = read(pb);
		expect([...keys.keys()].slice(-3)).toEqual(['currency', 'fully_funded', 'comment']);
		expect(keys.get('fully_funded')).toBe('1');
		expect(comment).toMatch(/#3: [^#]*, fully_funded = 1: the budget could pay for every project, the members chose which #4: /);
		expect(pb).not.toContain(String(UNSELECTABLE_COST));
	});

	it('§8 budget=funded: budget = what funded buckets kept, their cost includes stretch; nothing funded: every project unselectable', () => {
		const { keys, rows } = read(toPabulib(played(villageHall), { budget: 'funded' }));
		expect(keys.get('budget')).toBe('3500');
		expect(rows.get(SOUP)?.slice(0, 1)).toEqual(['3500']);
		expect(rows.get(TENT)?.[0]).toBe(String(UNSELECTABLE_COST));
		const none = read(toPabulib(played({ ...villageHall, gifts: [[B, TENT, 1_000]] }), { budget: 'funded' }));
		expect(none.keys.get('budget')).toBe('0');
		expect(none.rows.get(TENT)).toEqual([String(UNSELECTABLE_COST), '1', '1000', 'tent01', '0']);
	});

	it('§8 a budget as large as the unselectable cost keeps real costs: the sentinel would look affordable', () => {
		const huge: Play = {
			settings: { defaultAllocation: 400_000_000 as Amount },
			buckets: [
				[HALL, 2_000_000_000, 2_000_000_000],
				[SOUP, 3_000, 3_000]
			],
			gifts: [
				[A, HALL, 1_000],
				[B, SOUP, 3_000]
			]
		};
		const { keys, rows } = read(toPabulib(played(huge)));
		expect(keys.get('budget')).toBe('1200000000');
		expect(rows.get(HALL)?.[0]).toBe('2000000000');
	});

	it('§8 a selected project never gets the unselectable cost, in either budget', () => {
		for (const budget of ['pool', 'funded'] as const) {
			const { rows } = read(toPabulib(played(villageHall), { budget }));
			for (const [id, [cost, , , , selected]] of rows) if (selected === '1') expect(cost, `${budget} ${id}`).not.toBe(String(UNSELECTABLE_COST));
		}
	});
});

describe('toPabulib country (PROTOCOL §5, §8)', () => {
	const country = (settings: Partial<RoundSettings>, options: PabulibOptions = {}) =>
		read(toPabulib(played({ ...villageHall, settings }), options)).keys.get('country');

	it('§8 the round’s country setting, written as its English name', () => {
		expect(country({ country: 'NL' })).toBe('Netherlands');
		expect(country({ country: 'CH', locale: 'fr-FR' })).toBe('Switzerland');
	});

	it('§8 without the setting: the locale’s region, else Worldwide', () => {
		expect(country({})).toBe('Belgium');
		expect(country({ country: null })).toBe('Belgium');
		expect(country({ locale: 'fr' })).toBe('Worldwide');
		expect(country({ locale: 'en-150' })).toBe('Worldwide');
	});

	it('§8 the export option wins over the setting; a code in it is written as its name', () => {
		expect(country({ country: 'NL' }, { country: 'Belgium' })).toBe('Belgium');
		expect(country({ country: 'NL' }, { country: 'RU' })).toBe('Russian Federation');
		expect(country({}, { country: 'Worldwide' })).toBe('Worldwide');
	});

	it('§8 names the pabulib checker knows: ISO 3166 short names where Intl’s differ, none for codes that are no country', () => {
		expect(countryName('BE')).toBe('Belgium');
		expect(countryName('CI')).toBe("Côte d'Ivoire");
		expect(countryName('BA')).toBe('Bosnia and Herzegovina');
		expect(countryName('KR')).toBe('South Korea');
		for (const code of ['EU', 'UN', 'XK', 'ZZ', 'be', 'BEL', '']) expect(countryName(code), code).toBeUndefined();
	});
});
