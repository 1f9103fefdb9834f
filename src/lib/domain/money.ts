// Amounts: integer minor units in, integer minor units out. Parsing and formatting work on digit
// strings so that no float ever takes part in the arithmetic.
import { minorDigits } from './currency.js';
import type { Amount } from './types.js';

export { isKnownCurrency, minorDigits } from './currency.js';

/** Sane upper bound for one typed amount: 10^13 minor units (100 billion euros). */
export const MAX_AMOUNT = 10 ** 13;

export type AmountErrorCode = 'empty' | 'not_a_number' | 'negative' | 'too_many_decimals' | 'too_large';
export type ParsedAmount = { ok: true; amount: Amount } | { ok: false; error: { code: AmountErrorCode; message: string } };

/** Asserts that `n` is a safe integer and brands it. Throws RangeError otherwise. */
export function toAmount(n: number): Amount {
	if (!Number.isSafeInteger(n)) throw new RangeError(`Not an amount of minor units: ${n}`);
	return n as Amount;
}

interface Separators {
	group: string;
	decimal: string;
}
const separatorCache = new Map<string, Separators>();

/** The locale's own grouping and decimal characters, as Intl writes them. */
function separators(locale: string): Separators {
	let found = separatorCache.get(locale);
	if (!found) {
		const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
		found = {
			group: parts.find((p) => p.type === 'group')?.value ?? ',',
			decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.'
		};
		separatorCache.set(locale, found);
	}
	return found;
}

const symbolCache = new Map<string, string>();
function currencySymbol(locale: string, currency: string): string {
	const key = `${locale}|${currency}`;
	let symbol = symbolCache.get(key);
	if (symbol === undefined) {
		const parts = new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(1);
		symbol = parts.find((p) => p.type === 'currency')?.value ?? currency;
		symbolCache.set(key, symbol);
	}
	return symbol;
}

const fail = (code: AmountErrorCode, message: string): ParsedAmount => ({ ok: false, error: { code, message } });

/**
 * Which of `.` and `,` is the decimal separator in `s` (digits, `.`, `,` and spaces), or null.
 * Both present: the last one is the decimal. One of them several times: grouping. Once: decimal,
 * unless it is the locale's grouping character between a group (1–3 digits, no leading 0) and
 * exactly three digits (`1,234` in English is 1234, `12,50` is 12.50, `0,125` is 0.125; in German
 * `1.234` is 1234).
 */
function decimalSeparator(s: string, locale: string): string | null {
	const dot = s.lastIndexOf('.');
	const comma = s.lastIndexOf(',');
	if (dot >= 0 && comma >= 0) return dot > comma ? '.' : ',';
	const at = Math.max(dot, comma);
	if (at < 0) return null;
	const sep = s[at] as string;
	if (s.indexOf(sep) !== at) return null;
	const { group } = separators(locale);
	const grouping = sep === group && /^[1-9]\d{0,2}$/.test(s.slice(0, at).replaceAll(' ', '')) && /^\d{3}$/.test(s.slice(at + 1));
	return grouping ? null : sep;
}

/** Integer digits with grouping removed, or null when the grouping is not plausible (`1,2,3`). */
function ungroup(integer: string): string | null {
	const groups = integer.split(/[ .,]/);
	if (groups.length === 1) return integer;
	const [first, ...rest] = groups;
	if (!first || !/^\d{1,3}$/.test(first)) return null;
	// Groups of 3, or of 2 before the last (Indian grouping: 1,23,456).
	const last = rest.pop() as string;
	if (!/^\d{3}$/.test(last) || !rest.every((g) => /^\d{2,3}$/.test(g))) return null;
	return groups.join('');
}

/**
 * Parses what a person typed into minor units of `currency`: `12,50`, `12.50`, `1 234,50` (any
 * space, including no-break and narrow no-break), `1,234.50`, `1.234,50`, with or without the
 * currency's symbol or code. Never produces a float on the way.
 */
export function parseAmount(input: string, locale: string, currency: string): ParsedAmount {
	const digits = minorDigits(currency);
	// NFKC folds no-break spaces to spaces and full-width digits to ASCII ones.
	let s = input.normalize('NFKC').replaceAll(currencySymbol(locale, currency).normalize('NFKC'), '');
	s = s.replace(new RegExp(currency, 'gi'), '').replace(/\p{Sc}/gu, '').trim();
	if (s === '') return fail('empty', 'Enter an amount.');
	if (/^[-−]|[-−]$|^\(.*\)$/.test(s)) return fail('negative', 'The amount cannot be negative.');
	s = s.replace(/^\+/, '').replace(/[\s'’]+/g, ' ');
	if (!/^[\d .,]*\d[\d .,]*$/.test(s) || / [.,]|[.,] /.test(s)) {
		return fail('not_a_number', `“${input}” is not an amount.`);
	}
	const decimal = decimalSeparator(s, locale);
	const cut = decimal === null ? -1 : s.lastIndexOf(decimal);
	const integer = ungroup(cut < 0 ? s : s.slice(0, cut));
	const fraction = cut < 0 ? '' : s.slice(cut + 1);
	if (integer === null || !/^\d*$/.test(fraction)) return fail('not_a_number', `“${input}” is not an amount.`);

	if (fraction.length > digits) {
		return fail('too_many_decimals', digits === 0 ? `${currency} has no decimals.` : `${currency} has at most ${digits} decimals.`);
	}
	const minor = (integer + fraction.padEnd(digits, '0')).replace(/^0+(?=\d)/, '');
	if (minor.length > 15 || Number(minor) > MAX_AMOUNT) return fail('too_large', 'The amount is too large.');
	return { ok: true, amount: Number(minor) as Amount };
}

/**
 * Minor units as a plain decimal string in major units: 123450 EUR → "1234.50", -5 → "-0.05",
 * JPY 1200 → "1200". With a locale, its decimal separator is used (for an edit field).
 */
export function toMajorString(amount: Amount, currency: string, locale?: string): string {
	const digits = minorDigits(currency);
	const sign = amount < 0 ? '-' : '';
	const abs = String(Math.abs(amount)).padStart(digits + 1, '0');
	if (digits === 0) return sign + abs;
	const decimal = locale === undefined ? '.' : separators(locale).decimal;
	return `${sign}${abs.slice(0, -digits)}${decimal}${abs.slice(-digits)}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** `amount` as the locale writes money: 123450, fr-FR, EUR → "1 234,50 €". */
export function formatAmount(amount: Amount, locale: string, currency: string): string {
	const key = `${locale}|${currency}`;
	let formatter = formatters.get(key);
	if (!formatter) {
		formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
		formatters.set(key, formatter);
	}
	// A decimal string keeps the value exact (Intl.NumberFormat v3 formats strings as decimals).
	return formatter.format(toMajorString(amount, currency) as `${number}`);
}
