// The review flow (DESIGN §12) as people live it: a facilitator defines a tag and a guideline, an
// owner tags a bucket, the list filters by tag, a member flags the bucket citing the guideline, the
// facilitator resolves the flag, and the owner finds both in the notifications, with their count.
import { copyFileSync, mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { person, screenshot, stage, storySteps, type Person } from './harness';
import { inviteLink } from './server-api';
import { createRound, joinRound, proposeBucket, publish, type Created } from './steps';

const GARDEN = 'Community garden';
const BIKES = 'Bike repair corner';

describe('tags, guidelines, flags and notifications', () => {
	storySteps();
	const staged = stage();
	let facilitator: Person;
	let alice: Person;
	let bob: Person;
	let round: Created;
	let gardenUrl = '';

	beforeAll(async () => {
		facilitator = await person(staged.browser);
		alice = await person(staged.browser);
		bob = await person(staged.browser);
	});

	it('§12 a facilitator defines a tag and a guideline in the admin page', async () => {
		const { page } = facilitator;
		round = await createRound(page, staged.server.url, { name: 'Village fund', facilitator: 'Fatou', allocation: '100', approval: false });
		await page.goto(`${staged.server.url}/r/${round.roundId}/admin`);
		await page.getByLabel('Tag name').fill('Gardening');
		await page.getByLabel('Colour').selectOption('green');
		await page.getByRole('button', { name: 'Add the tag' }).click();
		await page.getByRole('listitem').filter({ hasText: /^Gardening$/ }).waitFor();
		await page.getByLabel('Guideline (short)').fill('Spent in the village');
		await page.getByRole('button', { name: 'Add the guideline' }).click();
		await page.getByText('Spent in the village', { exact: true }).waitFor();
	});

	it('§12 an owner tags one of two buckets, and the round page filters by that tag', async () => {
		const link = await inviteLink(staged.server.url, round.roundId, round.token);
		await joinRound(alice.page, link, 'Alice');
		await joinRound(bob.page, link, 'Bob');
		const { page } = alice;
		await proposeBucket(page, { title: BIKES, items: [{ label: 'Tools', min: '30' }] });
		await page.goto(`${staged.server.url}/r/${round.roundId}`);
		await proposeBucket(page, { title: GARDEN, summary: 'Raised beds behind the school', items: [{ label: 'Seeds', min: '40' }] });
		await publish(page, 'Open for funding');
		gardenUrl = page.url();
		await page.getByRole('button', { name: 'Tags of this bucket' }).click();
		await page.getByLabel('Gardening').check();
		await page.getByRole('button', { name: 'Save tags' }).click();
		await page.locator('.tag', { hasText: 'Gardening' }).waitFor();

		await page.goto(`${staged.server.url}/r/${round.roundId}`);
		await page.getByRole('heading', { name: BIKES }).waitFor();
		await page.getByLabel('Tag', { exact: true }).selectOption({ label: 'Gardening' });
		await page.getByRole('heading', { name: BIKES }).waitFor({ state: 'detached' });
		await expect.poll(() => page.getByRole('heading', { name: GARDEN }).count()).toBe(1);
	});

	it('§12 a member flags the bucket citing the guideline; the card and the page say so', async () => {
		const { page } = bob;
		await page.goto(gardenUrl);
		await page.getByRole('button', { name: 'Flag this bucket' }).click();
		await page.getByLabel('Guideline').selectOption({ label: 'Spent in the village' });
		await page.getByLabel('Why').fill('The seeds come from a shop in the city.');
		await page.getByRole('button', { name: 'Raise the flag' }).click();
		await page.getByText('1 open flag: Spent in the village').waitFor();

		await alice.page.goto(gardenUrl);
		await alice.page.getByText('1 open flag: Spent in the village').waitFor();
		const picture = await screenshot(alice.page, 'bucket-tags');
		mkdirSync('docs/screenshots', { recursive: true });
		copyFileSync(picture, 'docs/screenshots/bucket-tags.png');
		await alice.page.goto(`${staged.server.url}/r/${round.roundId}`);
		await alice.page.locator('.bucket', { hasText: GARDEN }).getByText('1 open flag: Spent in the village').waitFor();
	});

	it('§12 the facilitator resolves the flag with a note', async () => {
		const { page } = facilitator;
		await page.goto(`${staged.server.url}/r/${round.roundId}/admin`);
		await page.getByText(`“${GARDEN}” · Spent in the village`).waitFor();
		await page.getByLabel('Note for the bucket’s creators').fill('The shop is the village cooperative.');
		await page.getByRole('button', { name: 'Resolve' }).click();
		await page.getByText('No open flag.').waitFor();
	});

	it('§12 the owner finds the flag and its resolution in the notifications, with the unread count', async () => {
		const { page } = alice;
		await page.goto(gardenUrl);
		await page.getByText('1 open flag').waitFor({ state: 'detached' });
		// Her money on joining, the flag and its resolution.
		const bell = page.getByRole('button', { name: 'Notifications, 3 unread' });
		await bell.waitFor();
		await bell.click();
		const panel = page.getByRole('region', { name: 'Notifications' });
		await panel.getByText(`A flag was raised on your bucket “${GARDEN}”.`).waitFor();
		await panel.getByText(`A flag on “${GARDEN}” was resolved.`).waitFor();
		await panel.getByRole('button', { name: 'Mark all as read' }).click();
		await page.getByRole('button', { name: /Notifications, 0 unread/ }).waitFor();
		await page.reload();
		await page.getByRole('button', { name: /Notifications, 0 unread/ }).waitFor();
	});
});
