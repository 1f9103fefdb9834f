import { formatAmount } from '$lib/domain/money';
import type { Amount } from '$lib/domain/types';
import { errorMessageKey } from '$lib/sync/api';
import { messages, type Catalog, type MessageKey } from './messages';

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export type Params = Record<string, string | number>;

/** What the I18n class needs from the outside world; `browserI18nEffects` is the real one. */
export interface I18nEffects {
	/** The user's preferred languages, best first (navigator.languages). */
	languages(): readonly string[];
	load(): string | null;
	save(locale: Locale): void;
	/** Keeps `<html lang>` right for screen readers and hyphenation. */
	applyToDocument(locale: Locale): void;
}

const STORAGE_KEY = 'tirelire.locale';

export function browserI18nEffects(): I18nEffects {
	return {
		languages: () => navigator.languages ?? [navigator.language],
		load: () => {
			try {
				return localStorage.getItem(STORAGE_KEY);
			} catch {
				return null;
			}
		},
		save: (locale) => {
			try {
				localStorage.setItem(STORAGE_KEY, locale);
			} catch {
				// Private browsing may refuse storage; the choice then lasts for this visit only.
			}
		},
		applyToDocument: (locale) => {
			document.documentElement.lang = locale;
		}
	};
}

function isLocale(value: string | null | undefined): value is Locale {
	return value === 'en' || value === 'fr';
}

/** The first of the user's languages we speak; English otherwise. */
export function pickLocale(languages: readonly string[]): Locale {
	for (const tag of languages) {
		const base = tag.toLowerCase().split('-')[0];
		if (isLocale(base)) return base;
	}
	return 'en';
}

/**
 * Replaces `{name}` placeholders. A message written `singular|plural` is chosen with the locale's
 * plural rules on `params.count` (French counts 0 and 1 as singular).
 */
export function format(locale: Locale, message: string, params?: Params): string {
	let text = message;
	if (text.includes('|') && typeof params?.count === 'number') {
		const [one, other] = text.split('|') as [string, string];
		text = new Intl.PluralRules(locale).select(params.count) === 'one' ? one : other;
	}
	if (!params) return text;
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
		const value = params[name];
		if (value === undefined) return whole;
		return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
	});
}

/**
 * The UI language and everything that depends on it: messages, amounts, numbers, dates.
 * Components get it with `getI18n()` from `$lib/i18n/context`.
 */
export class I18n {
	locale: Locale = $state('en');
	readonly #effects: I18nEffects;

	constructor(effects: I18nEffects) {
		this.#effects = effects;
		const saved = effects.load();
		this.locale = isLocale(saved) ? saved : pickLocale(effects.languages());
		effects.applyToDocument(this.locale);
	}

	/** Switches the language, remembers it and updates `<html lang>`. */
	setLocale(locale: Locale): void {
		this.locale = locale;
		this.#effects.save(locale);
		this.#effects.applyToDocument(locale);
	}

	t = (key: MessageKey, params?: Params): string => format(this.locale, messages[this.locale][key], params);

	/** A translator for an area catalog kept outside the core (e.g. admin, live). Reactive too. */
	scoped<K extends string>(catalog: Catalog<K>): (key: K, params?: Params) => string {
		return (key, params) => format(this.locale, catalog[this.locale][key], params);
	}

	/** `12,50 €` in French, `€12.50` in English. */
	amount = (amount: Amount | number, currency: string): string =>
		formatAmount(amount as Amount, this.locale, currency);

	/** An API or network error as a sentence in the user's language. */
	error = (error: unknown): string =>
		this.t(errorMessageKey(error), { detail: error instanceof Error ? error.message : String(error) });

	number = (value: number): string => new Intl.NumberFormat(this.locale).format(value);

	date = (ms: number): string =>
		new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);

	time = (ms: number): string => new Intl.DateTimeFormat(this.locale, { timeStyle: 'short' }).format(ms);
}
