// Exports of a round (DESIGN §7, contract): CSVs for spreadsheets (the ledger, per-bucket and
// per-member totals), a versioned JSON of everything, and pabulib `.pb` (in pabulib.ts).
// Pure functions of the round's data; the ledger is the source of truth for money and statuses.
import type { HistoryRow } from './history.js';
import { minorDigits, toMajorString } from './money.js';
import { replay } from './reducer.js';
import { expenseTotals } from './rules-expenses.js';
import { visibleEntry } from './visibility.js';
import type { Amount, BucketId, BucketStatus, EntryType, LedgerEntry, MemberId, Role, RoundSettings } from './types.js';

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

/** Options every spreadsheet export takes. */
export interface CsvOptions {
	/** IANA time zone the `date` column is written in; defaults to UTC. */
	timeZone?: string;
	/** Leave out who moved money into or out of a bucket (for a public copy of an anonymous round). */
	hideFunders?: boolean;
}

/** The ledger as a reader may see it: as an anonymous round shows it when funders are hidden. */
function visibleLedger(ledger: LedgerEntry[], hideFunders = false): LedgerEntry[] {
	return hideFunders ? ledger.map((e) => visibleEntry('anonymous', e)) : ledger;
}

// ---------------------------------------------------------------------------------------------
// Totals per bucket and per member, folded from the ledger (also used by the JSON and the .pb).

export interface BucketTotals {
	id: BucketId;
	title: string;
	status: BucketStatus;
	minGoal: Amount;
	maxGoal: Amount;
	/** Money in the bucket at the end. */
	total: Amount;
	/** Money above the minimum goal that a funded (or completed) bucket kept; 0 otherwise. */
	stretch: Amount;
	/** Σ contributions − withdrawals: what members chose to give, refunds not subtracted. */
	given: Amount;
	/** Σ refunds (at cancel or at close). */
	refunded: Amount;
	/** Members whose `given` is above 0. */
	funders: number;
	settledAt?: number;
	paidAt?: number;
}

export interface MemberTotals {
	id: MemberId;
	name: string;
	role: Role;
	allocated: Amount;
	/** Money still in buckets at the end (kept by funded buckets once the round is closed). */
	spent: Amount;
	/** Σ contributions − withdrawals over every bucket. */
	given: Amount;
	refunded: Amount;
	/** allocated − spent. */
	unspent: Amount;
}

export interface Totals {
	buckets: BucketTotals[];
	members: MemberTotals[];
	/** Σ allocations: the money the members held in all. */
	pool: Amount;
}

/** Per-bucket and per-member totals: what was given, what was refunded, what stayed. */
export function totalsOf(round: RoundExport): Totals {
	const state = replay(round.ledger);
	// Keyed `b:<bucketId>` and `m:<memberId>`, so that a bucket and a member never share a key.
	const given = new Map<string, number>();
	const refunded = new Map<string, number>();
	const add = (map: Map<string, number>, key: string, amount: number) => map.set(key, (map.get(key) ?? 0) + amount);
	const pairs = new Map<BucketId, Map<MemberId, number>>();
	for (const e of round.ledger) {
		if (!e.bucketId || !e.memberId) continue;
		if (e.type === 'contribute' || e.type === 'withdraw') {
			const signed = e.type === 'contribute' ? e.amount : -e.amount;
			add(given, `b:${e.bucketId}`, signed);
			add(given, `m:${e.memberId}`, signed);
			let byMember = pairs.get(e.bucketId);
			if (!byMember) pairs.set(e.bucketId, (byMember = new Map()));
			byMember.set(e.memberId, (byMember.get(e.memberId) ?? 0) + signed);
		} else if (e.type === 'refund') {
			add(refunded, `b:${e.bucketId}`, e.amount);
			add(refunded, `m:${e.memberId}`, e.amount);
		}
	}
	const buckets = round.buckets.flatMap((b): BucketTotals[] => {
		const account = state.buckets.get(b.id);
		if (!account) return [];
		const won = account.status === 'funded' || account.status === 'completed';
		return [
			{
				id: b.id,
				title: b.title,
				status: account.status,
				minGoal: account.minGoal,
				maxGoal: account.maxGoal,
				total: account.total,
				stretch: (won ? Math.max(0, account.total - account.minGoal) : 0) as Amount,
				given: (given.get(`b:${b.id}`) ?? 0) as Amount,
				refunded: (refunded.get(`b:${b.id}`) ?? 0) as Amount,
				funders: [...(pairs.get(b.id)?.values() ?? [])].filter((amount) => amount > 0).length,
				...(account.settledAt === undefined ? {} : { settledAt: account.settledAt }),
				...(account.paidAt === undefined ? {} : { paidAt: account.paidAt })
			}
		];
	});
	let pool = 0;
	const members = round.members.map((m): MemberTotals => {
		const account = state.members.get(m.id);
		const allocated = account?.allocated ?? 0;
		const spent = account?.spent ?? 0;
		pool += allocated;
		return {
			...m,
			allocated: allocated as Amount,
			spent: spent as Amount,
			given: (given.get(`m:${m.id}`) ?? 0) as Amount,
			refunded: (refunded.get(`m:${m.id}`) ?? 0) as Amount,
			unspent: (allocated - spent) as Amount
		};
	});
	return { buckets, members, pool: pool as Amount };
}

// ---------------------------------------------------------------------------------------------
// CSV: the round's locale decides the separators, so that a spreadsheet in that language reads
// every amount as a number.

interface CsvDialect {
	/** `;` where the decimal mark is a comma (fr), `,` otherwise (en). */
	separator: ';' | ',';
	locale: string;
	currency: string;
}

function dialectOf(settings: RoundSettings): CsvDialect {
	const decimal = new Intl.NumberFormat(settings.locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value;
	return { separator: decimal === ',' ? ';' : ',', locale: settings.locale, currency: settings.currency };
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell: text a spreadsheet would run as a formula gets a leading `'` (numbers never do). */
function text(value: string): string {
	return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A money cell: major units with the locale's decimal mark, no grouping, so it reads as a number. */
function money(amount: number, dialect: CsvDialect): string {
	return toMajorString(amount as Amount, dialect.currency, dialect.locale);
}

/** Quoted per RFC 4180 when the cell holds the separator, a quote or a line break. */
function csvLine(cells: string[], dialect: CsvDialect): string {
	const special = dialect.separator === ';' ? /[";\r\n]/ : /[",\r\n]/;
	return cells.map((cell) => (special.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(dialect.separator);
}

/** UTF-8 with BOM (so Excel reads accents), CRLF line ends. */
function csvFile(header: string[], rows: string[][], dialect: CsvDialect): string {
	return '\uFEFF' + [header, ...rows].map((row) => csvLine(row, dialect)).join('\r\n') + '\r\n';
}

const localTimes = new Map<string, Intl.DateTimeFormat>();

/**
 * `at` as `YYYY-MM-DD HH:MM:SS` in the time zone: the one date-time form that French and English
 * spreadsheets both read as a date. Throws a RangeError for an unknown time zone.
 */
export function localDateTime(at: number, timeZone = 'UTC'): string {
	let format = localTimes.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-GB', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23'
		});
		localTimes.set(timeZone, format);
	}
	const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
	return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}

/**
 * What a ledger row is to a treasurer: `money` moved between a member's wallet and a bucket
 * (allocate, contribute, withdraw, refund); `total` restates a bucket's total (settle, paid);
 * `expense` is money a bucket's owners spent from it (expense, and each later expenseStatus);
 * `record` moves no money (bookkeeping: open, configure, phase, schedule, create, owner, goals,
 * status, image, imageRemoved, and the review flow's tag, guideline, tags, flag, resolve).
 */
export type RowKind = 'money' | 'total' | 'expense' | 'record';

const KINDS: Record<EntryType, RowKind> = {
	allocate: 'money',
	contribute: 'money',
	withdraw: 'money',
	refund: 'money',
	settle: 'total',
	paid: 'total',
	open: 'record',
	configure: 'record',
	phase: 'record',
	create: 'record',
	owner: 'record',
	goals: 'record',
	status: 'record',
	schedule: 'record',
	image: 'record',
	imageRemoved: 'record',
	expense: 'expense',
	expenseStatus: 'expense',
	tag: 'record',
	guideline: 'record',
	tags: 'record',
	flag: 'record',
	resolve: 'record'
};

export const LEDGER_CSV_HEADER = [
	'seq',
	'date',
	'date_utc',
	'kind',
	'type',
	'bucket_id',
	'bucket_title',
	'member_id',
	'member_name',
	'amount',
	'currency',
	'min_goal',
	'max_goal',
	'status',
	'expense',
	'note'
];

/**
 * One row per ledger entry; `amount` is empty on `record` rows, goals are on `goals` rows. Expense
 * rows (PROTOCOL §10) name the expense in `expense` (also on its later status rows), its status in
 * `status` and a rejection's reason in `note`.
 */
export function toCsv(round: RoundExport, options: CsvOptions = {}): string {
	const dialect = dialectOf(round.settings);
	const names = new Map(round.members.map((m) => [m.id, m.name]));
	const titles = new Map(round.buckets.map((b) => [b.id, b.title]));
	const expenses = new Map<string, string>();
	const rows = visibleLedger(round.ledger, options.hideFunders).map((e) => {
		const kind = KINDS[e.type];
		if (e.expense) expenses.set(e.expense.id, e.expense.label);
		return [
			String(e.seq),
			localDateTime(e.at, options.timeZone),
			new Date(e.at).toISOString(),
			kind,
			e.type,
			e.bucketId ?? '',
			text((e.bucketId && titles.get(e.bucketId)) ?? ''),
			e.memberId ?? '',
			text((e.memberId && names.get(e.memberId)) ?? ''),
			kind === 'record' ? '' : money(e.amount, dialect),
			dialect.currency,
			e.minGoal === undefined ? '' : money(e.minGoal, dialect),
			e.maxGoal === undefined ? '' : money(e.maxGoal, dialect),
			e.status ?? e.phase ?? e.expenseStatus ?? (e.type === 'expense' ? 'recorded' : ''),
			text(e.expense?.label ?? (e.expenseId && expenses.get(e.expenseId)) ?? ''),
			text(e.note ?? '')
		];
	});
	return csvFile(LEDGER_CSV_HEADER, rows, dialect);
}

/** A timestamp as ISO 8601, or nothing for a clock value that is not a date (an author's clock may be anything). */
function isoDate(at: number): string {
	const date = new Date(at);
	return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

const HISTORY_HEADER = ['seq', 'date', 'date_utc', 'kind', 'bucket_id', 'bucket_title', 'asked', 'amount', 'currency', 'outcome', 'reason', 'balance'];

/**
 * A member's own history (the "my money" lines) as CSV, in the ledger export's dialect (separator,
 * decimal mark, local and UTC dates, currency). `reason` is a receipt's reason or a refund's cause.
 */
export function toHistoryCsv(
	rows: readonly HistoryRow[],
	round: { settings: RoundSettings; buckets: readonly ExportBucket[] },
	options: CsvOptions = {}
): string {
	const dialect = dialectOf(round.settings);
	const titles = new Map(round.buckets.map((b) => [b.id, b.title]));
	const amount = (value: number | undefined) => (value === undefined ? '' : money(value, dialect));
	const lines = rows.map((row) => [
		row.seq === undefined ? '' : String(row.seq),
		Number.isNaN(new Date(row.at).getTime()) ? '' : localDateTime(row.at, options.timeZone),
		isoDate(row.at),
		row.kind,
		row.bucketId ?? '',
		text((row.bucketId && titles.get(row.bucketId)) ?? ''),
		amount(row.asked),
		amount(row.amount),
		dialect.currency,
		row.outcome,
		row.reason ?? row.cause ?? '',
		amount(row.balance)
	]);
	return csvFile(HISTORY_HEADER, lines, dialect);
}

/** What can be downloaded: the round's exports, and a member's own history. */
export type ExportKind = 'csv' | 'buckets.csv' | 'members.csv' | 'json' | 'pb' | 'history';

const FILE_SUFFIX: Record<ExportKind, string> = {
	csv: '-ledger.csv',
	'buckets.csv': '-buckets.csv',
	'members.csv': '-members.csv',
	json: '-round.json',
	pb: '.pb',
	history: '-my-money.csv'
};
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

export const BUCKETS_CSV_HEADER = ['bucket_id', 'title', 'status', 'currency', 'min_goal', 'max_goal', 'total', 'stretch', 'given', 'refunded', 'funders'];

/** One row per bucket: its goals, what it holds, its stretch money, what was given and refunded. */
export function toBucketsCsv(round: RoundExport): string {
	const dialect = dialectOf(round.settings);
	const rows = totalsOf(round).buckets.map((b) => [
		b.id,
		text(b.title),
		b.status,
		dialect.currency,
		money(b.minGoal, dialect),
		money(b.maxGoal, dialect),
		money(b.total, dialect),
		money(b.stretch, dialect),
		money(b.given, dialect),
		money(b.refunded, dialect),
		String(b.funders)
	]);
	return csvFile(BUCKETS_CSV_HEADER, rows, dialect);
}

export const MEMBERS_CSV_HEADER = ['member_id', 'name', 'role', 'currency', 'allocated', 'given', 'refunded', 'spent', 'unspent'];

/** One row per member: money received, given, refunded, still spent in buckets, and left unspent. */
export function toMembersCsv(round: RoundExport): string {
	const dialect = dialectOf(round.settings);
	const rows = totalsOf(round).members.map((m) => [
		m.id,
		text(m.name),
		m.role,
		dialect.currency,
		money(m.allocated, dialect),
		money(m.given, dialect),
		money(m.refunded, dialect),
		money(m.spent, dialect),
		money(m.unspent, dialect)
	]);
	return csvFile(MEMBERS_CSV_HEADER, rows, dialect);
}

// ---------------------------------------------------------------------------------------------
// JSON: versioned; `docs/export.schema.json` describes it.

/** Bumped whenever a field changes meaning or disappears (adding a field keeps the version). */
export const EXPORT_JSON_VERSION = 1;

export interface JsonOptions {
	/** When the export was made (ms since epoch); defaults to now. */
	exportedAt?: number;
	/** Leave `memberId` out of contribute, withdraw and refund entries (as the ledger replica does). */
	hideFunders?: boolean;
}

/** JSON: version, export time, the round, its members and buckets with their totals, the ledger. */
export function toJson(round: RoundExport, options: JsonOptions = {}): string {
	const totals = totalsOf(round);
	const state = replay(round.ledger);
	const buckets = totals.buckets.map((b) => {
		const account = state.buckets.get(b.id);
		const spending = account?.expenses?.length ? { expenses: account.expenses, ...expenseTotals(account) } : {};
		return { ...b, owners: account?.owners ?? [], ...spending };
	});
	return JSON.stringify(
		{
			version: EXPORT_JSON_VERSION,
			exportedAt: new Date(options.exportedAt ?? Date.now()).toISOString(),
			round: { id: round.roundId, ...round.settings, minorDigits: minorDigits(round.settings.currency), pool: totals.pool },
			members: totals.members,
			buckets,
			ledger: visibleLedger(round.ledger, options.hideFunders)
		},
		null,
		2
	);
}
