// French and English: every visible string follows the chosen language, and so does money.
// The check is driven by the catalogs: no string of the other language may remain on screen.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { admin } from '../../src/lib/i18n/messages/admin';
import { messages } from '../../src/lib/i18n/messages/index';
import { live } from '../../src/lib/i18n/messages/live';
import { person, screenshot, stage, storySteps, type Person } from './harness';
import { createRound, proposeBucket } from './steps';

type Lang = 'en' | 'fr';
const catalogs = [messages, admin, live];

/** A message template as a whole-string pattern: `{name}` matches anything, `a|b` are plural forms. */
function pattern(template: string): RegExp {
	const forms = template.split('|').map((form) =>
		form
			.split(/\{[a-zA-Z]+\}/)
			.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'))
			.join('.+?')
	);
	return new RegExp(`^(?:${forms.join('|')})$`, 'u');
}

/** Each message that reads differently in the two languages, as patterns for both. */
const distinct = catalogs.flatMap((catalog) =>
	Object.keys(catalog.en)
		.map((key) => ({
			key,
			en: (catalog.en as Record<string, string>)[key] as string,
			fr: (catalog.fr as Record<string, string>)[key] as string
		}))
		.filter(({ en, fr }) => en !== fr)
		.map(({ key, en, fr }) => ({ key, en: pattern(en), fr: pattern(fr) }))
);

/** Visible text on the page, one entry per text node or accessible label, spaces normalised. */
async function visibleStrings(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const found: string[] = [];
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const parent = node.parentElement;
			if (!parent || !parent.checkVisibility() || parent.closest('script,style')) continue;
			found.push(node.textContent ?? '');
		}
		for (const element of document.querySelectorAll('[aria-label],[placeholder],[title]')) {
			if (!element.checkVisibility()) continue;
			for (const name of ['aria-label', 'placeholder', 'title']) found.push(element.getAttribute(name) ?? '');
		}
		return found
			.map((text) => text.replace(/\s+/gu, ' ').replace(/^[^\p{L}\p{N}€«“]+/u, '').trim())
			.filter((text) => text !== '');
	});
}

/** Strings on screen that are messages of `other` language and not of `lang`: untranslated. */
async function foreign(page: Page, lang: Lang): Promise<{ own: number; foreign: string[] }> {
	const other: Lang = lang === 'en' ? 'fr' : 'en';
	const strings = await visibleStrings(page);
	let own = 0;
	const left: string[] = [];
	for (const text of strings) {
		const matches = distinct.filter((m) => m[other].test(text) && !m[lang].test(text));
		if (matches.length > 0) left.push(`${text} (${matches.map((m) => m.key).join(', ')})`);
		if (distinct.some((m) => m[lang].test(text))) own++;
	}
	return { own, foreign: left };
}

const normalise = (text: string) => text.replace(/\s+/gu, ' ');

describe('French and English', () => {
	storySteps();
	const staged = stage();
	let someone: Person;
	let roundUrl = '';
	let bucketUrl = '';

	beforeAll(async () => {
		someone = await person(staged.browser, { locale: 'en-GB' });
	});

	it('an English browser gets every string in English and amounts as €12.50', async () => {
		const { page } = someone;
		await createRound(page, staged.server.url, { name: 'Zoé et Kofi', facilitator: 'Zoé', allocation: '12,50', approval: true });
		roundUrl = page.url();
		await proposeBucket(page, { title: 'Four à pain', items: [{ label: 'Briques', min: '7.5', max: '10' }] });
		bucketUrl = page.url();
		await page.goto(roundUrl);
		await page.getByText('€12.50 left of €12.50').waitFor();
		expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
		for (const url of [staged.server.url, roundUrl, bucketUrl, `${roundUrl}/admin`, `${roundUrl}/live`]) {
			await page.goto(url);
			await page.getByText(/€\d/).filter({ visible: true }).first().or(page.getByText('My rounds')).waitFor();
			const check = await foreign(page, 'en');
			expect(check.foreign, url).toEqual([]);
			expect(check.own, `English strings seen on ${url}`).toBeGreaterThan(8);
		}
		await page.goto(bucketUrl);
		await page.getByText('€7.50', { exact: true }).first().waitFor();
	});

	it('switching to Français changes every visible string, the page language and the money format', async () => {
		const { page } = someone;
		await page.goto(roundUrl);
		await page.getByText('€12.50 left of €12.50').waitFor();
		await page.getByRole('button', { name: 'Français' }).click();
		await page.getByRole('heading', { name: 'Mon porte-monnaie' }).waitFor();
		expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
		expect(normalise(await page.locator('body').innerText())).toContain('12,50 € restants sur 12,50 €');
		const check = await foreign(page, 'fr');
		expect(check.foreign).toEqual([]);
		expect(check.own).toBeGreaterThan(8);

		await page.goto(bucketUrl);
		await page.getByRole('heading', { name: 'Four à pain' }).waitFor();
		expect(normalise(await page.locator('main').innerText())).toContain('7,50 €');
		const bucket = await foreign(page, 'fr');
		expect(bucket.foreign).toEqual([]);
		await screenshot(page, 'bucket-fr');

		await page.goto(`${roundUrl}/admin`);
		await page.getByRole('heading', { name: 'Animation', exact: true }).waitFor();
		const admin = await foreign(page, 'fr');
		expect(admin.foreign).toEqual([]);
		expect(admin.own).toBeGreaterThan(20);

		await page.goto(`${roundUrl}/live`);
		await page.getByText('Cagnotte totale').waitFor();
		const live = await foreign(page, 'fr');
		expect(live.foreign).toEqual([]);
		expect(normalise(await page.locator('dl').first().innerText())).toContain('12,50 €');
	});

	it('the choice is remembered after a reload, and switching back to English restores it all', async () => {
		const { page } = someone;
		await page.goto(roundUrl);
		await page.getByRole('heading', { name: 'Mon porte-monnaie' }).waitFor();
		await page.getByRole('button', { name: 'English' }).click();
		await page.getByRole('heading', { name: 'My wallet' }).waitFor();
		expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
		expect(normalise(await page.locator('body').innerText())).toContain('€12.50 left of €12.50');
		expect((await foreign(page, 'en')).foreign).toEqual([]);
	});

	it('a French browser starts in French', async () => {
		const french = await person(staged.browser, { locale: 'fr-FR' });
		await french.page.goto(staged.server.url);
		await french.page.getByRole('heading', { name: 'Créer un tour' }).waitFor();
		expect(await french.page.evaluate(() => document.documentElement.lang)).toBe('fr');
		const check = await foreign(french.page, 'fr');
		expect(check.foreign).toEqual([]);
		expect(check.own).toBeGreaterThan(5);
		await french.context.close();
	});
});
