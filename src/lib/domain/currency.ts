// What Intl knows about currencies: which codes exist and how many minor digits each has.

const knownCurrencies = new Set<string>(Intl.supportedValuesOf('currency'));
const digitsCache = new Map<string, number>();

/** True for an ISO 4217 code the runtime's Intl knows (Intl accepts any 3 letters, so ask its list). */
export function isKnownCurrency(code: string): boolean {
	return knownCurrencies.has(code);
}

/** Number of minor digits of a currency: EUR 2, JPY 0, KWD 3. Throws RangeError on an unknown code. */
export function minorDigits(currency: string): number {
	let digits = digitsCache.get(currency);
	if (digits === undefined) {
		if (!isKnownCurrency(currency)) throw new RangeError(`Unknown currency: ${currency}`);
		digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
			.maximumFractionDigits ?? 2;
		digitsCache.set(currency, digits);
	}
	return digits;
}
