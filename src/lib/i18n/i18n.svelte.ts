import { formatAmount } from '$lib/domain/money';
import type { Amount } from '$lib/domain/types';
import { errorMessageKey } from '$lib/sync/api';
import type { Catalog } from './messages/define';
import type { MessageKey, Messages } from './messages/en';

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
	/** The core catalog of one language (the browser downloads only the languages it shows). */
	catalog(locale: Locale): Messages | Promise<Messages>;
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
		},
		catalog: (locale) =>
			locale === 'fr' ? import('./messages/fr').then((m) => m.fr) : import('./messages/en').then((m) => m.en)
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
 * The locale that formats numbers and dates in `language`: the user's own regional variant when
 * they have one (en-GB gets day-first dates and a 24-hour clock, en-US month-first), else the
 * language's usual region. The catalogs are per language; the formats are per region.
 */
export function formatLocale(language: Locale, languages: readonly string[]): string {
	for (const tag of languages) {
		if (tag.toLowerCase().split('-')[0] !== language) continue;
		try {
			const [canonical] = Intl.getCanonicalLocales(tag);
			if (canonical?.includes('-')) return canonical;
		} catch {
			// Not a BCP 47 tag: try the next one.
		}
	}
	return language === 'fr' ? 'fr-FR' : 'en-GB';
}

/**
 * Replaces `{name}` placeholders. A message written `singular|plural` is chosen with the locale's
 * plural rules on `params.count` (French counts 0 and 1 as singular).
 */
export function format(locale: string, message: string, params?: Params): string {
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
 * Components get it with `getI18n()` from `$lib/i18n/context`. The catalog of the language shown
 * may arrive later than the class: wait for `ready` before the first `t()` (the root layout does).
 */
export class I18n {
	locale: Locale = $state('en');
	readonly #languages: readonly string[] = [];
	/** The regional locale numbers and dates are formatted in (see `formatLocale`). */
	readonly region: string = $derived(formatLocale(this.locale, this.#languages));
	/** Resolves once the catalog of the starting language is here. */
	readonly ready: Promise<void>;
	#catalogs: Partial<Record<Locale, Messages>> = $state.raw({});
	readonly #effects: I18nEffects;

	constructor(effects: I18nEffects) {
		this.#effects = effects;
		this.#languages = effects.languages();
		const saved = effects.load();
		this.locale = isLocale(saved) ? saved : pickLocale(effects.languages());
		effects.applyToDocument(this.locale);
		this.ready = this.#load(this.locale);
	}

	/**
	 * Switches the language (at once when its catalog is here, else once it has arrived), remembers
	 * it and updates `<html lang>`. If the catalog cannot be fetched, the language stays and the
	 * promise says why.
	 */
	setLocale(locale: Locale): Promise<void> {
		const apply = () => {
			this.locale = locale;
			this.#effects.save(locale);
			this.#effects.applyToDocument(locale);
		};
		if (this.#catalogs[locale]) {
			apply();
			return Promise.resolve();
		}
		return this.#load(locale).then(apply);
	}

	/** Makes the catalog of `locale` available; synchronously when the effects have it at hand. */
	#load(locale: Locale): Promise<void> {
		const found = this.#effects.catalog(locale);
		if (!(found instanceof Promise)) {
			this.#catalogs = { ...this.#catalogs, [locale]: found };
			return Promise.resolve();
		}
		return found.then((catalog) => {
			this.#catalogs = { ...this.#catalogs, [locale]: catalog };
		});
	}

	/** The message in the current language; the key itself until the catalog has arrived. */
	t = (key: MessageKey, params?: Params): string => {
		const message = this.#catalogs[this.locale]?.[key];
		return message === undefined ? key : format(this.region, message, params);
	};

	/** A translator for an area catalog kept outside the core (e.g. admin, live). Reactive too. */
	scoped<K extends string>(catalog: Catalog<K>): (key: K, params?: Params) => string {
		return (key, params) => format(this.region, catalog[this.locale][key], params);
	}

	/** `12,50 €` in French, `€12.50` in English. */
	amount = (amount: Amount | number, currency: string): string =>
		formatAmount(amount as Amount, this.region, currency);

	/** An API or network error as a sentence in the user's language. */
	error = (error: unknown): string =>
		this.t(errorMessageKey(error), { detail: error instanceof Error ? error.message : String(error) });

	number = (value: number): string => new Intl.NumberFormat(this.region).format(value);

	/** A whole percentage: `15%` in English, `15 %` in French. */
	percent = (value: number): string =>
		new Intl.NumberFormat(this.region, { style: 'percent', maximumFractionDigits: 0 }).format(value / 100);

	date = (ms: number): string =>
		new Intl.DateTimeFormat(this.region, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);

	time = (ms: number): string => new Intl.DateTimeFormat(this.region, { timeStyle: 'short' }).format(ms);
}
