// The projector view in the meeting room: big figures, every bucket's bar, a live feed and two
// chart.js charts that redraw when someone contributes.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { person, screenshot, stage, storySteps, type Person } from './harness';
import { bucketIn, exportJson, inviteLink } from './server-api';
import { celebrationSeen, createRound, fund, joinRound, openFunding, proposeBucket, publish, type Created } from './steps';

const OVEN = 'Bread oven';
const BIKES = 'Cargo bikes';

/** Per chart canvas: how many pixels are drawn, and a checksum of them (to see a redraw). */
async function canvases(page: Page): Promise<{ label: string; painted: number; checksum: number }[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll('[role=img] > canvas')].map((element) => {
			const canvas = element as HTMLCanvasElement;
			const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
			let painted = 0;
			let checksum = 0;
			for (let i = 0; i < pixels.length; i += 4) {
				if ((pixels[i + 3] as number) === 0) continue;
				painted++;
				checksum = (checksum * 31 + (pixels[i] as number) * 7 + (pixels[i + 1] as number) * 3 + (pixels[i + 2] as number) + i) % 2_147_483_647;
			}
			return { label: canvas.parentElement?.getAttribute('aria-label') ?? '', painted, checksum };
		})
	);
}

/** The figure next to a label in the projector's header (“Money placed” → “€10.00”). */
function figure(page: Page, label: string) {
	return page.locator('dl.totals > div').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');
}

describe('the projector view', () => {
	storySteps();
	const staged = stage();
	let facilitator: Person;
	let projector: Person;
	let member: Person;
	let round: Created;
	let ovenUrl = '';

	beforeAll(async () => {
		facilitator = await person(staged.browser);
		member = await person(staged.browser);
	});

	it('shows the round’s figures, every open bucket and the invite QR code', async () => {
		round = await createRound(facilitator.page, staged.server.url, { name: 'Village hall', facilitator: 'Fatou', allocation: '40', approval: false });
		await joinRound(member.page, await inviteLink(staged.server.url, round.roundId, round.token), 'Malik');
		for (const [someone, title, min] of [[facilitator, OVEN, '30'], [member, BIKES, '20']] as const) {
			await proposeBucket(someone.page, { title, items: [{ label: 'Everything', min, max: '60' }] });
			if (title === OVEN) ovenUrl = someone.page.url();
			await publish(someone.page, 'Open for funding');
		}
		await openFunding(facilitator.page, staged.server.url, round.roundId);

		// The projector is the facilitator's laptop on a 1280×720 beamer, in a second window.
		projector = { context: facilitator.context, page: await facilitator.context.newPage(), dialogs: facilitator.dialogs };
		const { page } = projector;
		await page.setViewportSize({ width: 1280, height: 720 });
		await page.goto(staged.server.url + `/r/${round.roundId}`);
		await page.getByRole('link', { name: 'Projector view' }).click();
		await page.waitForURL(`**/r/${round.roundId}/live`);
		await page.getByRole('heading', { name: 'Village hall' }).waitFor();
		expect(await figure(page, 'Total pool').innerText()).toBe('€80.00');
		expect(await figure(page, 'Money placed').innerText()).toBe('€0.00');
		expect(await figure(page, 'Money left').innerText()).toBe('€80.00');
		expect(await figure(page, 'Funded buckets').innerText()).toBe('0');
		for (const title of [OVEN, BIKES]) await page.getByRole('progressbar', { name: title }).waitFor();
		await page.getByRole('img', { name: 'QR code to join the round' }).waitFor();
	});

	it('draws its two charts with chart.js', async () => {
		const { page } = projector;
		await page.waitForFunction(() => document.querySelectorAll('[role=img] > canvas').length === 2);
		await expect.poll(async () => (await canvases(page)).map((c) => c.painted > 500)).toEqual([true, true]);
		expect(await page.getByText('Loading the charts…').count()).toBe(0);
		expect(await page.getByText('The charts could not be loaded; the figures are still shown here.').count()).toBe(0);
		await screenshot(page, 'live-before');
	});

	it('updates figures, bars, feed and charts when someone contributes', async () => {
		const { page } = projector;
		const before = await canvases(page);
		await member.page.goto(ovenUrl);
		await fund(member.page, '25');
		await page.getByText('Malik put €25.00 into “Bread oven”').waitFor();
		expect(await figure(page, 'Money placed').innerText()).toBe('€25.00');
		expect(await figure(page, 'Money left').innerText()).toBe('€55.00');
		expect(await page.getByRole('progressbar', { name: OVEN }).getAttribute('aria-valuenow')).toBe('2500');
		await expect.poll(async () => (await canvases(page)).map((c, i) => c.checksum !== before[i]?.checksum)).toEqual([true, true]);
		// The text alternative of the charts carries the same figures.
		const row = page.locator('table tr').filter({ has: page.getByRole('rowheader', { name: OVEN, includeHidden: true }) });
		expect(await row.locator('td').first().textContent()).toBe('€25.00');

		await fund(member.page, '15');
		await page.getByText('Funded!').waitFor();
		expect(await figure(page, 'Funded buckets').innerText()).toBe('1');
		await page.getByRole('progressbar', { name: OVEN }).and(page.locator('[aria-valuenow="4000"]')).waitFor();
		await celebrationSeen(page, OVEN, () => screenshot(page, 'live-celebration'));
		await screenshot(page, 'live');
		expect(facilitator.dialogs).toEqual([]);
		const exported = await exportJson(staged.server.url, round.roundId, round.token);
		expect(bucketIn(exported, OVEN)).toMatchObject({ status: 'funded', total: 4000 });
	});
});
