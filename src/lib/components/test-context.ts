import { I18n, type Locale } from '$lib/i18n/i18n.svelte';
import { i18nContext } from '$lib/i18n/context';
import { memoryI18nEffects } from '$lib/i18n/memory';

/** The context a component needs to render in a test, in the given language. */
export function withLanguage(locale: Locale): { i18n: I18n; context: Map<symbol, unknown> } {
	const i18n = new I18n(memoryI18nEffects([locale]).effects);
	return { i18n, context: i18nContext(i18n) };
}
