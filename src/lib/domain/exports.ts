// Exports of a round (DESIGN §7, contract): CSV of the ledger, JSON of everything, pabulib `.pb`.
// Pure functions of the round's data; the ledger is the source of truth for money and statuses.
import { toMajorString } from './money.js';
import { replay } from './reducer.js';
import { expenseTotals } from './rules-expenses.js';
import type { Amount, BucketAccount, BucketId, LedgerEntry, MemberId, Role, RoundSettings } from './types.js';

export interface ExportMember {
	id: MemberId;
	name: string;
	role: Role;
}

export interface ExportBucket {
	id: BucketId;
	title: string;
}

/** What every export reads: the round, its people, its buckets' titles and the full ledger. */
export interface RoundExport {
	roundId: string;
	settings: RoundSettings;
	members: ExportMember[];
	buckets: ExportBucket[];
	/** The complete ledger, memberIds included (the server's copy, also for anonymous rounds). */
	ledger: LedgerEntry[];
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * One CSV cell: text that a spreadsheet would run as a formula gets a leading `'`; numbers this
 * export wrote itself (a negative allocation delta) cannot be formulas and stay numbers. Quoted per
 * RFC 4180 when it holds a comma, a quote or a line break.
 */
function csvCell(value: string): string {
	const safe = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const CSV_HEADER = ['seq', 'date', 'type', 'bucket_id', 'bucket_title', 'member_id', 'member_name', 'amount', 'status', 'expense', 'note'];

/**
 * One row per ledger entry, UTF-8 with BOM (so spreadsheets read accents), CRLF line ends. Expense
 * entries (PROTOCOL §10) say what the expense is in `expense` (also on its later status rows), its
 * status in `status` and a rejection's reason in `note`.
 */
export function toCsv(round: RoundExport): string {
	const names = new Map(round.members.map((m) => [m.id, m.name]));
	const titles = new Map(round.buckets.map((b) => [b.id, b.title]));
	const expenses = new Map<string, string>();
	const rows = [CSV_HEADER];
	for (const e of round.ledger) {
		if (e.expense) expenses.set(e.expense.id, e.expense.label);
		rows.push([
			String(e.seq),
			new Date(e.at).toISOString(),
			e.type,
			e.bucketId ?? '',
			(e.bucketId && titles.get(e.bucketId)) ?? '',
			e.memberId ?? '',
			(e.memberId && names.get(e.memberId)) ?? '',
			toMajorString(e.amount, round.settings.currency),
			e.status ?? e.phase ?? e.expenseStatus ?? (e.type === 'expense' ? 'recorded' : ''),
			(e.expense?.label ?? (e.expenseId && expenses.get(e.expenseId))) || '',
			e.note ?? ''
		]);
	}
	return '\uFEFF' + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** JSON: the round, its members, its buckets with their final accounts (expenses and their totals too), and the ledger. */
export function toJson(round: RoundExport): string {
	const state = replay(round.ledger);
	const buckets = round.buckets.map((b) => {
		const account = state.buckets.get(b.id);
		return { id: b.id, title: b.title, ...account, ...(account && expenseTotals(account)) };
	});
	const members = round.members.map((m) => {
		const account = state.members.get(m.id);
		return { ...m, allocated: account?.allocated ?? 0, spent: account?.spent ?? 0 };
	});
	return JSON.stringify({ round: { id: round.roundId, ...round.settings }, members, buckets, ledger: round.ledger }, null, 2);
}

/** Options for the `.pb` META keys Tirelire cannot know. */
export interface PabulibOptions {
	/** Defaults to the locale's region (fr-FR → FR). */
	country?: string;
	/** The place or organisation; defaults to the round's name. */
	unit?: string;
	/** Defaults to the year of the first ledger entry. */
	instance?: string;
	/** Defaults to the round's name. */
	description?: string;
}

/** One `.pb` cell: line breaks become spaces (readers go line by line), `;` and `"` are quoted. */
function pbCell(value: string | number): string {
	const text = String(value).replace(/[\r\n]+/g, ' ');
	return /[;"]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function ddmmyyyy(at: number): string {
	const d = new Date(at);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
}

/** Buckets that were ever published (got an `idea` or `open` status entry): the PB projects. */
function publishedIds(ledger: LedgerEntry[]): Set<BucketId> {
	const ids = new Set<BucketId>();
	for (const e of ledger) if (e.type === 'status' && e.bucketId && (e.status === 'idea' || e.status === 'open')) ids.add(e.bucketId);
	return ids;
}

const selected = (b: BucketAccount | undefined) => (b?.status === 'funded' || b?.status === 'completed' ? 1 : 0);

/**
 * pabulib `.pb`: a round read as a cumulative PB election. Projects are the published buckets
 * (cost = minGoal, votes = number of funders, selected = funded or completed); a voter's points
 * are the money it has in each bucket at the end. Every amount is in minor units, so that points
 * stay integers (said in META `comment`).
 */
export function toPabulib(round: RoundExport, options: PabulibOptions = {}): string {
	const state = replay(round.ledger);
	const { settings, ledger } = round;
	const published = publishedIds(ledger);
	const projects = round.buckets.filter((b) => published.has(b.id));

	const votes: string[][] = [];
	for (const member of round.members) {
		const vote: string[] = [];
		const points: number[] = [];
		for (const p of projects) {
			const own = state.contributions.get(p.id)?.get(member.id) ?? 0;
			if (own > 0) {
				vote.push(p.id);
				points.push(own);
			}
		}
		if (vote.length > 0) votes.push([member.id, vote.join(','), points.join(',')]);
	}

	let pool = 0;
	let maxPoints = 0;
	for (const account of state.members.values()) {
		pool += account.allocated;
		maxPoints = Math.max(maxPoints, account.allocated);
	}
	const first = ledger[0]?.at ?? 0;
	const closed = ledger.find((e) => e.type === 'phase' && e.phase === 'closed');
	const end = closed?.at ?? ledger[ledger.length - 1]?.at ?? first;
	const locale = new Intl.Locale(settings.locale);
	const meta: [string, string | number][] = [
		['description', options.description ?? settings.name],
		['country', options.country ?? locale.region ?? ''],
		['unit', options.unit ?? settings.name],
		['instance', options.instance ?? String(new Date(first).getUTCFullYear())],
		['num_projects', projects.length],
		['num_votes', votes.length],
		['budget', pool],
		['vote_type', 'cumulative'],
		['rule', 'cobudget'],
		['date_begin', ddmmyyyy(first)],
		['date_end', ddmmyyyy(end)],
		['currency', settings.currency],
		['language', locale.language],
		['max_sum_points', maxPoints],
		['comment', `amounts in minor units: 1 = ${toMajorString(1 as Amount, settings.currency)} ${settings.currency}`]
	];

	const lines = ['META', 'key;value', ...meta.map(([k, v]) => `${k};${pbCell(v)}`), 'PROJECTS', 'project_id;cost;name;votes;selected'];
	for (const p of projects) {
		const bucket = state.buckets.get(p.id);
		const funders = state.contributions.get(p.id)?.size ?? 0;
		lines.push([p.id, bucket?.minGoal ?? 0, p.title, funders, selected(bucket)].map(pbCell).join(';'));
	}
	lines.push('VOTES', 'voter_id;vote;points', ...votes.map((row) => row.map(pbCell).join(';')));
	return lines.join('\n') + '\n';
}
