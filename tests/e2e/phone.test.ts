// A member on a phone during funding: the bucket page starts with what they came for, the
// funding form, before the description, budget and comments.
import { beforeAll, describe, expect, it } from 'vitest';
import { person, screenshot, stage, storySteps, type Person } from './harness';
import { createRound, openFunding, proposeBucket, publish } from './steps';

const LONG = Array.from({ length: 12 }, (_, i) => `Paragraph ${i + 1}: the oven is built by volunteers on Saturdays, with bricks from the old barn.`).join('\n\n');

describe('the bucket page on a phone', () => {
	storySteps();
	const staged = stage();
	let member: Person;
	let bucketUrl = '';

	beforeAll(async () => {
		member = await person(staged.browser);
	});

	it('a bucket with a long description, open for funding', async () => {
		const round = await createRound(member.page, staged.server.url, { name: 'Village hall', facilitator: 'Fatou', allocation: '40', approval: false });
		await proposeBucket(member.page, { title: 'Bread oven', summary: 'A wood-fired oven for the village', description: LONG, items: [{ label: 'Bricks', min: '30', max: '60' }] });
		bucketUrl = member.page.url();
		await publish(member.page, 'Open for funding');
		await openFunding(member.page, staged.server.url, round.roundId);
	});

	it('on a 390×844 screen the funding form comes before the description, within the first screen', async () => {
		const { page } = member;
		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto(bucketUrl);
		const amount = page.getByLabel('Amount', { exact: true });
		await amount.waitFor();
		const form = await amount.boundingBox();
		const description = await page.getByRole('heading', { name: 'Description' }).boundingBox();
		expect(form && description && form.y < description.y).toBe(true);
		expect(form && form.y + form.height <= 844).toBe(true);
		await screenshot(page, 'bucket-phone');
	});
});
