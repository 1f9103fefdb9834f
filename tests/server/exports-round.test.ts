// DESIGN §13 exports that the tools accept: a realistic round played against the real server
// (8 buckets, 6 members, two buckets refunded at close, stretch money on two), its exports read
// back with parsers this project did not write (csv-parse, ajv) and a `.pb` reader written here
// from the pabulib format description, never with the exporter's own code.
import Ajv from 'ajv';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/lib/domain/types.js';
import {
	api,
	bucketState,
	createBucket,
	createRound,
	invite,
	ledger,
	memberClient,
	receiptOf,
	roundClient,
	send,
	startTestServer,
	stopTestServer,
	waitFor,
	type Client,
	type Member,
	type TestServer
} from './helpers.js';

let server: TestServer;
const clients: Client[] = [];
const names = ['Alice', 'Bruno', 'Chloé', '=Dmitri', 'Élise'];
let people: Member[] = [];
let docs: Client[] = [];
let observer: Client;
const ids: Record<string, string> = {};

/** title, min, max (stretch) — created by Alice and published. */
const BUCKETS: [string, number, number][] = [
	['Buvette; solidaire', 15_000, 18_000],
	['Chapiteau', 40_000, 40_000],
	['Concert du soir', 25_000, 30_000],
	['Jardin partagé', 12_000, 12_000],
	['Jeux pour enfants', 8_000, 10_000],
	['Guirlandes', 6_000, 6_000],
	['Tombola', 5_000, 5_000],
	['Atelier vélo', 9_000, 9_000]
];
/** person index (0 = the facilitator), bucket index, amount (negative: withdraw). */
const MOVES: [number, number, number][] = [
	[0, 0, 5_000], [1, 0, 6_000], [2, 0, 4_000], [3, 0, 3_000],
	[1, 1, 8_000], [4, 1, 9_000], [5, 1, 6_000],
	[2, 2, 9_000], [3, 2, 8_000], [4, 2, 6_000], [5, 2, 5_000],
	[0, 3, 7_000], [5, 3, 5_000],
	[1, 4, 4_000], [3, 4, 4_000],
	[0, 5, 2_000], [2, 5, 1_500],
	[4, 7, 3_000], [4, 7, -1_000], [0, 7, 6_000], [2, 7, 1_000]
];

async function ok(client: Client, command: Record<string, unknown>): Promise<void> {
	const result = await receiptOf(client, send(client, command));
	expect(result, JSON.stringify(command)).toMatchObject({ ok: true });
}

const get = (path: string, token = people[0]?.token) => api(server, 'GET', `/api/rounds/${people[0]?.roundId}/${path}`, undefined, token);

beforeAll(async () => {
	server = await startTestServer();
	const facilitator = await createRound(server, { name: 'Fête du village', locale: 'fr-FR', defaultAllocation: 20_000 });
	people = [facilitator];
	for (const name of names) people.push(await invite(server, facilitator, name));
	observer = roundClient(server, facilitator);
	clients.push(observer);
	docs = people.map((p) => memberClient(server, p));
	clients.push(...docs);
	await Promise.all([observer, ...docs].map((c) => c.synced()));
	const alice = roundClient(server, people[1] as Member);
	clients.push(alice);
	await alice.synced();
	for (const [title, min, max] of BUCKETS) ids[title] = createBucket(alice, [{ label: title, min, max }], title);
	await waitFor(() => BUCKETS.every(([title, min]) => bucketState(alice, ids[title] as string)?.minGoal === min), 'goals');
	for (const [title] of BUCKETS) await ok(docs[1] as Client, { type: 'publish', bucketId: ids[title] });
	await ok(docs[0] as Client, { type: 'setPhase', phase: 'funding' });
	for (const [who, bucket, amount] of MOVES) {
		const bucketId = ids[(BUCKETS[bucket] as [string, number, number])[0]];
		await ok(docs[who] as Client, amount > 0 ? { type: 'contribute', bucketId, amount } : { type: 'withdraw', bucketId, amount: -amount });
	}
	await ok(docs[0] as Client, { type: 'setPhase', phase: 'closed' });
	await waitFor(() => bucketState(observer, ids['Chapiteau'] as string)?.status === 'unfunded', 'the close');
}, 30_000);

afterAll(() => stopTestServer(server, clients));

/** pabulib format, read from its description: META/PROJECTS/VOTES, `;`-separated, a header row each. */
function readPb(text: string) {
	const sections: Record<string, { header: string[]; rows: string[][] }> = {};
	let current: { header: string[]; rows: string[][] } | undefined;
	const rows = parse(text, { delimiter: ';', relax_column_count: true }) as string[][];
	for (const row of rows) {
		const first = row[0] ?? '';
		if (['META', 'PROJECTS', 'VOTES'].includes(first)) {
			current = { header: [], rows: [] };
			sections[first] = current;
		} else if (current && current.header.length === 0) current.header = row;
		else current?.rows.push(row);
	}
	const table = (name: string) =>
		(sections[name]?.rows ?? []).map((row) => Object.fromEntries((sections[name]?.header ?? []).map((key, i) => [key, row[i] ?? ''])));
	return {
		order: Object.keys(sections),
		meta: new Map((sections.META?.rows ?? []).map(([key, value]) => [key as string, value ?? ''])),
		metaKeys: (sections.META?.rows ?? []).map(([key]) => key as string),
		projectHeader: sections.PROJECTS?.header ?? [],
		voteHeader: sections.VOTES?.header ?? [],
		projects: table('PROJECTS'),
		votes: table('VOTES')
	};
}

/** A French spreadsheet's number: decimal comma, no grouping. */
const frNumber = (cell: string) => (/^-?\d+(,\d+)?$/.test(cell) ? Number(cell.replace(',', '.')) : NaN);

describe('§13 the .pb of a realistic closed round', () => {
	it('§13 pabulib: sections in order, every required META key, recognised rule, numbered comment, country set', async () => {
		const pb = await get('export.pb');
		expect(pb.status).toBe(200);
		expect(pb.text).not.toMatch(/\n\n|^\s|\s$(?<!\n)/);
		const file = readPb(pb.text);
		expect(file.order).toEqual(['META', 'PROJECTS', 'VOTES']);
		for (const key of ['description', 'country', 'unit', 'instance', 'num_projects', 'num_votes', 'budget', 'vote_type', 'rule', 'date_begin', 'date_end']) {
			expect(file.meta.get(key), key).toBeTruthy();
		}
		const expected = ['description', 'country', 'unit', 'instance', 'num_projects', 'num_votes', 'budget', 'vote_type', 'rule', 'date_begin', 'date_end', 'max_sum_points', 'language', 'currency', 'comment'];
		expect(file.metaKeys.filter((k) => expected.includes(k))).toEqual(expected.filter((k) => file.metaKeys.includes(k)));
		expect(['greedy', 'unknown', 'equalshares', 'equalshares/add1']).toContain(file.meta.get('rule'));
		expect(file.meta.get('country')).toBe('France');
		expect(file.meta.get('vote_type')).toBe('cumulative');
		expect(file.meta.get('comment')).toMatch(/^#1: .* #2: .* #3: /);
		expect(file.meta.get('date_begin')).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
		expect(file.projectHeader).toEqual(['project_id', 'cost', 'votes', 'score', 'name', 'selected']);
		expect(file.voteHeader).toEqual(['voter_id', 'vote', 'points']);
	});

	it('§13 counts agree: num_projects, num_votes, votes and score per project as counted from VOTES', async () => {
		const file = readPb((await get('export.pb')).text);
		expect(Number(file.meta.get('num_projects'))).toBe(file.projects.length);
		expect(Number(file.meta.get('num_votes'))).toBe(file.votes.length);
		expect(file.votes).toHaveLength(6);
		for (const p of file.projects) {
			const mine = file.votes.filter((v) => v.vote?.split(',').includes(p.project_id as string));
			const points = mine.map((v) => Number(v.points?.split(',')[v.vote?.split(',').indexOf(p.project_id as string) ?? -1]));
			expect(Number(p.votes), p.project_id).toBe(mine.length);
			expect(Number(p.score), p.project_id).toBe(points.reduce((a, b) => a + b, 0));
			expect(Number(p.votes), `${p.project_id} has votes`).toBeGreaterThan(0);
		}
	});

	it('§13 votes are sorted by decreasing points, integers, each at most max_sum_points in all', async () => {
		const file = readPb((await get('export.pb')).text);
		const max = Number(file.meta.get('max_sum_points'));
		for (const v of file.votes) {
			const points = (v.points ?? '').split(',').map(Number);
			expect(points.every(Number.isSafeInteger)).toBe(true);
			expect(points).toEqual([...points].sort((a, b) => b - a));
			expect(points.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(max);
		}
	});

	it('§13 budget=funded: selected costs add up to the budget, nothing unselected fits in what is left or exceeds it', async () => {
		const file = readPb((await get('export.pb?budget=funded')).text);
		const budget = Number(file.meta.get('budget'));
		const selected = file.projects.filter((p) => p.selected === '1');
		const spent = selected.reduce((sum, p) => sum + Number(p.cost), 0);
		expect(spent).toBe(budget);
		for (const p of file.projects) {
			expect(Number(p.cost), p.project_id).toBeGreaterThan(0);
			expect(Number(p.cost), p.project_id).toBeLessThanOrEqual(budget);
			if (p.selected === '0') expect(Number(p.cost), p.project_id).toBeGreaterThanOrEqual(budget - spent);
		}
		expect(selected.map((p) => p.name).sort()).toEqual(['Atelier vélo', 'Buvette; solidaire', 'Concert du soir', 'Jardin partagé', 'Jeux pour enfants']);
	});

	it('§13 ballots keep money refunded at close, and stretch money is shown (budget=funded)', async () => {
		const file = readPb((await get('export.pb?budget=funded')).text);
		const chapiteau = file.projects.find((p) => p.name === 'Chapiteau');
		expect(chapiteau).toMatchObject({ cost: '40000', votes: '3', score: '23000', selected: '0' });
		const refunds = ledger(observer).filter((e: LedgerEntry) => e.type === 'refund' && e.bucketId === ids['Chapiteau']);
		expect(refunds.reduce((sum, e) => sum + e.amount, 0)).toBe(23_000);
		expect(file.projects.find((p) => p.name === 'Buvette; solidaire')).toMatchObject({ cost: '18000', selected: '1' });
		expect(file.meta.get('comment')).toMatch(/#4: stretch money above minimum goals: [^#]*, [^#]*#5/);
		expect(file.meta.get('comment')).toContain(`${ids['Buvette; solidaire']} 30.00 EUR (minimum 150.00 EUR)`);
		expect(file.meta.get('comment')).toContain(`published buckets no one gave to, not listed: ${ids['Tombola']}`);
	});

	it('§13 options: country, the pool budget by default, and a hostile query is refused with a code', async () => {
		expect(readPb((await get('export.pb?country=BE')).text).meta.get('country')).toBe('Belgium');
		expect(readPb((await get('export.pb?country=ru')).text).meta.get('country')).toBe('Russian Federation');
		const pool = readPb((await get('export.pb')).text);
		expect(readPb((await get('export.pb?budget=pool')).text)).toEqual(pool);
		expect(pool.meta.get('budget')).toBe(String(6 * 20_000));
		expect(pool.projects.find((p) => p.name === 'Buvette; solidaire')?.cost).toBe('15000');
		for (const bad of ['tz=Mars%2FOlympus', 'country=XX', 'country=EU', 'budget=all', 'evil=1', 'country=FR&country=BE']) {
			const refused = await get(`export.pb?${bad}`);
			expect(refused.status, bad).toBe(400);
			expect(refused.body, bad).toMatchObject({ error: { code: 'invalid' } });
		}
	});
});

describe('§13 the spreadsheet exports of the same round (French locale)', () => {
	const csv = (text: string) => parse(text, { delimiter: ';', bom: true, columns: true }) as Record<string, string>[];

	it('§13 ledger CSV: BOM, `;` and decimal comma read as numbers, currency, local dates, kind, goals', async () => {
		const answer = await get('export.csv?tz=Europe%2FParis');
		expect(answer.status).toBe(200);
		const rows = csv(answer.text);
		expect(rows).toHaveLength(ledger(observer).length);
		for (const row of rows) {
			expect(row.currency).toBe('EUR');
			expect(row.date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
			const utc = new Date(row.date_utc as string);
			const paris = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'medium' }).format(utc);
			expect(row.date).toBe(paris);
			expect(['money', 'total', 'record']).toContain(row.kind);
			if (row.kind === 'record') expect(row.amount).toBe('');
			else expect(Number.isNaN(frNumber(row.amount as string)), row.amount).toBe(false);
		}
		const goals = rows.find((r) => r.type === 'goals' && r.bucket_id === ids['Concert du soir']);
		expect(goals).toMatchObject({ min_goal: '250,00', max_goal: '300,00', kind: 'record' });
		const money = rows.filter((r) => r.kind === 'money' && r.type === 'contribute').reduce((sum, r) => sum + frNumber(r.amount as string), 0);
		expect(money).toBeCloseTo(MOVES.filter(([, , a]) => a > 0).reduce((sum, [, , a]) => sum + a, 0) / 100, 2);
		expect(rows.find((r) => r.member_name?.includes('Dmitri'))?.member_name).toBe("'=Dmitri");
	});

	it('§13 per-bucket totals: goals, total, stretch, given and refunded', async () => {
		const rows = csv((await get('export-buckets.csv')).text);
		expect(rows).toHaveLength(8);
		const by = new Map(rows.map((r) => [r.bucket_id, r]));
		expect(by.get(ids['Buvette; solidaire'])).toMatchObject({ status: 'funded', min_goal: '150,00', max_goal: '180,00', total: '180,00', stretch: '30,00', funders: '4', currency: 'EUR' });
		expect(by.get(ids['Chapiteau'])).toMatchObject({ status: 'unfunded', total: '0,00', given: '230,00', refunded: '230,00', funders: '3' });
		expect(by.get(ids['Atelier vélo'])).toMatchObject({ status: 'funded', given: '90,00', total: '90,00' });
	});

	it('§13 per-member totals: allocated = spent + unspent, given = spent + refunded', async () => {
		const rows = csv((await get('export-members.csv')).text);
		expect(rows).toHaveLength(6);
		for (const r of rows) {
			const [allocated, given, refunded, spent, unspent] = [r.allocated, r.given, r.refunded, r.spent, r.unspent].map((c) => frNumber(c as string)) as number[];
			expect(allocated).toBeCloseTo((spent as number) + (unspent as number), 2);
			expect(given).toBeCloseTo((spent as number) + (refunded as number), 2);
		}
		expect(rows.find((r) => r.member_id === people[4]?.memberId)).toMatchObject({ name: "'=Dmitri", allocated: '200,00', given: '170,00', refunded: '90,00', spent: '80,00', unspent: '120,00' });
	});
});

describe('§13 the JSON export', () => {
	it('§13 validates against docs/export.schema.json; version and export time', async () => {
		const schema = JSON.parse(readFileSync(new URL('../../docs/export.schema.json', import.meta.url), 'utf8')) as object;
		const validate = new Ajv({ allErrors: true }).compile(schema);
		const before = Date.now();
		const answer = await get('export.json');
		expect(validate(answer.body), JSON.stringify(validate.errors)).toBe(true);
		expect(answer.body).toMatchObject({ version: 1, round: { name: 'Fête du village', minorDigits: 2, pool: 120_000 } });
		expect(Date.parse(answer.body.exportedAt as string)).toBeGreaterThanOrEqual(before - 1000);
		const broken = { ...answer.body, buckets: [{ id: 'x' }] };
		expect(validate(broken)).toBe(false);
	});
});
