// Accessibility (issue: "touch targets ≥ 24 px; heading order fixed (axe clean, not just no serious
// issue)"): axe-core runs in the real page, on every kind of page a person opens, and the test
// asks for no violation at all, whatever its impact. The rules are axe's WCAG 2.0–2.2 A/AA sets
// plus its best practices (heading order, landmarks), with WCAG 2.2's target-size.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { person, screenshot, stage, storySteps, type Person } from './harness';
import { createRound, fund, noticesDismissed, openFunding, proposeBucket, publish, type Created } from './steps';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

interface Violation {
	id: string;
	impact: string | null;
	help: string;
	nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe's violations on the page as it is now, one line each (rule, impact, where, why). */
async function violations(page: Page): Promise<string[]> {
	// Evaluated through the DevTools protocol: the app's CSP (no inline scripts) rightly refuses a script tag.
	await page.evaluate(AXE_SOURCE);
	const found = await page.evaluate(async (tags) => {
		const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: unknown[] }> } }).axe;
		const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
		return result.violations;
	}, TAGS);
	return (found as Violation[]).flatMap((v) =>
		v.nodes.map((n) => `${v.id} (${v.impact ?? '?'}): ${JSON.stringify(n.target)} — ${n.failureSummary ?? v.help}`)
	);
}

describe('every page is axe clean', () => {
	const { check } = storySteps();
	const staged = stage();
	let fatou: Person;
	let round: Created;
	let bucketUrl = '';

	beforeAll(async () => {
		fatou = await person(staged.browser);
	});

	check('§a11y home: the wizard has no axe violation, and its summary names every choice', async () => {
		const { page } = fatou;
		await page.goto(staged.server.url);
		await page.getByLabel('Name of the round').fill('Assemblée 2026');
		expect(await violations(page)).toEqual([]);
		await page.getByLabel('Your name').fill('Fatou');
		await page.getByRole('button', { name: 'Next' }).click();
		await page.getByLabel('Money per member').fill('100');
		await page.getByRole('button', { name: 'Next' }).click();
		const summary = page.locator('dl.summary');
		await summary.waitFor();
		expect(await summary.locator('dt').allTextContents()).toEqual([
			'Name of the round',
			'Money per member',
			'Limit per member per bucket',
			'Currency',
			'Who funded what',
			'Approval'
		]);
		expect(await violations(page)).toEqual([]);
	});

	it('a round in funding with an open bucket that holds a gift', async () => {
		const { page } = fatou;
		round = await createRound(page, staged.server.url, { name: 'Assemblée 2026', facilitator: 'Fatou', allocation: '100', approval: false });
		await proposeBucket(page, { title: 'Bread oven', summary: 'A wood-fired oven', description: 'Bricks and **mortar**.', items: [{ label: 'Bricks', min: '80', max: '120' }] });
		bucketUrl = page.url();
		await publish(page, 'Open for funding');
		await openFunding(page, staged.server.url, round.roundId);
		await page.goto(bucketUrl);
		await fund(page, '20');
		await page.getByText('You gave €20.00.', { exact: false }).first().waitFor();
		await fund(page, '30');
		await page.getByText('You gave €50.00.', { exact: false }).first().waitFor();
		await page.getByRole('button', { name: 'Take back €50.00' }).click();
		await page.getByText('You gave €50.00.', { exact: false }).first().waitFor({ state: 'detached' });
		await fund(page, '25');
		await page.getByText('You gave €25.00.', { exact: false }).first().waitFor();
		await noticesDismissed(page);
	});

	check('§a11y round page: no axe violation', async () => {
		await fatou.page.goto(`${staged.server.url}/r/${round.roundId}`);
		await fatou.page.getByRole('link', { name: /Bread oven/ }).first().waitFor();
		expect(await violations(fatou.page)).toEqual([]);
	});

	check('§a11y bucket page: no axe violation', async () => {
		await fatou.page.goto(bucketUrl);
		await fatou.page.getByLabel('Amount', { exact: true }).waitFor();
		expect(await violations(fatou.page)).toEqual([]);
	});

	check('§a11y admin page: no axe violation', async () => {
		await fatou.page.goto(`${staged.server.url}/r/${round.roundId}/admin`);
		await fatou.page.getByText('The round is in the Funding phase.').waitFor();
		expect(await violations(fatou.page)).toEqual([]);
		// The section links name every panel and each leads to that panel's heading.
		const targets = await fatou.page
			.getByRole('navigation', { name: 'Sections of this page' })
			.getByRole('link')
			.evaluateAll((links) => links.map((link) => [link.textContent, document.getElementById((link as HTMLAnchorElement).hash.slice(1))?.textContent]));
		expect(targets.length).toBe(10);
		for (const [label, heading] of targets) expect(String(heading).startsWith(String(label)), `${label} → ${heading}`).toBe(true);
	});

	check('§my-money: reached from the wallet, each line with its answer and the balance after it, axe clean', async () => {
		const { page } = fatou;
		await page.goto(`${staged.server.url}/r/${round.roundId}`);
		await page.getByRole('link', { name: 'My money, line by line' }).click();
		await page.getByRole('heading', { name: 'My money', exact: true }).waitFor();
		const lines = page.getByRole('list').filter({ has: page.getByText('Money received') });
		await expect.poll(() => lines.locator('li').allInnerTexts()).toEqual([
			expect.stringMatching(/^Money received\s+€100\.00\s+Recorded by the server\s+€100\.00 left\s+\S/),
			expect.stringMatching(/^Contribution to “Bread oven”\s+-€20\.00\s+Accepted\s+€80\.00 left\s+\S/),
			expect.stringMatching(/^Contribution to “Bread oven”\s+-€30\.00\s+Accepted\s+€50\.00 left\s+\S/),
			expect.stringMatching(/^Taken back from “Bread oven”\s+€50\.00\s+Accepted\s+€100\.00 left\s+\S/),
			expect.stringMatching(/^Contribution to “Bread oven”\s+-€25\.00\s+Accepted\s+€75\.00 left\s+\S/)
		]);
		await expect.poll(() => page.getByRole('button', { name: /^Download / }).allInnerTexts()).toEqual([
			'Download my history (CSV)',
			'Download CSV',
			'Download JSON',
			'Download .pb'
		]);
		expect(await page.getByText('assemblée-2026-my-money.csv').count()).toBe(1);
		await screenshot(page, 'my-money');
		expect(await violations(page)).toEqual([]);
	});

	check('§a11y projector: no axe violation', async () => {
		await fatou.page.goto(`${staged.server.url}/r/${round.roundId}/live`);
		await fatou.page.getByText('Bread oven').first().waitFor();
		expect(await violations(fatou.page)).toEqual([]);
	});

	check('§a11y join page: no axe violation', async () => {
		const response = await fetch(`${staged.server.url}/api/rounds/${round.roundId}/invites`, {
			method: 'POST',
			headers: { authorization: `Bearer ${round.token}`, 'content-type': 'application/json' },
			body: '{}'
		});
		const { url } = (await response.json()) as { url: string };
		const guest = await person(staged.browser);
		await guest.page.goto(`${staged.server.url}${url}`);
		await guest.page.getByLabel('Your name').waitFor();
		expect(await violations(guest.page)).toEqual([]);
	});
});
