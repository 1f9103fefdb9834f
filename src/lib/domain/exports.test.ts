import { describe, expect, it } from 'vitest';
import { exportFileName, toBucketsCsv, toCsv, toJson, toMembersCsv, type RoundExport } from './exports.js';
import { toPabulib } from './pabulib.js';
import { apply, emptyState } from './reducer.js';
import type { Actor, Amount, BucketId, Command, CommandId, LedgerEntry, MemberId, RoundSettings } from './types.js';

const F = 'member-facil' as MemberId;
const A = 'member-alice' as MemberId;
const B = 'member-bobby' as MemberId;
const GARDEN = 'bucket-garden' as BucketId;
const BOOKS = 'bucket-books1' as BucketId;
const DRAFT = 'bucket-draft1' as BucketId;
const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 14, 9, 30);

const settings: RoundSettings = {
	name: 'Fête; 2026',
	currency: 'EUR',
	locale: 'fr-FR',
	phase: 'proposing',
	defaultAllocation: 5_000 as Amount,
	maxPerMemberPerBucket: null,
	transparency: 'named',
	requireApproval: false
};

/** A small round played through the reducer: one funded bucket, one refunded, one never published. */
function playedRound(): RoundExport {
	const state = emptyState();
	const ledger: LedgerEntry[] = [];
	let n = 0;
	const run = (body: Record<string, unknown>, actor: Actor, at = START + n * 60_000) => {
		const command = { ...body, id: `command-${++n}-abcdef` as CommandId, at } as Command;
		ledger.push(...apply(state, command, actor, at).entries);
	};
	const sys: Actor = { kind: 'system' };
	const as = (memberId: MemberId): Actor => ({ kind: 'member', memberId, role: memberId === F ? 'facilitator' : 'member' });
	run({ type: 'open', settings }, sys);
	for (const m of [F, A, B]) run({ type: 'join', memberId: m }, sys);
	for (const [b, min] of [[GARDEN, 3_000], [BOOKS, 9_000], [DRAFT, 100]] as const) {
		run({ type: 'create', bucketId: b, memberId: A }, sys);
		run({ type: 'setGoals', bucketId: b, minGoal: min, maxGoal: min }, sys);
	}
	run({ type: 'publish', bucketId: GARDEN }, as(A));
	run({ type: 'publish', bucketId: BOOKS }, as(A));
	run({ type: 'setPhase', phase: 'funding' }, as(F));
	run({ type: 'contribute', bucketId: GARDEN, amount: 1_250 }, as(A));
	run({ type: 'contribute', bucketId: GARDEN, amount: 1_750 }, as(B));
	run({ type: 'contribute', bucketId: BOOKS, amount: 400 }, as(B));
	run({ type: 'allocate', memberId: A, amount: 4_000, mode: 'set' }, as(F));
	run({ type: 'setPhase', phase: 'closed' }, as(F), START + 3 * DAY);
	return {
		roundId: 'round-abcdefgh',
		settings,
		members: [
			{ id: F, name: 'Ana', role: 'facilitator' },
			{ id: A, name: '=HYPERLINK("http://evil")', role: 'member' },
			{ id: B, name: 'Bob, "the builder"', role: 'member' }
		],
		buckets: [
			{ id: GARDEN, title: 'Jardin partagé' },
			{ id: BOOKS, title: '@books\nand more' },
			{ id: DRAFT, title: 'Brouillon' }
		],
		ledger
	};
}

describe('toCsv (DESIGN §7, §13 exports)', () => {
	it('§13 French round: BOM, `;` separator, decimal comma, one row per ledger entry', () => {
		const round = playedRound();
		const csv = toCsv(round);
		expect(csv.startsWith('\uFEFFseq;date;date_utc;kind;type;bucket_id;bucket_title;member_id;member_name;amount;currency;min_goal;max_goal;status;expense;note\r\n')).toBe(true);
		expect(csv).toContain('\r\n1;2026-03-14 09:30:00;2026-03-14T09:30:00.000Z;record;open;;;;;;EUR;;;;;\r\n');
		expect(csv).toMatch(/;money;contribute;bucket-garden;Jardin partagé;member-alice;[^\r]*;12,50;EUR;;;;;\r\n/);
	});

	it('§13 English round: `,` separator and decimal point', () => {
		const round = playedRound();
		const csv = toCsv({ ...round, settings: { ...round.settings, locale: 'en-GB' } });
		expect(csv.startsWith('\uFEFFseq,date,date_utc,kind,')).toBe(true);
		expect(csv).toMatch(/,money,contribute,bucket-garden,Jardin partagé,member-alice,[^\r]*,12\.50,EUR,,,,,\r\n/);
	});

	it('§13 dates in the round time zone; an unknown zone is refused', () => {
		const csv = toCsv(playedRound(), { timeZone: 'Europe/Paris' });
		expect(csv).toContain('\r\n1;2026-03-14 10:30:00;2026-03-14T09:30:00.000Z;');
		expect(() => toCsv(playedRound(), { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
	});

	it('§13 kind marks bookkeeping; goals rows carry the goals; negative amounts stay numbers', () => {
		const csv = toCsv(playedRound());
		expect(csv).toMatch(/;record;goals;bucket-garden;Jardin partagé;;;;EUR;30,00;30,00;;;\r\n/);
		expect(csv).toMatch(/;total;settle;bucket-garden;Jardin partagé;;;30,00;EUR;;;;;\r\n/);
		expect(csv).toMatch(/;money;allocate;;;member-alice;[^\r]*;-10,00;EUR;;;;;\r\n/);
		expect(csv).toMatch(/;record;status;bucket-books1;[^\r]*;;EUR;;;unfunded;;\r\n/);
	});

	it('§13 hideFunders: funding rows name nobody, other rows keep their member', () => {
		const csv = toCsv(playedRound(), { hideFunders: true });
		expect(csv).toMatch(/;money;contribute;bucket-garden;Jardin partagé;;;12,50;EUR;;;;;\r\n/);
		expect(csv).toMatch(/;money;refund;bucket-books1;[^\r]*;;;4,00;EUR;;;;;\r\n/);
		expect(csv).toMatch(/;money;allocate;;;member-alice;/);
		const json = JSON.parse(toJson(playedRound(), { hideFunders: true }));
		expect(json.ledger.filter((e: LedgerEntry) => ['contribute', 'withdraw', 'refund'].includes(e.type) && 'memberId' in e)).toEqual([]);
		expect(json.ledger.some((e: LedgerEntry) => e.type === 'contribute')).toBe(true);
	});

	it('§7 formula injection: text cells starting with = + - @ tab CR get a leading quote; RFC 4180 quoting', () => {
		const csv = toCsv(playedRound());
		expect(csv).toContain(`;"'=HYPERLINK(""http://evil"")";`);
		expect(csv).toContain(`;"'@books\nand more";`);
		expect(csv).toContain(';"Bob, ""the builder""";');
		expect(csv).not.toMatch(/;=HYPERLINK/);
		expect(csv).not.toContain(";'-10,00");
	});
});

describe('toBucketsCsv and toMembersCsv (§13 totals)', () => {
	it('§13 one row per bucket: goals, total, stretch, given, refunded, funders', () => {
		const lines = toBucketsCsv(playedRound()).split('\r\n');
		expect(lines[0]).toBe('\uFEFFbucket_id;title;status;currency;min_goal;max_goal;total;stretch;given;refunded;funders');
		expect(lines).toContain('bucket-garden;Jardin partagé;funded;EUR;30,00;30,00;30,00;0,00;30,00;0,00;2');
		expect(lines).toContain(`bucket-books1;"'@books\nand more";unfunded;EUR;90,00;90,00;0,00;0,00;4,00;4,00;1`);
	});

	it('§13 one row per member: allocated = spent + unspent, given = spent + refunded', () => {
		const lines = toMembersCsv(playedRound()).split('\r\n');
		expect(lines[0]).toBe('\uFEFFmember_id;name;role;currency;allocated;given;refunded;spent;unspent');
		expect(lines).toContain('member-bobby;"Bob, ""the builder""";member;EUR;50,00;21,50;4,00;17,50;32,50');
		expect(lines).toContain(`member-alice;"'=HYPERLINK(""http://evil"")";member;EUR;40,00;12,50;0,00;12,50;27,50`);
	});
});

describe('toJson (DESIGN §7, §13)', () => {
	it('§13 version, export time, round, members and buckets with totals, and the ledger', () => {
		const round = playedRound();
		const json = JSON.parse(toJson(round, { exportedAt: Date.UTC(2026, 2, 20) }));
		expect(json.version).toBe(1);
		expect(json.exportedAt).toBe('2026-03-20T00:00:00.000Z');
		expect(json.round).toMatchObject({ id: 'round-abcdefgh', name: 'Fête; 2026', minorDigits: 2, pool: 14_000 });
		expect(json.members).toContainEqual({
			id: A,
			name: '=HYPERLINK("http://evil")',
			role: 'member',
			allocated: 4_000,
			spent: 1_250,
			given: 1_250,
			refunded: 0,
			unspent: 2_750
		});
		expect(json.buckets).toContainEqual(expect.objectContaining({ id: GARDEN, status: 'funded', total: 3_000, minGoal: 3_000, owners: [A] }));
		expect(json.buckets).toContainEqual(expect.objectContaining({ id: BOOKS, status: 'unfunded', total: 0, given: 400, refunded: 400 }));
		expect(json.ledger).toEqual(round.ledger);
	});
});

describe('toPabulib (DESIGN §7, §13)', () => {
	const sections = (pb: string) => {
		const [meta, rest] = pb.split('PROJECTS\n') as [string, string];
		const [projects, votes] = rest.split('VOTES\n') as [string, string];
		const lines = (text: string) => text.split('\n').filter(Boolean);
		const keys = new Map(lines(meta).slice(2).map((line) => [line.slice(0, line.indexOf(';')), line.slice(line.indexOf(';') + 1)]));
		return { meta: lines(meta), keys, projects: lines(projects), votes: lines(votes) };
	};

	it('§13 META: required keys in the format order, rule unknown, numbered comments, country from the locale', () => {
		const { meta, keys } = sections(toPabulib(playedRound()));
		expect(meta.slice(0, 2)).toEqual(['META', 'key;value']);
		expect([...keys.keys()]).toEqual([
			'description', 'country', 'unit', 'instance', 'num_projects', 'num_votes', 'budget', 'vote_type', 'rule',
			'date_begin', 'date_end', 'max_sum_points', 'language', 'currency', 'fully_funded', 'comment'
		]);
		expect(Object.fromEntries(keys)).toMatchObject({
			description: '"Fête; 2026"',
			country: 'France',
			instance: '2026',
			num_projects: '2',
			num_votes: '2',
			budget: '14000',
			fully_funded: '1',
			vote_type: 'cumulative',
			rule: 'unknown',
			date_begin: '14.03.2026',
			date_end: '17.03.2026',
			currency: 'EUR',
			language: 'fr',
			max_sum_points: '5000'
		});
		expect(keys.get('comment')).toMatch(/^#1: amounts .* #2: rule unknown: .* #5: points = /);
	});

	it('§13 country: Worldwide when the locale names no region, or the option', () => {
		const round = playedRound();
		const plain = { ...round, settings: { ...round.settings, locale: 'fr' } };
		expect(sections(toPabulib(plain)).keys.get('country')).toBe('Worldwide');
		expect(sections(toPabulib(plain, { country: 'Belgium' })).keys.get('country')).toBe('Belgium');
	});

	it('§13 PROJECTS: project_id;cost;votes;score;name;selected, ballots keep refunded money', () => {
		const { projects } = sections(toPabulib(playedRound()));
		expect(projects).toEqual([
			'project_id;cost;votes;score;name;selected',
			'bucket-books1;9000;1;400;@books and more;0',
			'bucket-garden;3000;2;3000;Jardin partagé;1'
		]);
	});

	it('§13 VOTES: projects by decreasing points; numbered voters in anonymous rounds', () => {
		const round = playedRound();
		expect(sections(toPabulib(round)).votes).toEqual([
			'voter_id;vote;points',
			'member-alice;bucket-garden;1250',
			'member-bobby;bucket-garden,bucket-books1;1750,400'
		]);
		const anonymous = { ...round, settings: { ...round.settings, transparency: 'anonymous' as const } };
		// Numbered in the order of the ballots, not of the member ids (Alice's id sorts first).
		expect(sections(toPabulib(anonymous)).votes).toEqual(['voter_id;vote;points', '1;bucket-garden,bucket-books1;1750,400', '2;bucket-garden;1250']);
	});

	it('§13 budget=pool: the ballots instance (Σ allocations, cost = minimum goal)', () => {
		const { keys, projects } = sections(toPabulib(playedRound(), { budget: 'pool' }));
		expect(keys.get('budget')).toBe('14000');
		expect(projects).toContain('bucket-garden;3000;2;3000;Jardin partagé;1');
	});
});

describe('export file names (exportFileName)', () => {
	it('§7 names: from the round’s name, an ASCII fallback and a UTF-8 name, never a path or a quote', () => {
		expect(exportFileName('Assemblée 2026', 'csv')).toEqual({ utf8: 'assemblée-2026-ledger.csv', ascii: 'assemblee-2026-ledger.csv' });
		expect(exportFileName('Assemblée 2026', 'history').ascii).toBe('assemblee-2026-my-money.csv');
		expect(exportFileName('  ../..\\"Œuvre" d’été\u202E; ', 'json')).toEqual({ utf8: 'œuvre-d-été-round.json', ascii: 'uvre-d-ete-round.json' });
		expect(exportFileName('🎉 ✨', 'pb')).toEqual({ utf8: 'round.pb', ascii: 'round.pb' });
	});

	it('§7 names: at most 60 characters from the name, cut on a letter, not on a dash', () => {
		const { utf8, ascii } = exportFileName(`${'é'.repeat(59)} x y`, 'csv');
		expect(utf8).toBe(`${'é'.repeat(59)}-ledger.csv`);
		expect(ascii).toBe(`${'e'.repeat(59)}-ledger.csv`);
	});
});
