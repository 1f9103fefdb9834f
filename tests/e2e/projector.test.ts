// The projector in a hall with a big round: 200 open buckets and a long feed, on a 1920×1080 and a
// 1280×720 beamer. Everything must fit the screen, the join QR code above all.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { bigRound, commands, type BigRound } from './big-round';
import { person, screenshot, stage, storySteps, type Person } from './harness';
import { createRound, type Created } from './steps';

/** The QR code's box, and whether its four corners and centre are the QR code itself on screen (not clipped or covered). */
async function qrOnScreen(page: Page): Promise<{ inside: boolean; visible: boolean }> {
	return page.evaluate(() => {
		const qr = document.querySelector('svg.qr');
		if (!qr) return { inside: false, visible: false };
		const box = qr.getBoundingClientRect();
		const inside = box.width > 0 && box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth;
		const points = [
			[box.left + 2, box.top + 2],
			[box.right - 2, box.top + 2],
			[box.left + 2, box.bottom - 2],
			[box.right - 2, box.bottom - 2],
			[box.left + box.width / 2, box.top + box.height / 2]
		] as const;
		const visible = points.every(([x, y]) => {
			const hit = document.elementFromPoint(x, y);
			return hit !== null && (hit === qr || qr.contains(hit));
		});
		return { inside, visible };
	});
}

/** Elements of the projector that reach past the bottom or the right of the screen. */
async function overflowing(page: Page): Promise<string[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll('.live header, .live h2, .live h3, .live figure, .live [role=progressbar], .invite > *')]
			.filter((element) => {
				const box = element.getBoundingClientRect();
				return box.bottom > innerHeight + 0.5 || box.right > innerWidth + 0.5;
			})
			.map((element) => `${element.tagName.toLowerCase()} ${element.textContent?.slice(0, 40) ?? ''}`)
	);
}

describe('the projector in a hall, with a big round', () => {
	storySteps();
	// The fixture creates its 200 buckets as one member: the budget of new buckets per member is raised for it.
	const staged = stage({ env: () => ({ BUCKETS_PER_MINUTE: '1000/1000' }) });
	let facilitator: Person;
	let created: Created;
	let big: BigRound;

	beforeAll(async () => {
		facilitator = await person(staged.browser);
	});

	it('a round with 200 open buckets, 20 gifts and a cancelled bucket whose gift went back', async () => {
		created = await createRound(facilitator.page, staged.server.url, { name: 'Annual meeting', facilitator: 'Fatou', allocation: '500', approval: false });
		big = await bigRound(staged.server.url, created, { count: 200, gifts: 20 });
		await commands(staged.server.url, created, [{ type: 'cancel', bucketId: big.lastGift }]);
	});

	for (const [width, height] of [
		[1920, 1080],
		[1280, 720]
	] as const) {
		it(`fits ${width}×${height}: the QR code whole, the best-funded buckets in full, the rest paged`, async () => {
			const { page } = facilitator;
			await page.setViewportSize({ width, height });
			await page.goto(`${staged.server.url}/r/${created.roundId}/live`);
			await page.getByRole('heading', { name: 'Annual meeting' }).waitFor();
			await page.getByRole('img', { name: 'QR code to join the round' }).waitFor();
			await expect.poll(() => page.locator('.feed li').count()).toBe(12);
			expect(await qrOnScreen(page)).toEqual({ inside: true, visible: true });
			expect(await overflowing(page)).toEqual([]);

			await page.getByRole('heading', { name: 'Best-funded buckets' }).waitFor();
			await page.getByRole('heading', { name: /^Other buckets \(194\)/ }).waitFor();
			expect(await page.locator('.buckets > ul > li').count()).toBe(5);
			expect(await page.locator('.rest li').count()).toBe(6);
			// The chart draws the same five buckets, not 199 unreadable bars.
			expect(await page.locator('table').first().locator('tbody tr').count()).toBe(5);
			if (width === 1920) {
				// A hall screen shows none of the facilitator's own notices.
				expect(await page.getByRole('button', { name: 'Dismiss' }).count()).toBe(0);
				const celebration = page.getByRole('button', { name: 'Close', exact: true });
				if ((await celebration.count()) > 0) await celebration.click();
				await screenshot(page, 'projector-hall');
			}
		});
	}

	it('marks the gift whose bucket was cancelled as refunded', async () => {
		const { page } = facilitator;
		const refunded = page.locator('.feed li').filter({ hasText: `into “${big.titles[big.bucketIds.indexOf(big.lastGift)]}”` });
		await refunded.waitFor();
		expect(await refunded.innerText()).toContain('refunded');
		expect(await page.locator('.feed li').filter({ hasText: 'refunded' }).count()).toBe(1);
	});
});
