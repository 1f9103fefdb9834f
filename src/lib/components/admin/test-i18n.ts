import { i18nContext } from '$lib/i18n/context';
import { I18n, type Locale } from '$lib/i18n/i18n.svelte';
import { memoryI18nEffects } from '$lib/i18n/memory';

/** A real I18n fixed to `locale`, with no storage or document, as the context of a rendered component. */
export function i18nIn(locale: Locale): Map<symbol, unknown> {
	return i18nContext(new I18n(memoryI18nEffects([locale]).effects));
}
