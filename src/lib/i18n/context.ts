import { getContext, setContext } from 'svelte';
import type { I18n } from './i18n.svelte';

const KEY = Symbol('i18n');

/** The root layout provides the one I18n; every component reads it here. */
export function setI18n(i18n: I18n): I18n {
	return setContext(KEY, i18n);
}

export function getI18n(): I18n {
	const i18n = getContext<I18n | undefined>(KEY);
	if (!i18n) throw new Error('I18n is not set: the root layout provides it.');
	return i18n;
}

/** For component tests: the context map that `render(..., { context })` expects. */
export function i18nContext(i18n: I18n): Map<symbol, unknown> {
	return new Map([[KEY, i18n]]);
}
