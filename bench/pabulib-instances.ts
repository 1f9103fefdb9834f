// Closed rounds written as pabulib `.pb` files, to run the pabulib checker and pabutools on them
// (docs/BENCHMARKS.md "pabulib tools"). Rounds are played through the real reducer: one
// hand-written realistic round, then seeded random ones. For every file, ours.json holds what
// greedyBySupport and equalShares (src/lib/domain/outcomes.ts) choose on the instance read back
// from the file itself, so that a tool's answer on the same file can be compared, and
// countries.json every country name a `.pb` can write (to look each up as the checker does).
// `npm run bench:pabulib -- --out=/tmp/tirelire-pabulib --rounds=12 --seed=7`
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoundExport } from '../src/lib/domain/exports.js';
import { ballotsOf, equalShares, greedyBySupport, type PbInstance } from '../src/lib/domain/outcomes.js';
import { countryName, toPabulib } from '../src/lib/domain/pabulib.js';
import { apply, emptyState } from '../src/lib/domain/reducer.js';
import { COUNTRY_CODES } from '../src/lib/domain/schemas.js';
import type { Actor, Amount, BucketId, Command, CommandId, LedgerEntry, MemberId, RoundSettings } from '../src/lib/domain/types.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const OUT = arg('out', '/tmp/tirelire-pabulib');
const ROUNDS = Number(arg('rounds', '12'));
const SEED = Number(arg('seed', '7'));

/** A round being played: commands go through `apply`, refused ones leave no entry. */
class Play {
	readonly state = emptyState();
	readonly ledger: LedgerEntry[] = [];
	private n = 0;
	private at = Date.UTC(2026, 4, 1, 8, 0);

	run(body: Record<string, unknown>, actor: Actor = { kind: 'system' }): void {
		this.at += 60_000;
		const command = { ...body, id: `command-${++this.n}-bench` as CommandId, at: this.at } as Command;
		this.ledger.push(...apply(this.state, command, actor, this.at).entries);
	}

	as(memberId: MemberId, facilitator = false): Actor {
		return { kind: 'member', memberId, role: facilitator ? 'facilitator' : 'member' };
	}
}

const settings = (name: string, defaultAllocation: number, country?: string): RoundSettings => ({
	name,
	currency: 'EUR',
	locale: 'fr-FR',
	phase: 'proposing',
	defaultAllocation: defaultAllocation as Amount,
	maxPerMemberPerBucket: null,
	transparency: 'named',
	requireApproval: false,
	...(country ? { country } : {})
});

interface Spec {
	name: string;
	allocation: number;
	/** The round's country setting (ISO 3166-1), when set. */
	country?: string;
	members: string[];
	/** id suffix, title, minGoal, maxGoal */
	buckets: [string, string, number, number][];
	/** member index, bucket index, amount (negative: withdraw) */
	moves: [number, number, number][];
}

function play(spec: Spec): RoundExport {
	const p = new Play();
	const ids = spec.members.map((_, i) => `member-${String(i + 1).padStart(2, '0')}bench` as MemberId);
	const buckets = spec.buckets.map(([suffix]) => `bucket-${suffix}` as BucketId);
	const facilitator = ids[0] as MemberId;
	p.run({ type: 'open', settings: settings(spec.name, spec.allocation, spec.country) });
	for (const id of ids) p.run({ type: 'join', memberId: id });
	spec.buckets.forEach(([, , min, max], i) => {
		const bucketId = buckets[i];
		p.run({ type: 'create', bucketId, memberId: ids[i % ids.length] });
		p.run({ type: 'setGoals', bucketId, minGoal: min, maxGoal: max });
		p.run({ type: 'publish', bucketId }, p.as(ids[i % ids.length] as MemberId, i % ids.length === 0));
	});
	p.run({ type: 'setPhase', phase: 'funding' }, p.as(facilitator, true));
	for (const [m, b, amount] of spec.moves) {
		const type = amount < 0 ? 'withdraw' : 'contribute';
		p.run({ type, bucketId: buckets[b], amount: Math.abs(amount) }, p.as(ids[m] as MemberId, m === 0));
	}
	p.run({ type: 'setPhase', phase: 'closed' }, p.as(facilitator, true));
	return {
		roundId: `round-${spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
		settings: p.state.settings,
		members: spec.members.map((name, i) => ({ id: ids[i] as MemberId, name, role: i === 0 ? 'facilitator' : 'member' })),
		buckets: spec.buckets.map(([, title], i) => ({ id: buckets[i] as BucketId, title })),
		ledger: p.ledger
	};
}

/** The realistic round: 8 buckets, 6 members, two refunded at close, stretch money on two. */
const VILLAGE: Spec = {
	name: 'Fête du village 2026',
	allocation: 20_000,
	members: ['Fatou', 'Alice', 'Bruno', 'Chloé', 'Dmitri', 'Élise'],
	buckets: [
		['buvette', 'Buvette solidaire', 15_000, 18_000],
		['chapiteau', 'Chapiteau', 40_000, 40_000],
		['concert', 'Concert du soir', 25_000, 30_000],
		['jardin', 'Jardin partagé', 12_000, 12_000],
		['jeux', 'Jeux pour enfants', 8_000, 10_000],
		['lumieres', 'Guirlandes', 6_000, 6_000],
		['tombola', 'Tombola', 5_000, 5_000],
		['velo', 'Atelier vélo', 9_000, 9_000]
	],
	moves: [
		[0, 0, 5_000], [1, 0, 6_000], [2, 0, 4_000], [3, 0, 3_000], // buvette 18 000: 3 000 stretch
		[1, 1, 8_000], [4, 1, 9_000], [5, 1, 6_000], // chapiteau 23 000 of 40 000: refunded at close
		[2, 2, 9_000], [3, 2, 8_000], [4, 2, 6_000], [5, 2, 5_000], // concert 28 000: 3 000 stretch
		[0, 3, 7_000], [5, 3, 5_000], // jardin 12 000
		[1, 4, 4_000], [3, 4, 4_000], // jeux 8 000
		[0, 5, 2_000], [2, 5, 1_500], // guirlandes 3 500 of 6 000: refunded at close
		[4, 7, 3_000], [4, 7, -1_000], [0, 7, 6_000], [2, 7, 1_000] // vélo 9 000 after a withdrawal
	]
};

/**
 * A round where one bucket asks for more than all the members have (a hall at 600 € for a pool of
 * 400 €): it can never be funded, members gave to it anyway, and the round's country is set
 * (Côte d'Ivoire, whose ISO name differs from Intl's English one).
 */
const HALL: Spec = {
	name: 'Maison de quartier',
	allocation: 10_000,
	country: 'CI',
	members: ['Awa', 'Koffi', 'Mariam', 'Yao'],
	buckets: [
		['maison', 'Maison de quartier', 60_000, 60_000],
		['bancs', 'Bancs', 8_000, 8_000],
		['fresque', 'Fresque', 5_000, 6_000]
	],
	moves: [
		[0, 0, 6_000], [1, 0, 4_000], [2, 0, 2_000], // maison 12 000 of 60 000: refunded at close
		[1, 1, 5_000], [3, 1, 3_000], // bancs 8 000
		[2, 2, 4_000], [3, 2, 2_000] // fresque 6 000: 1 000 stretch
	]
};

/** xorshift32: the same rounds for the same seed. */
function random(seed: number): () => number {
	let x = seed >>> 0 || 1;
	return () => {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		return (x >>> 0) / 2 ** 32;
	};
}

function randomSpec(index: number, rnd: () => number): Spec {
	const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
	const members = Array.from({ length: int(6, 14) }, (_, i) => `Personne ${i + 1}`);
	const allocation = int(5, 20) * 1_000;
	const pool = members.length * allocation;
	const buckets = Array.from({ length: int(8, 14) }, (_, i): [string, string, number, number] => {
		const min = int(2, 30) * Math.round(pool / 100 / 100) * 100;
		return [`r${index}b${String(i).padStart(2, '0')}`, `Projet ${i + 1}`, min, min + (rnd() < 0.4 ? int(1, 5) * 1_000 : 0)];
	});
	// Each member likes a few buckets and splits most of their money between them.
	const moves: [number, number, number][] = [];
	members.forEach((_, m) => {
		const liked = [...new Set(Array.from({ length: int(1, 4) }, () => int(0, buckets.length - 1)))];
		let left = allocation;
		for (const b of liked) {
			const amount = Math.min(left, int(1, 10) * Math.round(allocation / 10));
			if (amount > 0) moves.push([m, b, amount]);
			left -= amount;
		}
	});
	for (let i = moves.length - 1; i > 0; i--) {
		const j = int(0, i);
		[moves[i], moves[j]] = [moves[j] as [number, number, number], moves[i] as [number, number, number]];
	}
	return { name: `Tour aléatoire ${index}`, allocation, members, buckets, moves };
}

/** The instance a `.pb` file states, and its selected projects, read back from the file. */
function readBack(pb: string): { instance: PbInstance; selected: BucketId[] } {
	const rows: Record<string, string[][]> = { META: [], PROJECTS: [], VOTES: [] };
	let section = '';
	let header = true;
	for (const line of pb.trimEnd().split('\n')) {
		if (line in rows) [section, header] = [line, true];
		else if (header) header = false;
		else rows[section]?.push(line.split(';'));
	}
	const budget = Number(rows.META?.find(([key]) => key === 'budget')?.[1]);
	const projects = (rows.PROJECTS ?? []).map(([id, cost]) => ({ id: id as BucketId, cost: Number(cost) as Amount }));
	const selected = (rows.PROJECTS ?? []).filter((cells) => cells[cells.length - 1] === '1').map(([id]) => id as BucketId);
	const ballots = (rows.VOTES ?? []).map(([voter, vote, points]) => {
		const p = (points ?? '').split(',').map(Number);
		return { voter: voter as MemberId, points: new Map((vote ?? '').split(',').map((id, i) => [id as BucketId, p[i] as Amount])) };
	});
	projects.sort((x, y) => (x.id < y.id ? -1 : 1));
	return { instance: { budget: budget as Amount, projects, ballots }, selected: selected.sort() };
}

mkdirSync(OUT, { recursive: true });
const rnd = random(SEED);
const rounds = [play(VILLAGE), ...Array.from({ length: ROUNDS }, (_, i) => play(randomSpec(i + 1, rnd))), play(HALL)];
// `page`: what the results page's equalShares chooses on the round itself (ballotsOf), to see
// whether a tool reading the file reproduces the page.
const ours: Record<string, { budget: string; greedy: string[]; mes: string[]; funded: string[]; page: string[] }> = {};
rounds.forEach((round, i) => {
	for (const budget of ['funded', 'pool'] as const) {
		const file = `round-${String(i).padStart(2, '0')}-${budget}.pb`;
		const pb = toPabulib(round, { budget });
		writeFileSync(join(OUT, file), pb);
		const { instance, selected } = readBack(pb);
		const page = equalShares(ballotsOf(round.ledger)).chosen;
		ours[file] = { budget, greedy: greedyBySupport(instance), mes: equalShares(instance).chosen, funded: selected, page };
	}
});
writeFileSync(join(OUT, 'ours.json'), JSON.stringify(ours, null, 2) + '\n');
writeFileSync(join(OUT, 'countries.json'), JSON.stringify(Object.fromEntries([...COUNTRY_CODES].map((code) => [code, countryName(code)])), null, 1) + '\n');
console.log(`${Object.keys(ours).length} files in ${OUT} (seed ${SEED})`);
