import type { I18nEffects, Locale } from './i18n.svelte';

/** I18n effects kept in memory: for tests and for hosts without localStorage. */
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
		}
	};
	return { effects, state };
}
