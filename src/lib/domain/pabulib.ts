// pabulib `.pb` export (DESIGN §7, §13): a round read as a cumulative participatory-budgeting
// election, in the form the pabulib checker accepts (PROTOCOL.md "Exports" says every choice).
import { totalsOf, type RoundExport } from './exports.js';
import { toMajorString } from './money.js';
import { ballotsOf, byId } from './outcomes.js';
import type { Amount, BucketId } from './types.js';

export interface PabulibOptions {
	/**
	 * META `country`: an English country name or ISO 3166 code. Defaults to the locale's region
	 * in English (fr-FR → France), or `Worldwide` when the locale names none.
	 */
	country?: string;
	/** The place or organisation; defaults to the round's name. */
	unit?: string;
	/** Defaults to the year of the first ledger entry. */
	instance?: string;
	/** Defaults to the round's name. */
	description?: string;
	/** IANA time zone of `date_begin` / `date_end`; defaults to UTC. */
	timeZone?: string;
	/**
	 * `funded` (default): budget = the money funded buckets kept, a funded project costs what it
	 * kept (minimum goal + stretch), others their minimum goal: what happened, checker-clean.
	 * `pool`: budget = Σ allocations and every cost is the minimum goal: the instance the results
	 * page runs greedy and MES on (`ballotsOf`), for research; the checker then reports the money
	 * members left unspent as "unused budget".
	 */
	budget?: 'funded' | 'pool';
	/** `member` ids, or `number`s 1…n (in the order of the ballots' text); defaults to numbers in anonymous rounds. */
	voters?: 'member' | 'number';
}

/** One `.pb` cell: trimmed, line breaks become spaces (readers go line by line), `;` and `"` are quoted. */
function pbCell(value: string | number): string {
	const text = String(value).replace(/[\r\n]+/g, ' ').trim();
	return /[;"]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function ddmmyyyy(at: number, timeZone = 'UTC'): string {
	const parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
	const part = Object.fromEntries(parts.map((p) => [p.type, p.value]));
	return `${part.day}.${part.month}.${part.year}`;
}

/** The locale's region as an English country name (fr-FR → France); `Worldwide` without one. */
function countryOf(locale: string): string {
	const region = new Intl.Locale(locale).region;
	if (!region || !/^[A-Z]{2}$/.test(region)) return 'Worldwide';
	return new Intl.DisplayNames(['en'], { type: 'region' }).of(region) ?? 'Worldwide';
}

/**
 * pabulib `.pb`. Projects are the buckets ever published and not cancelled that at least one
 * member gave to (pabulib reads a project without votes as one not put to the vote; the others
 * are named in a comment). A voter's points are what they gave (contributions − withdrawals),
 * refunds at close included: the ballot is what people chose. `selected` = funded or completed;
 * `rule` is `unknown` because the members funded buckets themselves, no aggregation rule chose.
 * Amounts are integers in minor units. Votes list projects by decreasing points.
 */
export function toPabulib(round: RoundExport, options: PabulibOptions = {}): string {
	const { settings, ledger } = round;
	const instance = ballotsOf(ledger);
	const totals = totalsOf(round);
	const bucket = new Map(totals.buckets.map((b) => [b.id, b]));
	const title = new Map(round.buckets.map((b) => [b.id, b.title]));
	const supported = new Set(instance.ballots.flatMap((b) => [...b.points.keys()]));
	const projects = instance.projects.filter((p) => supported.has(p.id));
	const unsupported = instance.projects.filter((p) => !supported.has(p.id)).map((p) => p.id);
	const won = (id: BucketId) => {
		const status = bucket.get(id)?.status;
		return status === 'funded' || status === 'completed';
	};
	const pool = options.budget === 'pool';
	const cost = (p: { id: BucketId; cost: Amount }) => (!pool && won(p.id) ? (bucket.get(p.id)?.total ?? p.cost) : p.cost);
	const budget = pool ? instance.budget : projects.filter((p) => won(p.id)).reduce((sum, p) => sum + cost(p), 0);

	const numbered = (options.voters ?? (settings.transparency === 'anonymous' ? 'number' : 'member')) === 'number';
	const ballots = instance.ballots.map((ballot) => {
		const ordered = [...ballot.points].sort(([a, x], [b, y]) => y - x || byId(a, b));
		return [ballot.voter, ordered.map(([id]) => id).join(','), ordered.map(([, points]) => points).join(',')];
	});
	// Numbered voters are ordered by their ballots, not by member id: a list of the members (e.g. in
	// the JSON) must not give away which number is whom.
	const votes = numbered
		? ballots.map(([, vote, points]) => `${vote};${points}`).sort(byId).map((row, i) => [String(i + 1), ...row.split(';')])
		: ballots;
	const votesFor = (id: BucketId) => instance.ballots.filter((b) => b.points.has(id)).length;
	const scoreOf = (id: BucketId) => instance.ballots.reduce((sum, b) => sum + (b.points.get(id) ?? 0), 0);

	let maxPoints = 0;
	for (const m of totals.members) maxPoints = Math.max(maxPoints, m.allocated);
	for (const b of instance.ballots) maxPoints = Math.max(maxPoints, [...b.points.values()].reduce((sum, p) => sum + p, 0));

	const major = (amount: number) => `${toMajorString(amount as Amount, settings.currency)} ${settings.currency}`;
	const stretched = projects.filter((p) => won(p.id) && (bucket.get(p.id)?.stretch ?? 0) > 0);
	const unspent = totals.members.reduce((sum, m) => sum + m.unspent, 0);
	const comments = [
		`amounts (budget, cost, points) are integers in minor units: 1 = ${major(1)}`,
		'rule unknown: the members funded buckets with their own money, no aggregation rule chose, and selected = funded or completed',
		pool
			? `budget = the money the members held in all (${major(instance.budget)}), cost = minimum goal`
			: `budget = the money funded buckets kept (minimum goals plus stretch money) and a funded project costs what it kept, an unfunded one its minimum goal, and the members held ${major(instance.budget)} in all, ${major(unspent)} unspent`,
		stretched.length === 0
			? 'stretch money above minimum goals: none'
			: `stretch money above minimum goals: ${stretched.map((p) => `${p.id} ${major(bucket.get(p.id)?.stretch ?? 0)} (minimum ${major(p.cost)})`).join(', ')}`,
		'points = what a member gave to a bucket (contributions minus withdrawals), including money refunded at close: the ballot is what people chose',
		...(unsupported.length === 0 ? [] : [`published buckets no one gave to, not listed: ${unsupported.join(', ')}`])
	];

	const first = ledger[0]?.at ?? 0;
	const closed = ledger.find((e) => e.type === 'phase' && e.phase === 'closed');
	const end = closed?.at ?? ledger[ledger.length - 1]?.at ?? first;
	const meta: [string, string | number][] = [
		['description', options.description ?? settings.name],
		['country', options.country ?? countryOf(settings.locale)],
		['unit', options.unit ?? settings.name],
		['instance', options.instance ?? String(new Date(first).getUTCFullYear())],
		['num_projects', projects.length],
		['num_votes', votes.length],
		['budget', budget],
		['vote_type', 'cumulative'],
		['rule', 'unknown'],
		['date_begin', ddmmyyyy(first, options.timeZone)],
		['date_end', ddmmyyyy(end, options.timeZone)],
		['max_sum_points', maxPoints],
		['language', new Intl.Locale(settings.locale).language],
		['currency', settings.currency],
		['comment', comments.map((c, i) => `#${i + 1}: ${c}`).join(' ')]
	];

	const lines = ['META', 'key;value', ...meta.map(([k, v]) => `${k};${pbCell(v)}`), 'PROJECTS', 'project_id;cost;votes;score;name;selected'];
	for (const p of projects) {
		lines.push([p.id, cost(p), votesFor(p.id), scoreOf(p.id), title.get(p.id) || p.id, won(p.id) ? 1 : 0].map(pbCell).join(';'));
	}
	lines.push('VOTES', 'voter_id;vote;points', ...votes.map((row) => row.map(pbCell).join(';')));
	return lines.join('\n') + '\n';
}
