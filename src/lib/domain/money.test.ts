import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount, MAX_AMOUNT, minorDigits, parseAmount, toAmount, toMajorString } from './money.js';
import type { Amount } from './types.js';

const ok = (amount: number) => ({ ok: true, amount });
const err = (code: string) => ({ ok: false, error: { code } });

describe('parseAmount', () => {
	it('§2 typed input accepts 12,50 and 12.50 in any locale', () => {
		for (const locale of ['fr-FR', 'en-US', 'de-DE', 'en-GB']) {
			expect(parseAmount('12,50', locale, 'EUR'), locale).toEqual(ok(1250));
			expect(parseAmount('12.50', locale, 'EUR'), locale).toEqual(ok(1250));
		}
	});

	it('accepts grouped amounts with spaces (plain, no-break, narrow no-break), dots or commas', () => {
		expect(parseAmount('1 234,50', 'fr-FR', 'EUR')).toEqual(ok(123450));
		expect(parseAmount('1\u00a0234,50', 'fr-FR', 'EUR')).toEqual(ok(123450));
		expect(parseAmount('1\u202f234,50', 'fr-FR', 'EUR')).toEqual(ok(123450));
		expect(parseAmount('1,234.50', 'en-US', 'USD')).toEqual(ok(123450));
		expect(parseAmount('1.234,50', 'de-DE', 'EUR')).toEqual(ok(123450));
		expect(parseAmount('1.234,50', 'en-US', 'EUR')).toEqual(ok(123450));
		expect(parseAmount('1,234,567', 'en-US', 'USD')).toEqual(ok(123456700));
		expect(parseAmount("1'234.50", 'de-CH', 'CHF')).toEqual(ok(123450));
		expect(parseAmount('1,23,456.50', 'en-IN', 'INR')).toEqual(ok(12345650));
	});

	it('reads a lone separator before three digits as the locale grouping, else as the decimal', () => {
		expect(parseAmount('1,234', 'en-US', 'USD')).toEqual(ok(123400));
		expect(parseAmount('1.234', 'de-DE', 'EUR')).toEqual(ok(123400));
		expect(parseAmount('1.5', 'de-DE', 'EUR')).toEqual(ok(150));
		expect(parseAmount('0.125', 'de-DE', 'KWD')).toEqual(ok(125));
		expect(parseAmount('7', 'fr-FR', 'EUR')).toEqual(ok(700));
		expect(parseAmount('0,05', 'fr-FR', 'EUR')).toEqual(ok(5));
		expect(parseAmount(',5', 'fr-FR', 'EUR')).toEqual(ok(50));
	});

	it('strips currency symbols and codes', () => {
		expect(parseAmount('12,50 €', 'fr-FR', 'EUR')).toEqual(ok(1250));
		expect(parseAmount('€12.50', 'en-IE', 'EUR')).toEqual(ok(1250));
		expect(parseAmount('$ 3', 'en-US', 'USD')).toEqual(ok(300));
		expect(parseAmount('CHF 3.20', 'de-CH', 'CHF')).toEqual(ok(320));
	});

	it('uses the currency minor digits: JPY has none, KWD three', () => {
		expect(minorDigits('JPY')).toBe(0);
		expect(parseAmount('1 200', 'ja-JP', 'JPY')).toEqual(ok(1200));
		expect(parseAmount('12.5', 'ja-JP', 'JPY')).toMatchObject(err('too_many_decimals'));
		expect(parseAmount('1.005', 'en-US', 'KWD')).toEqual(ok(1005));
		expect(parseAmount('12,505', 'fr-FR', 'EUR')).toMatchObject(err('too_many_decimals'));
	});

	it('refuses with a code: empty, not_a_number, negative, too_large', () => {
		expect(parseAmount('  ', 'fr-FR', 'EUR')).toMatchObject(err('empty'));
		expect(parseAmount('€', 'fr-FR', 'EUR')).toMatchObject(err('empty'));
		for (const input of ['abc', '12a', '1,2,3', '1..2', '12,50,1', 'NaN', 'Infinity', '1e5', '1 ,5']) {
			expect(parseAmount(input, 'en-US', 'EUR'), input).toMatchObject(err('not_a_number'));
		}
		expect(parseAmount('-5', 'fr-FR', 'EUR')).toMatchObject(err('negative'));
		expect(parseAmount('−5,00 €', 'fr-FR', 'EUR')).toMatchObject(err('negative'));
		expect(parseAmount('100000000000,01', 'fr-FR', 'EUR')).toMatchObject(err('too_large'));
		expect(parseAmount('99999999999999999999', 'fr-FR', 'EUR')).toMatchObject(err('too_large'));
		expect(parseAmount('100000000000', 'fr-FR', 'EUR')).toEqual(ok(MAX_AMOUNT));
	});

	it('every refusal carries a message a person can act on', () => {
		const result = parseAmount('12,505', 'fr-FR', 'EUR');
		expect(result.ok || result.error.message).toBe('EUR has at most 2 decimals.');
	});
});

describe('formatting', () => {
	it('toAmount asserts a safe integer', () => {
		expect(toAmount(12)).toBe(12);
		expect(() => toAmount(1.5)).toThrow(RangeError);
		expect(() => toAmount(2 ** 53)).toThrow(RangeError);
	});

	it('toMajorString writes major units exactly, with a dot or the locale decimal', () => {
		expect(toMajorString(123450 as Amount, 'EUR')).toBe('1234.50');
		expect(toMajorString(5 as Amount, 'EUR')).toBe('0.05');
		expect(toMajorString(-5 as Amount, 'EUR')).toBe('-0.05');
		expect(toMajorString(1200 as Amount, 'JPY')).toBe('1200');
		expect(toMajorString(1005 as Amount, 'KWD')).toBe('1.005');
		expect(toMajorString(1250 as Amount, 'EUR', 'fr-FR')).toBe('12,50');
	});

	it('parseAmount reads back what toMajorString wrote', () => {
		for (const n of [0, 1, 99, 100, 123456789, 9007199254]) {
			expect(parseAmount(toMajorString(n as Amount, 'EUR', 'fr-FR'), 'fr-FR', 'EUR')).toEqual(ok(n));
		}
	});

	it('formatAmount uses the locale currency style, exactly even for large amounts', () => {
		expect(formatAmount(123450 as Amount, 'fr-FR', 'EUR')).toBe('1\u202f234,50\u00a0€');
		expect(formatAmount(123450 as Amount, 'en-US', 'USD')).toBe('$1,234.50');
		expect(formatAmount(1200 as Amount, 'ja-JP', 'JPY')).toBe('￥1,200');
		expect(formatAmount(9007199254740991 as Amount, 'en-US', 'USD')).toBe('$90,071,992,547,409.91');
	});
});

describe('round trips', () => {
	const place = fc.constantFrom(
		['fr-FR', 'EUR'],
		['en-US', 'USD'],
		['de-DE', 'EUR'],
		['de-CH', 'CHF'],
		['en-IN', 'INR'],
		['ja-JP', 'JPY'],
		['en-US', 'KWD'],
		['de-DE', 'KWD'],
		['fr-CA', 'CAD'],
		['en-GB', 'JPY']
	);

	it('parseAmount reads back what formatAmount and toMajorString write, for any amount and locale', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: MAX_AMOUNT }), place, (n, [locale, currency]) => {
				const amount = n as Amount;
				expect(parseAmount(formatAmount(amount, locale, currency), locale, currency)).toEqual(ok(n));
				expect(parseAmount(toMajorString(amount, currency, locale), locale, currency)).toEqual(ok(n));
				// The dot form (exports) is ambiguous only where a dot groups thousands and there are 3 decimals.
				if (minorDigits(currency) !== 3) expect(parseAmount(toMajorString(amount, currency), locale, currency)).toEqual(ok(n));
			}),
			{ numRuns: 2000 }
		);
	});
});
