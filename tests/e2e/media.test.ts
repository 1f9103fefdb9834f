// §12 images and expenses as people use them: an owner adds a photo with its alt text, every member
// sees it on the card and the bucket page; once funded, the owner records an expense with a
// receipt, a facilitator approves it and marks it paid, and the bucket shows funded / spent / left.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { person, screenshot, stage, storySteps, type Person } from './harness';
import { exportJson, inviteLink } from './server-api';
import { celebrationSeen, createRound, fund, joinRound, noticesDismissed, openFunding, proposeBucket, publish, type Created } from './steps';

const GARDEN = 'Community garden';
const ALT = 'Raised beds with young lettuces';

/** A real photo-like JPEG (a gradient), made here, named as a phone would. */
async function photo(): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
	const width = 1200;
	const height = 800;
	const pixels = Buffer.alloc(width * height * 3);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const i = (y * width + x) * 3;
			pixels[i] = 60 + Math.round((x / width) * 80);
			pixels[i + 1] = 120 + Math.round((y / height) * 100);
			pixels[i + 2] = 60;
		}
	}
	const buffer = await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg().toBuffer();
	return { name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer };
}

describe('bucket images and expenses', () => {
	storySteps();
	const staged = stage();
	let facilitator: Person;
	let owner: Person;
	let round: Created;
	let gardenUrl = '';

	beforeAll(async () => {
		facilitator = await person(staged.browser);
		owner = await person(staged.browser);
	});

	it('§12 images: an owner adds an image with alt text; a bad file is refused with a clear sentence', async () => {
		round = await createRound(facilitator.page, staged.server.url, { name: 'Village hall', facilitator: 'Fatou', allocation: '40', approval: false });
		await joinRound(owner.page, await inviteLink(staged.server.url, round.roundId, round.token), 'Malik');
		const { page } = owner;
		await proposeBucket(page, { title: GARDEN, summary: 'Vegetables for the school canteen', items: [{ label: 'Seeds and soil', min: '30' }] });
		gardenUrl = page.url();
		await page.getByLabel(/^Image file/).setInputFiles({ name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a picture at all') });
		await page.getByRole('button', { name: 'Add the image' }).click();
		await page.getByRole('alert').filter({ hasText: 'This file is not an image.' }).waitFor();
		await page.getByLabel(/^Image file/).setInputFiles(await photo());
		await page.getByLabel('What the image shows, for people who cannot see it').fill(ALT);
		await page.getByRole('button', { name: 'Add the image' }).click();
		const image = page.getByRole('img', { name: ALT });
		await image.waitFor();
		expect(await image.getAttribute('srcset')).toMatch(/\/api\/blobs\/[0-9a-f]{64}\.webp 320w, .* 800w, .* 1200w$/);
		await publish(page, 'Open for funding');
	});

	it('§12 the bucket also carries a tag the facilitator defined (the README picture shows images, tags and expenses)', async () => {
		const admin = facilitator.page;
		await admin.goto(`${staged.server.url}/r/${round.roundId}/admin`);
		await admin.getByLabel('Tag name').fill('Gardening');
		await admin.getByLabel('Colour').selectOption('green');
		await admin.getByRole('button', { name: 'Add the tag' }).click();
		await admin.getByRole('listitem').filter({ hasText: /^Gardening$/ }).waitFor();
		const { page } = owner;
		await page.goto(gardenUrl);
		await page.getByRole('button', { name: 'Tags of this bucket' }).click();
		await page.getByLabel('Gardening').check();
		await page.getByRole('button', { name: 'Save tags' }).click();
		await page.locator('.tag', { hasText: 'Gardening' }).waitFor();
	});

	it('§12 images: the facilitator sees it on the card (small width, lazily loaded) and on the page', async () => {
		const { page } = facilitator;
		await page.goto(`${staged.server.url}/r/${round.roundId}`);
		const card = page.getByRole('article').filter({ hasText: GARDEN });
		const thumb = card.getByRole('img', { name: ALT });
		await thumb.waitFor();
		expect(await thumb.getAttribute('loading')).toBe('lazy');
		await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
		await page.goto(gardenUrl);
		await page.getByRole('img', { name: ALT }).waitFor();
	});

	it('§12 expenses: funded, the owner records an expense with a receipt; the facilitator approves it and marks it paid', async () => {
		await openFunding(facilitator.page, staged.server.url, round.roundId);
		const { page } = owner;
		await page.goto(gardenUrl);
		await fund(page, '30');
		await celebrationSeen(page, GARDEN);
		// Full, with no stretch goal: the page does not promise it can take more.
		await page.getByText('It reached its goal: the money is locked in, and it takes no more.').waitFor();
		await page.getByRole('heading', { name: 'Expenses' }).waitFor();
		await page.getByLabel('What was bought or paid').fill('Seeds from the cooperative');
		await page.getByLabel('Amount', { exact: true }).last().fill('12.50');
		await page.getByLabel('Receipt (an image, optional)').setInputFiles(await photo());
		await page.getByRole('button', { name: 'Record the expense' }).click();
		await page.getByText('awaiting approval', { exact: true }).waitFor();

		const admin = facilitator.page;
		await admin.goto(gardenUrl);
		const expense = admin.getByRole('listitem').filter({ hasText: 'Seeds from the cooperative' });
		await expense.getByRole('button', { name: 'Approve' }).click();
		await expense.getByRole('button', { name: 'Mark paid' }).click();
		await expense.getByText('paid', { exact: true }).waitFor();

		const totals = page.getByRole('region', { name: 'Expenses' });
		await totals.getByText('paid', { exact: true }).waitFor();
		await expect.poll(() => totals.locator('dl').innerText()).toMatch(/Funded\s+€30\.00\s+Spent\s+€12\.50\s+Left\s+€17\.50/);
		const exported = await exportJson(staged.server.url, round.roundId, round.token);
		const ledgerTypes = exported.ledger.filter((e) => e.type.startsWith('expense') || e.type === 'image').map((e) => e.type);
		expect(ledgerTypes).toEqual(['image', 'expense', 'expenseStatus', 'expenseStatus']);
		await noticesDismissed(page);
		await page.setViewportSize({ width: 1280, height: 1700 });
		await page.evaluate(() => window.scrollTo(0, 0));
		await screenshot(page, 'bucket-media');
	});
});
