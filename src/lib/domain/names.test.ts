import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEMBER_NAME_MAX, nameIsTaken, nameKey, normalizeName, type NameProblem } from './names.js';

const BIDI = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
/** Strings mixing ordinary letters with the characters names must be careful about. */
const tricky = fc
	.array(
		fc.oneof(
			fc.string({ unit: 'grapheme', maxLength: 4 }),
			fc.constantFrom(' ', '  ', '\u00A0', '\u3000', '\t', '\n', '\r\n', '\u2028', '\u200B', '\u200D', '\uFEFF', '\u3164', '\u0301', 'e', 'É', 'ﬁ', ...BIDI),
			fc.string({ unit: 'binary', maxLength: 3 })
		),
		{ maxLength: 12 }
	)
	.map((parts) => parts.join(''));

function problem(raw: string): NameProblem | 'ok' {
	const result = normalizeName(raw);
	return result.ok ? 'ok' : result.problem;
}

describe('normalizeName', () => {
	it('a normalized name is NFC, on one line, trimmed, single-spaced, visible and within the limit', () => {
		fc.assert(
			fc.property(tricky, (raw) => {
				const result = normalizeName(raw);
				if (!result.ok) return;
				const { name } = result;
				expect(name).toBe(name.normalize('NFC'));
				expect(name).toBe(name.trim());
				expect(name).not.toMatch(/\s\s|[\t\n\r\u2028\u2029]/u);
				expect(name).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B\uFEFF]/u);
				expect([...name].length).toBeGreaterThanOrEqual(1);
				expect([...name].length).toBeLessThanOrEqual(MEMBER_NAME_MAX);
			})
		);
	});

	it('is idempotent: a normalized name normalizes to itself', () => {
		fc.assert(
			fc.property(tricky, (raw) => {
				const result = normalizeName(raw);
				if (result.ok) expect(normalizeName(result.name)).toEqual(result);
			})
		);
	});

	it('refuses any name holding a bidirectional control, wherever it is', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 10 }), fc.constantFrom(...BIDI), fc.string({ maxLength: 10 }), (before, bidi, after) => {
				expect(normalizeName(before + bidi + after).ok).toBe(false);
			})
		);
	});

	it('a name that reads as a taken one (case, width, joiners, selectors) is taken', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }), fc.nat(), (base, at) => {
				const taken = normalizeName(base);
				fc.pre(taken.ok);
				if (!taken.ok) return;
				const chars = [...taken.name];
				const cut = at % (chars.length + 1);
				const disguised = [...chars.slice(0, cut), '\u200D', '\uFE0F', ...chars.slice(cut)].join('').toUpperCase();
				expect(nameIsTaken(disguised, [taken.name])).toBe(true);
			})
		);
	});

	it.each([
		['  Alice   Martin ', 'Alice Martin'],
		['Al\u00A0\u3000ice', 'Al ice'],
		['Jose\u0301', 'José'],
		['👩‍👩‍👧', '👩‍👩‍👧'],
		['李小龙', '李小龙'],
		['a'.repeat(MEMBER_NAME_MAX), 'a'.repeat(MEMBER_NAME_MAX)]
	])('keeps %j as %j', (raw, name) => {
		expect(normalizeName(raw)).toEqual({ ok: true, name });
	});

	it.each<[string, NameProblem]>([
		['', 'empty'],
		['   ', 'empty'],
		['Alice\nBob', 'control'],
		['Alice\tBob', 'control'],
		['Alice\u0007', 'control'],
		['Alice\u2028Bob', 'line_break'],
		['\u202EecilA', 'bidi'],
		['Alice\u2066', 'bidi'],
		['Al\u200Bice', 'invisible_char'],
		['\uFEFFAlice', 'invisible_char'],
		['\u3164', 'invisible'],
		['\u3164\u3164 \u115F', 'invisible'],
		['\u0301\u0301', 'invisible'],
		['\u2800', 'invisible'],
		['a'.repeat(MEMBER_NAME_MAX + 1), 'too_long']
	])('refuses %j (%s)', (raw, expected) => {
		expect(problem(raw)).toBe(expected);
	});

	it('takes a longer limit for round names', () => {
		expect(normalizeName('a'.repeat(100), 120).ok).toBe(true);
		expect(normalizeName('a'.repeat(121), 120)).toEqual({ ok: false, problem: 'too_long' });
	});
});

describe('nameKey', () => {
	it('an exact copy, another case or full-width letters read as the same name', () => {
		expect(nameIsTaken('Fatou', ['Fatou'])).toBe(true);
		expect(nameIsTaken('FATOU', ['Fatou'])).toBe(true);
		expect(nameIsTaken('Ｆａｔｏｕ', ['Fatou'])).toBe(true);
		expect(nameIsTaken('Fa\u200Dtou', ['Fatou'])).toBe(true);
		expect(nameIsTaken('Fatou B.', ['Fatou'])).toBe(false);
		expect(nameKey('Straße')).not.toBe(nameKey('Strasse'));
	});
});
