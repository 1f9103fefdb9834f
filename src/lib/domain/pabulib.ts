// pabulib `.pb` export (DESIGN §7, §13): a round read as a cumulative participatory-budgeting
// election, in the form the pabulib checker accepts (PROTOCOL.md "Exports" says every choice).
import { totalsOf, type RoundExport } from './exports.js';
import { toMajorString } from './money.js';
import { ballotsOf, byId } from './outcomes.js';
import { COUNTRY_CODES } from './schemas.js';
import type { Amount, BucketId } from './types.js';

export interface PabulibOptions {
	/**
	 * META `country`: an English country name, an ISO 3166-1 alpha-2 code (written as its name) or
	 * `Worldwide`. Defaults to the round's `country` setting, else the locale's region (fr-FR →
	 * France), else `Worldwide`.
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
	 * `pool` (default): budget = Σ allocations, the money the members had to spend (what a city's
	 * budget is in pabulib), and every cost is the minimum goal: the instance the results page runs
	 * greedy and MES on (`ballotsOf`). `funded`: budget = the money funded buckets kept, a funded
	 * project costs what it kept (minimum goal + stretch), others their minimum goal: what happened.
	 * In both, a project that costs more than the whole budget is written with pabulib's cost for a
	 * project that could not be chosen, its minimum goal named in the comment.
	 */
	budget?: 'funded' | 'pool';
	/** `member` ids, or `number`s 1…n (in the order of the ballots' text); defaults to numbers in anonymous rounds. */
	voters?: 'member' | 'number';
}

/**
 * The cost pabulib files (and its checker) use for a project that was put to the vote but could
 * never be selected: the checker then warns instead of rejecting "single project exceeded whole budget".
 */
export const UNSELECTABLE_COST = 999_999_999;

/**
 * ISO 3166-1 short names where Intl's English name is not one the pabulib checker knows (it looks
 * names up in the ISO 3166 list: "Russia" is not there, "Russian Federation" is). Every other code's
 * Intl name is accepted as it is (BENCHMARKS.md "pabulib tools" says how that was checked).
 */
const ISO_NAMES: Readonly<Record<string, string>> = {
	AG: 'Antigua and Barbuda',
	BA: 'Bosnia and Herzegovina',
	BL: 'Saint Barthélemy',
	BN: 'Brunei Darussalam',
	BQ: 'Bonaire, Sint Eustatius and Saba',
	CD: 'Congo, The Democratic Republic of the',
	CG: 'Congo',
	CI: "Côte d'Ivoire",
	CV: 'Cabo Verde',
	FK: 'Falkland Islands (Malvinas)',
	FM: 'Micronesia, Federated States of',
	GS: 'South Georgia and the South Sandwich Islands',
	HK: 'Hong Kong',
	HM: 'Heard Island and McDonald Islands',
	KN: 'Saint Kitts and Nevis',
	LC: 'Saint Lucia',
	MF: 'Saint Martin (French part)',
	MM: 'Myanmar',
	MO: 'Macao',
	PM: 'Saint Pierre and Miquelon',
	PN: 'Pitcairn',
	PS: 'Palestine, State of',
	RU: 'Russian Federation',
	SH: 'Saint Helena, Ascension and Tristan da Cunha',
	SJ: 'Svalbard and Jan Mayen',
	ST: 'Sao Tome and Principe',
	SX: 'Sint Maarten (Dutch part)',
	TC: 'Turks and Caicos Islands',
	TT: 'Trinidad and Tobago',
	UM: 'United States Minor Outlying Islands',
	VA: 'Holy See (Vatican City State)',
	VC: 'Saint Vincent and the Grenadines',
	VI: 'Virgin Islands, U.S.',
	WF: 'Wallis and Futuna'
};

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** An assigned ISO 3166-1 alpha-2 code as the English name the pabulib checker accepts; undefined for anything else. */
export function countryName(code: string): string | undefined {
	if (!COUNTRY_CODES.has(code)) return undefined;
	return ISO_NAMES[code] ?? regionNames.of(code);
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

/** The country a `.pb` names for a round without the setting: the locale's region (fr-BE → Belgium), else `Worldwide`. */
export function localeCountry(locale: string): string {
	return countryName(new Intl.Locale(locale).region ?? '') ?? 'Worldwide';
}

/** The round's country: the option (a name, or a code written as its name), the setting, else the locale's. */
function countryOf(option: string | undefined, setting: string | null | undefined, locale: string): string {
	if (option !== undefined) return countryName(option) ?? option;
	return (setting ? countryName(setting) : undefined) ?? localeCountry(locale);
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
	const funded = options.budget === 'funded';
	const price = (p: { id: BucketId; cost: Amount }): number => (funded && won(p.id) ? (bucket.get(p.id)?.total ?? p.cost) : p.cost);
	const budget = funded ? projects.filter((p) => won(p.id)).reduce((sum, p) => sum + price(p), 0) : instance.budget;
	// A project that asks for more than the whole budget could never have been chosen. Its real cost
	// would make the checker reject the file ("single project exceeded whole budget"), so it is
	// written with pabulib's cost for an unselectable project and its minimum goal goes in a comment.
	// It is never a funded one: a funded bucket keeps money the members had (≤ the pool), and with
	// `funded` its cost is part of the budget. A budget of that size or more would make the sentinel
	// look affordable, so there the real cost stays (and the checker says so).
	const unselectable = budget < UNSELECTABLE_COST ? projects.filter((p) => price(p) > budget) : [];
	const cost = (p: { id: BucketId; cost: Amount }) => (unselectable.includes(p) ? UNSELECTABLE_COST : price(p));
	// pabulib's flag for a budget that could pay for every project: the checker otherwise reports
	// "all projects funded" as if the budget were wrong. Members choose, so some may still be unselected.
	const fullyFunded = projects.reduce((sum, p) => sum + cost(p), 0) <= budget;

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
	const kept = projects.filter((p) => won(p.id)).reduce((sum, p) => sum + (bucket.get(p.id)?.total ?? 0), 0);
	const unspent = totals.members.reduce((sum, m) => sum + m.unspent, 0);
	const comments = [
		`amounts (budget, cost, points) are integers in minor units: 1 = ${major(1)}`,
		'rule unknown: the members funded buckets with their own money, no aggregation rule chose, and selected = funded or completed',
		(funded
			? `budget = the money funded buckets kept (minimum goals plus stretch money), a funded project costs what it kept and an unfunded one its minimum goal, the members held ${major(instance.budget)} in all, ${major(unspent)} unspent`
			: `budget = the money the members held in all, cost = minimum goal, funded buckets kept ${major(kept)} (stretch included), ${major(unspent)} stayed unspent`) +
			(fullyFunded ? ', fully_funded = 1: the budget could pay for every project, the members chose which' : ''),
		stretched.length === 0
			? 'stretch money above minimum goals: none'
			: `stretch money above minimum goals: ${stretched.map((p) => `${p.id} ${major(bucket.get(p.id)?.stretch ?? 0)} (minimum ${major(p.cost)})`).join(', ')}`,
		'points = what a member gave to a bucket (contributions minus withdrawals), including money refunded at close: the ballot is what people chose',
		...(unselectable.length === 0
			? []
			: [
					`cost ${UNSELECTABLE_COST} = more than the whole budget, so it could never be selected: ${unselectable.map((p) => `${p.id} (minimum ${major(p.cost)})`).join(', ')}`
				]),
		...(unsupported.length === 0 ? [] : [`published buckets no one gave to, not listed: ${unsupported.join(', ')}`])
	];

	const first = ledger[0]?.at ?? 0;
	const closed = ledger.find((e) => e.type === 'phase' && e.phase === 'closed');
	const end = closed?.at ?? ledger[ledger.length - 1]?.at ?? first;
	const meta: [string, string | number][] = [
		['description', options.description ?? settings.name],
		['country', countryOf(options.country, settings.country, settings.locale)],
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
		...(fullyFunded ? [['fully_funded', 1] as [string, number]] : []),
		['comment', comments.map((c, i) => `#${i + 1}: ${c}`).join(' ')]
	];

	const lines = ['META', 'key;value', ...meta.map(([k, v]) => `${k};${pbCell(v)}`), 'PROJECTS', 'project_id;cost;votes;score;name;selected'];
	for (const p of projects) {
		lines.push([p.id, cost(p), votesFor(p.id), scoreOf(p.id), title.get(p.id) || p.id, won(p.id) ? 1 : 0].map(pbCell).join(';'));
	}
	lines.push('VOTES', 'voter_id;vote;points', ...votes.map((row) => row.map(pbCell).join(';')));
	return lines.join('\n') + '\n';
}
