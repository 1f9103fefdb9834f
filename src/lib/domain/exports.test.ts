import { describe, expect, it } from 'vitest';
import { exportFileName, toCsv, toJson, toPabulib, type RoundExport } from './exports.js';
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

describe('toCsv (DESIGN §7)', () => {
	it('§7 UTF-8 BOM, a header row and one row per ledger entry', () => {
		const round = playedRound();
		const csv = toCsv(round);
		expect(csv.startsWith('\uFEFFseq,date,type,bucket_id,bucket_title,member_id,member_name,amount,status\r\n')).toBe(true);
		expect(csv.trimEnd().split('\r\n')).toHaveLength(round.ledger.length + 1);
		expect(csv).toContain('\r\n1,2026-03-14T09:30:00.000Z,open,,,,,0.00,\r\n');
	});

	it('§7 amounts in major units with a dot; negative allocation deltas stay numbers', () => {
		const csv = toCsv(playedRound());
		expect(csv).toContain(',contribute,bucket-garden,Jardin partagé,member-alice,');
		expect(csv).toMatch(/,contribute,bucket-garden,[^\r]*,12\.50,\r\n/);
		expect(csv).toMatch(/,allocate,,,member-alice,[^\r]*,-10\.00,\r\n/);
		expect(csv).toMatch(/,status,bucket-books1,[^\r]*,0\.00,unfunded\r\n/);
		expect(csv).toMatch(/,phase,,,,,0\.00,closed\r\n/);
	});

	it('§7 formula injection: cells starting with = + - @ tab CR get a leading quote; RFC 4180 quoting', () => {
		const csv = toCsv(playedRound());
		expect(csv).toContain(`,"'=HYPERLINK(""http://evil"")",`);
		expect(csv).toContain(`,"'@books\nand more",`);
		expect(csv).toContain(',"Bob, ""the builder""",');
		expect(csv).not.toMatch(/,=HYPERLINK/);
	});
});

describe('toJson (DESIGN §7)', () => {
	it('§7 round, members, buckets (with final accounts) and ledger', () => {
		const round = playedRound();
		const json = JSON.parse(toJson(round));
		expect(json.round).toMatchObject({ id: 'round-abcdefgh', name: 'Fête; 2026', phase: 'proposing' });
		expect(json.members).toContainEqual({ id: A, name: '=HYPERLINK("http://evil")', role: 'member', allocated: 4_000, spent: 1_250 });
		expect(json.buckets).toContainEqual(expect.objectContaining({ id: GARDEN, status: 'funded', total: 3_000, minGoal: 3_000 }));
		expect(json.buckets).toContainEqual(expect.objectContaining({ id: BOOKS, status: 'unfunded', total: 0 }));
		expect(json.ledger).toEqual(round.ledger);
	});
});

describe('toPabulib (DESIGN §7)', () => {
	const sections = (pb: string) => {
		const [meta, rest] = pb.split('PROJECTS\n') as [string, string];
		const [projects, votes] = rest.split('VOTES\n') as [string, string];
		return { meta: meta.split('\n').filter(Boolean), projects: projects.split('\n').filter(Boolean), votes: votes.split('\n').filter(Boolean) };
	};

	it('§7 META has every required key plus currency, language and max_sum_points', () => {
		const { meta } = sections(toPabulib(playedRound()));
		expect(meta.slice(0, 2)).toEqual(['META', 'key;value']);
		const keys = new Map(meta.slice(2).map((line) => [line.slice(0, line.indexOf(';')), line.slice(line.indexOf(';') + 1)]));
		expect(Object.fromEntries(keys)).toMatchObject({
			description: '"Fête; 2026"',
			country: 'FR',
			instance: '2026',
			num_projects: '2',
			num_votes: '2',
			budget: '14000',
			vote_type: 'cumulative',
			date_begin: '14.03.2026',
			date_end: '17.03.2026',
			currency: 'EUR',
			language: 'fr',
			max_sum_points: '5000'
		});
		for (const key of ['unit', 'rule', 'comment']) expect(keys.has(key), key).toBe(true);
	});

	it('§7 PROJECTS: published buckets, cost = minGoal, votes = funders, selected = funded', () => {
		const { projects } = sections(toPabulib(playedRound()));
		expect(projects).toEqual([
			'project_id;cost;name;votes;selected',
			'bucket-garden;3000;Jardin partagé;2;1',
			'bucket-books1;9000;@books and more;0;0'
		]);
	});

	it('§7 VOTES: each voter final money per bucket, points in the same order as vote', () => {
		const { votes } = sections(toPabulib(playedRound()));
		expect(votes).toEqual(['voter_id;vote;points', 'member-alice;bucket-garden;1250', 'member-bobby;bucket-garden;1750']);
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
