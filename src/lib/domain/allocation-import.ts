// Allocation import (DESIGN §12, PROTOCOL §12): a table a facilitator pasted or uploaded (CSV or
// TSV: member name or id, amount as people type it, optionally add or set), read into a preview
// that names every row it cannot match or would refuse, and the `importAllocations` rows of the
// others. Pure: the same preview in the browser and in tests; the sequencer judges again.
import { isId } from './id.js';
import { MAX_AMOUNT, parseAmount, type AmountErrorCode } from './money.js';
import { nameKey } from './names.js';
import { IMPORT_MAX_ROWS } from './rules-import.js';
import type { AllocationRow, Amount, MemberAccount, MemberId } from './types.js';

export { IMPORT_MAX_ROWS };

/** Largest table accepted, in UTF-16 code units (about as many bytes for such tables). */
export const IMPORT_MAX_CHARS = 100_000;

/** Why the whole table is refused. */
export const TABLE_ERRORS = ['empty', 'too_big', 'too_many_rows', 'mixed_separators', 'unclosed_quote'] as const;
export type TableError = (typeof TABLE_ERRORS)[number];

/** Why one row is left out of the import. */
export const ROW_PROBLEMS = [
	'missing_cell', // fewer than two cells
	'extra_cells', // more than three cells, or a third that is not a mode
	'formula', // a cell that a spreadsheet would run (=, @, or + or - before something that is not a number)
	'unknown_member', // no member has that id or name
	'ambiguous_name', // several members have that name: use their id
	'inactive_member', // the member's access was revoked
	'duplicate_member', // the member has an earlier row
	'empty',
	'not_a_number',
	'negative',
	'too_many_decimals',
	'too_large', // the amount, or the allocation it leads to, is above the largest amount
	'below_spent' // set below what the member already gave
] as const satisfies readonly (string | AmountErrorCode)[];
export type RowProblem = (typeof ROW_PROBLEMS)[number];

export type Mode = AllocationRow['mode'];

export interface ImportMember {
	id: MemberId;
	name: string;
	active: boolean;
	account: MemberAccount;
}

export interface PreviewRow {
	/** 1-based line of the table. */
	line: number;
	/** The member cell as written. */
	who: string;
	memberId?: MemberId;
	/** The member's name, when matched. */
	name?: string;
	mode: Mode;
	amount?: Amount;
	/** The member's allocation after this row. */
	after?: Amount;
	problem?: RowProblem;
	/** With duplicate_member: the line of the member's first row. */
	firstLine?: number;
}

export type Preview =
	| { ok: false; error: TableError; line?: number }
	| { ok: true; rows: PreviewRow[]; allocations: AllocationRow[] };

export interface ImportContext {
	members: readonly ImportMember[];
	currency: string;
	/** How typed amounts are read (`1,234` is 1234 in English, `12,50` is 12.50 everywhere). */
	locale: string;
	/** The mode of rows without a third cell. */
	mode: Mode;
}

const SEPARATORS = ['\t', ';', ','] as const;

/** The cells of one line split on `separator`, with RFC 4180 quotes (`"a;b"`, `""` for a quote); null when a quote is left open. */
function splitLine(line: string, separator: string): string[] | null {
	const cells: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const c = line[i];
		if (quoted) {
			if (c === '"' && line[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"' && cell.trim() === '') {
			quoted = true;
			cell = '';
		} else if (c === separator) {
			cells.push(cell.trim());
			cell = '';
		} else cell += c;
	}
	if (quoted) return null;
	cells.push(cell.trim());
	return cells;
}

/** The line without its quoted parts, to look for separators. */
function unquoted(line: string): string {
	return line.replace(/"(?:[^"]|"")*"?/g, '');
}

/**
 * The separator of a table: a tab when some line has one, else `;` when some line has one, else
 * `,` (a `,` inside an amount like `12,50` then needs quotes). A tab table with a `;` line, or a
 * line that only has another separator, mixes separators: refused, naming that line.
 */
function separatorOf(lines: readonly { text: string; line: number }[]): { separator: string } | { mixed: number } {
	const uses = (text: string, separator: string) => unquoted(text).includes(separator);
	const main = lines.some((l) => uses(l.text, '\t')) ? '\t' : lines.some((l) => uses(l.text, ';')) ? ';' : ',';
	for (const { text, line } of lines) {
		if (main === '\t' && uses(text, ';')) return { mixed: line };
		if (main !== ',' && !uses(text, main) && SEPARATORS.some((s) => uses(text, s))) return { mixed: line };
	}
	return { separator: main };
}

const FORMULA = /^[=@]|^[+-](?![\d\s.,€$£¥]*$)/u;
const HEADER_WHO = new Set(['member', 'name', 'id', 'member id', 'membre', 'nom', 'personne', 'identifiant']);
const HEADER_AMOUNT = new Set(['amount', 'montant', 'money', 'somme']);
const MODES: Readonly<Record<string, Mode>> = { add: 'add', ajouter: 'add', ajout: 'add', set: 'set', fixer: 'set', définir: 'set', definir: 'set' };

function isHeader(cells: readonly string[]): boolean {
	return HEADER_WHO.has(cells[0]?.toLowerCase() ?? '') && HEADER_AMOUNT.has(cells[1]?.toLowerCase() ?? '');
}

/** Members by id, and the active and revoked members by name key. */
function directory(members: readonly ImportMember[]) {
	const byId = new Map(members.map((m) => [m.id as string, m]));
	const byName = new Map<string, ImportMember[]>();
	for (const member of members) {
		const key = nameKey(member.name);
		byName.set(key, [...(byName.get(key) ?? []), member]);
	}
	return { byId, byName };
}

/**
 * Reads a table into a preview. Refused whole (with a code) when it is empty, above
 * IMPORT_MAX_CHARS or IMPORT_MAX_ROWS rows, mixes separators or leaves a quote open. Otherwise
 * every row is matched and judged in order, as the sequencer would, and a row with a problem is
 * named and left out of `allocations`. A byte order mark, Windows or old Mac line ends, blank
 * lines and a header line (`name;amount`, `nom;montant`…) are fine.
 */
export function previewImport(text: string, ctx: ImportContext): Preview {
	if (text.length > IMPORT_MAX_CHARS) return { ok: false, error: 'too_big' };
	const lines = text
		.replace(/^\uFEFF/, '')
		.split(/\r\n|\r|\n/)
		.map((line, i) => ({ text: line, line: i + 1 }))
		.filter(({ text }) => text.trim() !== '');
	if (lines.length === 0) return { ok: false, error: 'empty' };
	const found = separatorOf(lines);
	if ('mixed' in found) return { ok: false, error: 'mixed_separators', line: found.mixed };
	const table: { cells: string[]; line: number }[] = [];
	for (const { text, line } of lines) {
		const cells = splitLine(text, found.separator);
		if (!cells) return { ok: false, error: 'unclosed_quote', line };
		table.push({ cells, line });
	}
	if (isHeader(table[0]!.cells)) table.shift();
	if (table.length === 0) return { ok: false, error: 'empty' };
	if (table.length > IMPORT_MAX_ROWS) return { ok: false, error: 'too_many_rows' };

	const { byId, byName } = directory(ctx.members);
	const firstLine = new Map<MemberId, number>();
	const rows: PreviewRow[] = [];
	const allocations: AllocationRow[] = [];
	for (const { cells, line } of table) {
		const [who = '', amountCell = '', modeCell] = cells;
		const row: PreviewRow = { line, who, mode: ctx.mode };
		rows.push(row);
		if (cells.length < 2) {
			row.problem = 'missing_cell';
			continue;
		}
		const mode = modeCell === undefined || modeCell === '' ? ctx.mode : MODES[modeCell.toLowerCase()];
		if (cells.length > 3 || mode === undefined) {
			row.problem = 'extra_cells';
			continue;
		}
		row.mode = mode;
		if (cells.some((cell) => FORMULA.test(cell))) {
			row.problem = 'formula';
			continue;
		}
		const candidates = isId(who) && byId.has(who) ? [byId.get(who)!] : (byName.get(nameKey(who)) ?? []);
		const active = candidates.filter((m) => m.active);
		if (candidates.length === 0) {
			row.problem = 'unknown_member';
			continue;
		}
		if (active.length > 1) {
			row.problem = 'ambiguous_name';
			continue;
		}
		const member = active[0];
		if (!member) {
			row.problem = 'inactive_member';
			continue;
		}
		row.memberId = member.id;
		row.name = member.name;
		const first = firstLine.get(member.id);
		if (first !== undefined) {
			row.problem = 'duplicate_member';
			row.firstLine = first;
			continue;
		}
		firstLine.set(member.id, line);
		const parsed = parseAmount(amountCell, ctx.locale, ctx.currency);
		if (!parsed.ok) {
			row.problem = parsed.error.code;
			continue;
		}
		row.amount = parsed.amount;
		const after = mode === 'add' ? member.account.allocated + parsed.amount : parsed.amount;
		if (after > MAX_AMOUNT) {
			row.problem = 'too_large';
			continue;
		}
		row.after = after as Amount;
		if (after < member.account.spent) {
			row.problem = 'below_spent';
			continue;
		}
		allocations.push({ memberId: member.id, amount: parsed.amount, mode });
	}
	return { ok: true, rows, allocations };
}
