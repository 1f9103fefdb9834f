// Names people give themselves and their rounds. One function decides what a name is, for the
// server (round creation, joining) and for the forms (instant feedback): a name shows the same
// thing to every member, cannot reorder the text around it, cannot be blank to the eye, and a
// member cannot take a name that reads as another member's.

/** The longest member name, in code points (what the server stores and checks). */
export const MEMBER_NAME_MAX = 40;
/** The longest round name, in code points. */
export const ROUND_NAME_MAX = 120;

export const NAME_PROBLEMS = ['empty', 'too_long', 'control', 'line_break', 'bidi', 'invisible_char', 'invisible'] as const;
export type NameProblem = (typeof NAME_PROBLEMS)[number];

export type NameResult = { ok: true; name: string } | { ok: false; problem: NameProblem };

// Controls (C0, DEL, C1) include tab and the newlines; lone surrogates and unassigned code points
// cannot be shown the same way everywhere.
const CONTROL = /[\p{Cc}\p{Cs}\p{Cn}]/u;
const LINE_BREAK = /[\u2028\u2029]/u;
// Embeddings, overrides, isolates and marks: they reorder or redirect the text around the name.
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
// Format characters draw nothing. Zero-width (non-)joiners and tag characters are kept: emoji
// sequences (and their subdivision flags) and several scripts need them between visible characters.
// (Code point ranges, not a regex class: a class holding a joiner reads as one misleading character.)
const FORMAT = /\p{Cf}/u;
const inRanges = (ranges: readonly [number, number][], cp: number): boolean => ranges.some(([from, to]) => cp >= from && cp <= to);
const KEPT_FORMAT: [number, number][] = [
	[0x200c, 0x200d],
	[0xe0020, 0xe007f]
];
// What the comparison ignores as well: the kept format characters, the combining grapheme joiner
// and the variation selectors.
const IGNORED_IN_KEY: [number, number][] = [...KEPT_FORMAT, [0x034f, 0x034f], [0xfe00, 0xfe0f], [0xe0100, 0xe01ef]];
const hasInvisibleChar = (text: string): boolean =>
	[...text].some((ch) => FORMAT.test(ch) && !inRanges(KEPT_FORMAT, ch.codePointAt(0)!));
const dropIgnored = (text: string): string => [...text].filter((ch) => !inRanges(IGNORED_IN_KEY, ch.codePointAt(0)!)).join('');
// Letters that Unicode classes as letters or symbols but that render as blank space.
const FILLERS = /[\u115F\u1160\u3164\uFFA0\u2800\u180E]/gu;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const SPACES = /\p{White_Space}+/gu;

/**
 * Parses a name typed by someone: NFC, whitespace runs collapsed to one space and trimmed, then
 * refused if it holds control characters or line breaks, bidirectional controls, invisible format
 * characters, nothing visible, or more than `max` code points.
 */
export function normalizeName(raw: string, max: number = MEMBER_NAME_MAX): NameResult {
	// Checked before collapsing whitespace: a newline or a tab is refused, not turned into a space.
	if (CONTROL.test(raw)) return { ok: false, problem: 'control' };
	if (LINE_BREAK.test(raw)) return { ok: false, problem: 'line_break' };
	if (BIDI.test(raw)) return { ok: false, problem: 'bidi' };
	if (hasInvisibleChar(raw)) return { ok: false, problem: 'invisible_char' };
	const name = raw.normalize('NFC').replace(SPACES, ' ').trim();
	if (name === '') return { ok: false, problem: 'empty' };
	if (!VISIBLE.test(name.replace(FILLERS, ''))) return { ok: false, problem: 'invisible' };
	if ([...name].length > max) return { ok: false, problem: 'too_long' };
	return { ok: true, name };
}

/**
 * What two names are compared by: compatibility forms folded (NFKC: full-width letters, ligatures),
 * case folded, joiners, selectors and fillers dropped. Two names with the same key read the same.
 */
export function nameKey(name: string): string {
	return dropIgnored(name.normalize('NFKC')).replace(FILLERS, '').toLowerCase().normalize('NFKC');
}

/** Whether `name` reads as one of `taken` (already normalized names). */
export function nameIsTaken(name: string, taken: Iterable<string>): boolean {
	const key = nameKey(name);
	for (const other of taken) if (nameKey(other) === key) return true;
	return false;
}

/** A sentence for each problem, in English, for API messages (the UI has its own translations). */
export function nameProblemMessage(problem: NameProblem, max: number = MEMBER_NAME_MAX): string {
	switch (problem) {
		case 'empty':
			return 'A name must not be empty.';
		case 'too_long':
			return `A name has at most ${max} characters.`;
		case 'control':
			return 'A name must not contain control characters, tabs or line breaks.';
		case 'line_break':
			return 'A name must fit on one line.';
		case 'bidi':
			return 'A name must not contain text direction controls.';
		case 'invisible_char':
			return 'A name must not contain invisible characters.';
		case 'invisible':
			return 'A name needs at least one visible letter, digit or sign.';
	}
}
