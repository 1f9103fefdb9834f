import { describe, expect, it } from 'vitest';
import type { Amount } from '$lib/domain/types';
import { browserI18nEffects, format, formatLocale, I18n, pickLocale } from './i18n.svelte';
import { memoryI18nEffects } from './memory';
import { messages } from './messages';

describe('I18n', () => {
	it('§8 every string translated: fr has exactly the keys of en, none empty', () => {
		expect(Object.keys(messages.fr).sort()).toEqual(Object.keys(messages.en).sort());
		for (const [key, text] of Object.entries(messages.fr)) expect(text, key).not.toBe('');
	});

	it('§8 placeholders match between languages', () => {
		const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const key of Object.keys(messages.en) as (keyof typeof messages.en)[]) {
			expect(new Set(names(messages.fr[key])), key).toEqual(new Set(names(messages.en[key])));
		}
	});

	it('§8 follows the browser: first supported language of navigator.languages, English otherwise', () => {
		expect(pickLocale(['de-DE', 'fr-CA', 'en'])).toBe('fr');
		expect(pickLocale(['es', 'it'])).toBe('en');
		expect(new I18n(memoryI18nEffects(['fr-FR']).effects).locale).toBe('fr');
	});

	it('§8 switchable and remembered; <html lang> updated', async () => {
		const { effects, state } = memoryI18nEffects(['en-US']);
		const i18n = new I18n(effects);
		expect(state.documentLang).toBe('en');
		await i18n.setLocale('fr');
		expect(state.saved).toBe('fr');
		expect(state.documentLang).toBe('fr');
		expect(new I18n(effects).locale).toBe('fr');
		expect(i18n.t('sync.online')).toBe('En ligne');
	});

	it('the browser effects read localStorage, set document.documentElement.lang and load one language at a time', async () => {
		localStorage.setItem('tirelire.locale', 'fr');
		const i18n = new I18n(browserI18nEffects());
		expect(i18n.locale).toBe('fr');
		expect(document.documentElement.lang).toBe('fr');
		await i18n.ready;
		expect(i18n.t('sync.online')).toBe('En ligne');
		const switched = i18n.setLocale('en');
		// Until the English catalog has arrived, the page stays in French.
		expect(i18n.locale).toBe('fr');
		await switched;
		expect(i18n.t('sync.online')).toBe('Online');
		expect(localStorage.getItem('tirelire.locale')).toBe('en');
		expect(document.documentElement.lang).toBe('en');
	});

	it('§2 amounts in the locale and the round currency: 12,50 € and €12.50', async () => {
		const i18n = new I18n(memoryI18nEffects(['fr']).effects);
		expect(i18n.amount(1250 as Amount, 'EUR').replace(/\s/g, ' ')).toBe('12,50 €');
		await i18n.setLocale('en');
		expect(i18n.amount(1250 as Amount, 'EUR')).toBe('€12.50');
	});

	it('plural forms follow each language (French counts 0 and 1 as singular)', () => {
		expect(format('en', '{count} change|{count} changes', { count: 1 })).toBe('1 change');
		expect(format('en', '{count} change|{count} changes', { count: 0 })).toBe('0 changes');
		expect(format('fr', '{count} modif|{count} modifs', { count: 0 })).toBe('0 modif');
		expect(format('fr', '{count} modif|{count} modifs', { count: 2 })).toBe('2 modifs');
	});

	it('scoped catalogs (admin, live) translate reactively with the same locale', async () => {
		const i18n = new I18n(memoryI18nEffects(['en']).effects);
		const t = i18n.scoped({ en: { hi: 'Hello {name}' }, fr: { hi: 'Bonjour {name}' } });
		expect(t('hi', { name: 'Ana' })).toBe('Hello Ana');
		await i18n.setLocale('fr');
		expect(t('hi', { name: 'Ana' })).toBe('Bonjour Ana');
	});
});

describe('formats come from the user’s region', () => {
	const at = Date.UTC(2026, 11, 1, 21, 5);
	const inRegion = (languages: string[]) => new I18n(memoryI18nEffects(languages).effects);

	it('en-GB: day-first dates, a 24-hour clock, 15%', () => {
		const i18n = inRegion(['en-GB']);
		expect(i18n.region).toBe('en-GB');
		expect(i18n.date(at)).toMatch(/^1 Dec 2026/);
		expect(i18n.time(Date.UTC(2026, 11, 1, 21, 5))).toMatch(/^\d\d:05$/);
		expect(i18n.percent(15)).toBe('15%');
	});

	it('en-US: month-first dates, a 12-hour clock, 15%', () => {
		const i18n = inRegion(['en-US', 'fr-FR']);
		expect(i18n.region).toBe('en-US');
		expect(i18n.date(at)).toMatch(/^Dec 1, 2026/);
		expect(i18n.time(at)).toMatch(/[AP]M$/);
		expect(i18n.percent(15)).toBe('15%');
	});

	it('fr: French dates and a spaced percent sign', () => {
		const i18n = inRegion(['fr']);
		expect(i18n.region).toBe('fr-FR');
		expect(i18n.date(at)).toMatch(/^1 déc\. 2026/);
		expect(i18n.percent(15)).toMatch(/^15\s%$/);
	});

	it('English without a region, or a French region for an English reader, falls back to en-GB', () => {
		expect(inRegion(['en']).region).toBe('en-GB');
		expect(formatLocale('en', ['fr-CA', 'en'])).toBe('en-GB');
		expect(formatLocale('fr', ['en-US', 'fr-CA'])).toBe('fr-CA');
		expect(formatLocale('en', ['en-x-not-a-tag!'])).toBe('en-GB');
	});
});
