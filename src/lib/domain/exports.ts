// Exports of a round (DESIGN §7, contract): CSV of the ledger, JSON of everything, pabulib `.pb`.
// Pure functions of the round's data; the ledger is the source of truth for money and statuses.
import type { HistoryRow } from './history.js';
import { toMajorString } from './money.js';
import { replay } from './reducer.js';
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

const CSV_HEADER = ['seq', 'date', 'type', 'bucket_id', 'bucket_title', 'member_id', 'member_name', 'amount', 'status'];

/** One row per ledger entry, UTF-8 with BOM (so spreadsheets read accents), CRLF line ends. */
export function toCsv(round: RoundExport): string {
	const names = new Map(round.members.map((m) => [m.id, m.name]));
	const titles = new Map(round.buckets.map((b) => [b.id, b.title]));
	const rows = [CSV_HEADER];
	for (const e of round.ledger) {
		rows.push([
			String(e.seq),
			new Date(e.at).toISOString(),
			e.type,
			e.bucketId ?? '',
			(e.bucketId && titles.get(e.bucketId)) ?? '',
			e.memberId ?? '',
			(e.memberId && names.get(e.memberId)) ?? '',
			toMajorString(e.amount, round.settings.currency),
			e.status ?? e.phase ?? ''
		]);
	}
	return '\uFEFF' + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A timestamp as ISO 8601, or nothing for a clock value that is not a date (an author's clock may be anything). */
function isoDate(at: number): string {
	const date = new Date(at);
	return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

const HISTORY_HEADER = ['seq', 'date', 'kind', 'bucket_id', 'bucket_title', 'asked', 'amount', 'outcome', 'reason', 'balance'];

/**
 * A member's own history (the "my money" lines) as CSV, read like the ledger export: UTF-8 with
 * BOM, CRLF, formula-like text guarded. `reason` is a receipt's reason or a refund's cause.
 */
export function toHistoryCsv(rows: readonly HistoryRow[], round: { currency: string; buckets: readonly ExportBucket[] }): string {
	const titles = new Map(round.buckets.map((b) => [b.id, b.title]));
	const money = (amount: number | undefined) => (amount === undefined ? '' : toMajorString(amount as Amount, round.currency));
	const lines = [HISTORY_HEADER];
	for (const row of rows) {
		lines.push([
			row.seq === undefined ? '' : String(row.seq),
			isoDate(row.at),
			row.kind,
			row.bucketId ?? '',
			(row.bucketId && titles.get(row.bucketId)) ?? '',
			money(row.asked),
			money(row.amount),
			row.outcome,
			row.reason ?? row.cause ?? '',
			money(row.balance)
		]);
	}
	return '\uFEFF' + lines.map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** What can be downloaded: the round's three exports, and a member's own history. */
export type ExportKind = 'csv' | 'json' | 'pb' | 'history';

const FILE_SUFFIX: Record<ExportKind, string> = { csv: '-ledger.csv', json: '-round.json', pb: '.pb', history: '-my-money.csv' };
const SLUG_MAX = 60;

function slug(text: string, keep: RegExp): string {
	const words = text.toLowerCase().replace(keep, '-').replace(/^-+|-+$/g, '');
	return Array.from(words).slice(0, SLUG_MAX).join('').replace(/-+$/, '');
}

/**
 * The name an export is saved under, made from the round's name, never from its id alone:
 * "Assemblée 2026" → `assemblée-2026-ledger.csv` (`utf8`: letters of any script kept, for
 * Content-Disposition's `filename*`) and `assemblee-2026-ledger.csv` (`ascii`: accents dropped,
 * for `filename` and old clients). Nothing but letters, digits and `-` comes from the name, so
 * neither can hold a path, a quote or a control character. A name with no usable letter is `round`.
 */
export function exportFileName(roundName: string, kind: ExportKind): { utf8: string; ascii: string } {
	const utf8 = slug(roundName.normalize('NFC'), /[^\p{L}\p{M}\p{N}]+/gu) || 'round';
	const ascii = slug(roundName.normalize('NFKD').replace(/\p{M}/gu, ''), /[^a-z0-9]+/g) || 'round';
	return { utf8: utf8 + FILE_SUFFIX[kind], ascii: ascii + FILE_SUFFIX[kind] };
}

/** JSON: the round, its members, its buckets with their final accounts, and the ledger. */
export function toJson(round: RoundExport): string {
	const state = replay(round.ledger);
	const buckets = round.buckets.map((b) => ({ id: b.id, title: b.title, ...state.buckets.get(b.id) }));
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
