import type { I18nEffects, Locale } from './i18n.svelte';
import { messages } from './messages';

/** I18n effects kept in memory, with both catalogs at hand: for tests. */
export function memoryI18nEffects(languages: readonly string[] = ['en'], saved: string | null = null) {
	const state = { saved, documentLang: '' };
	const effects: I18nEffects = {
		languages: () => languages,
		load: () => state.saved,
		save: (locale: Locale) => {
			state.saved = locale;
		},
		applyToDocument: (locale: Locale) => {
			state.documentLang = locale;
		},
		catalog: (locale: Locale) => messages[locale]
	};
	return { effects, state };
}
