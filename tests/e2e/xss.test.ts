// DESIGN §8: user text is rendered as text; Markdown links only for http, https and mailto.
// One member writes hostile content, another opens it: nothing runs in either browser.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { person, stage, storySteps, type Person } from './harness';
import { inviteLink } from './server-api';
import { createRound, joinRound, proposeBucket, publish, type Created } from './steps';

const IMG = '<img src=x onerror=alert(1)>';
const TITLE = `Picnic ${IMG}`;
const DESCRIPTION = [
	'Click [x](javascript:alert(1)) or [y](JAVASCRIPT:alert(2)) or [the plan](https://example.org/plan).',
	'',
	IMG,
	'',
	'<script>alert(3)</script>',
	'',
	'<a href="javascript:alert(4)">raw link</a>'
].join('\n');

/** What would betray a live payload: an element built from user text, a javascript: link. */
async function injected(page: Page) {
	return page.evaluate(() => ({
		images: document.querySelectorAll('img[src="x"], main img').length,
		scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent?.includes('alert')).length,
		javascriptLinks: [...document.querySelectorAll('a')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
		handlers: [...document.querySelectorAll('main *')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length
	}));
}

describe('hostile text stays text', () => {
	storySteps();
	const staged = stage();
	let author: Person;
	let reader: Person;
	let round: Created;
	let bucketPath = '';

	beforeAll(async () => {
		author = await person(staged.browser);
		reader = await person(staged.browser);
	});

	it('§8 a bucket title, description and comment with HTML and javascript: links are saved as written', async () => {
		round = await createRound(author.page, staged.server.url, { name: 'Neighbours', facilitator: 'Nadia', allocation: '50', approval: false });
		await proposeBucket(author.page, { title: TITLE, description: DESCRIPTION, items: [{ label: 'Food', min: '20' }] });
		bucketPath = new URL(author.page.url()).pathname;
		await publish(author.page, 'Open for funding');
		await author.page.getByLabel('Your comment').fill(`Nice ${IMG}`);
		await author.page.getByRole('button', { name: 'Post' }).click();
		await author.page.getByText(`Nice ${IMG}`, { exact: true }).waitFor();
		await author.page.getByRole('heading', { name: TITLE }).waitFor();
		expect(author.dialogs).toEqual([]);
		expect(await injected(author.page)).toEqual({ images: 0, scripts: 0, javascriptLinks: 0, handlers: 0 });
	});

	it('§8 another member sees them as inert text: no dialog, no script, no javascript: link', async () => {
		await joinRound(reader.page, await inviteLink(staged.server.url, round.roundId, round.token), 'Rémi');
		const { page } = reader;
		await page.getByRole('link', { name: TITLE }).waitFor();
		expect(await injected(page)).toEqual({ images: 0, scripts: 0, javascriptLinks: 0, handlers: 0 });

		await page.goto(staged.server.url + bucketPath);
		await page.getByRole('heading', { name: TITLE }).waitFor();
		await page.getByText(`Nice ${IMG}`, { exact: true }).waitFor();
		const safe = page.getByRole('link', { name: 'the plan' });
		expect(await safe.getAttribute('href')).toBe('https://example.org/plan');
		// The unsafe links keep their words, without becoming links.
		await page.getByText(/Click x or y or/).waitFor();
		expect(await page.getByRole('link', { name: 'x', exact: true }).count()).toBe(0);
		expect(await page.getByRole('link', { name: 'raw link' }).count()).toBe(0);
		expect(await injected(page)).toEqual({ images: 0, scripts: 0, javascriptLinks: 0, handlers: 0 });
		expect(reader.dialogs).toEqual([]);
		expect(author.dialogs).toEqual([]);
	});

	it('§8 the facilitator’s admin page and the projector view show the hostile title as text too', async () => {
		const { page } = author;
		for (const view of ['admin', 'live']) {
			await page.goto(`${staged.server.url}/r/${round.roundId}/${view}`);
			await page.getByText(TITLE, { exact: true }).first().waitFor();
			expect(await injected(page), view).toEqual({ images: 0, scripts: 0, javascriptLinks: 0, handlers: 0 });
		}
		expect(author.dialogs).toEqual([]);
	});
});
