import { browserI18nEffects, I18n } from '$lib/i18n/i18n.svelte';

// A single-page app: everything renders in the browser, nothing is prerendered but the shell.
export const ssr = false;
export const prerender = false;

/** The UI language, once the catalog of the language shown has arrived (the other is not loaded). */
export async function load() {
	const i18n = new I18n(browserI18nEffects());
	await i18n.ready;
	return { i18n };
}
