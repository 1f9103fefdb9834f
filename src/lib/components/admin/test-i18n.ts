import { i18nContext } from '$lib/i18n/context';
import { I18n, type Locale } from '$lib/i18n/i18n.svelte';

/** A real I18n fixed to `locale`, with no storage or document, as the context of a rendered component. */
export function i18nIn(locale: Locale): Map<symbol, unknown> {
	return i18nContext(
		new I18n({ languages: () => [locale], load: () => null, save: () => {}, applyToDocument: () => {} })
	);
}
