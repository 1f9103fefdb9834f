// DESIGN §3 and §8 offline: the round opens without network after one visit (service worker +
// IndexedDB), fundings made offline wait as pending, and the server sequences them on return.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { person, screenshot, serviceWorkerReady, stage, storySteps, type Person } from './harness';
import { bucketIn, exportJson, inviteLink, memberIn } from './server-api';
import { bucketUrl, createRound, fund, joinRound, openFunding, proposeBucket, publish, syncIndicator, type Created } from './steps';

const TOOLS = 'Tool library';
const COMPOST = 'Compost bins';
const MURAL = 'Mural';

describe('offline and back', () => {
	const story = storySteps();
	const staged = stage();
	let facilitator: Person;
	let alice: Person;
	let bob: Person;
	let round: Created;
	const ids: Record<string, string> = {};
	const urlOf = (title: string) => bucketUrl(staged.server.url, round.roundId, ids[title] as string);
	const roundUrl = () => `${staged.server.url}/r/${round.roundId}`;

	/** Loads a page online and waits until the service worker controls it and the round is in sync. */
	async function visitOnline(page: Page, url: string): Promise<void> {
		await page.goto(url);
		await serviceWorkerReady(page);
		await syncIndicator(page).getByText('Online').waitFor();
	}

	beforeAll(async () => {
		facilitator = await person(staged.browser);
		alice = await person(staged.browser);
		bob = await person(staged.browser);
	});

	it('a round is open for funding with three buckets', async () => {
		round = await createRound(facilitator.page, staged.server.url, { name: 'Allotment', facilitator: 'Fatou', allocation: '100', approval: false });
		const link = await inviteLink(staged.server.url, round.roundId, round.token);
		await joinRound(alice.page, link, 'Alice');
		await joinRound(bob.page, link, 'Bob');
		for (const [title, min, max] of [[TOOLS, '60', '80'], [COMPOST, '40', undefined], [MURAL, '50', undefined]] as const) {
			await facilitator.page.goto(roundUrl());
			ids[title] = await proposeBucket(facilitator.page, { title, items: [{ label: 'All of it', min, max }] });
			await publish(facilitator.page, 'Open for funding');
		}
		await openFunding(facilitator.page, staged.server.url, round.roundId);
		const exported = await exportJson(staged.server.url, round.roundId, round.token);
		expect(exported.buckets.map((b) => [b.title, b.status])).toEqual([
			[TOOLS, 'open'],
			[COMPOST, 'open'],
			[MURAL, 'open']
		]);
	});

	it('B goes offline and reloads: the round opens from the service worker and IndexedDB', async () => {
		const { page, context } = bob;
		await visitOnline(page, roundUrl());
		await page.getByRole('link', { name: MURAL }).waitFor();
		await context.setOffline(true);
		const shell = await page.reload();
		expect(shell?.fromServiceWorker(), 'the page came from the service worker').toBe(true);
		await syncIndicator(page).getByText('Offline').waitFor();
		await page.getByText('Allotment').first().waitFor();
		for (const title of [TOOLS, COMPOST, MURAL]) await page.getByRole('link', { name: title }).waitFor();
		await page.getByText('€100.00 left of €100.00').waitFor();
		expect(await page.evaluate(() => navigator.onLine)).toBe(false);
	});

	it('B funds two buckets offline: both are shown as pending, nothing reached the server', async () => {
		const { page } = bob;
		await page.goto(urlOf(TOOLS));
		await fund(page, '10');
		await page.goto(urlOf(COMPOST));
		await fund(page, '15');
		await page.goto(roundUrl());
		await syncIndicator(page).getByText('2 changes waiting').waitFor();
		await syncIndicator(page).getByText('Offline').waitFor();
		await page.getByText('give €10.00 to “Tool library”').waitFor();
		await page.getByText('give €15.00 to “Compost bins”').waitFor();
		await screenshot(page, 'offline-pending');
		const exported = await exportJson(staged.server.url, round.roundId, round.token);
		expect(memberIn(exported, 'Bob').spent).toBe(0);
	});

	story.check('§3 while offline, the same reducer previews the wallet once the pending fundings are accepted; cards show only confirmed money', async () => {
		const { page } = bob;
		await page.getByText('Once confirmed: €75.00 left').waitFor({ timeout: 2000 });
		const card = page.getByRole('article').filter({ hasText: TOOLS });
		await card.getByText('€0.00').first().waitFor({ timeout: 2000 });
		expect(await card.getByText(/You gave/).count()).toBe(0);
	});

	it('B comes back online: receipts arrive, pending clears, and the totals match the server', async () => {
		const { page, context } = bob;
		await context.setOffline(false);
		await page.getByText('You put €10.00 into “Tool library”.').waitFor();
		await page.getByText('You put €15.00 into “Compost bins”.').waitFor();
		await syncIndicator(page).getByText('Online').waitFor();
		expect(await syncIndicator(page).getByText(/waiting/).count()).toBe(0);
		await page.getByText('€75.00 left of €100.00').waitFor();
		expect(await page.getByText('Waiting to be confirmed').count()).toBe(0);

		const exported = await exportJson(staged.server.url, round.roundId, round.token);
		expect(memberIn(exported, 'Bob').spent).toBe(2500);
		expect(bucketIn(exported, TOOLS).total).toBe(1000);
		expect(bucketIn(exported, COMPOST).total).toBe(1500);
		for (const title of [TOOLS, COMPOST]) {
			const shown = await page.getByRole('progressbar', { name: `Funding of ${title}` }).getAttribute('aria-valuenow');
			expect(Number(shown), title).toBe(bucketIn(exported, title).total);
		}
	});

	it('A and B, both offline, overfund the same bucket: after reconnecting one is told of a partial acceptance and the total is the maxGoal', async () => {
		const people = [alice, bob];
		for (const { page } of people) await visitOnline(page, urlOf(MURAL));
		for (const { context } of people) await context.setOffline(true);
		for (const { page } of people) {
			await syncIndicator(page).getByText('Offline').waitFor();
			await fund(page, '30');
			await syncIndicator(page).getByText('1 change waiting').waitFor();
		}
		expect(bucketIn(await exportJson(staged.server.url, round.roundId, round.token), MURAL).total).toBe(0);
		await Promise.all(people.map(({ context }) => context.setOffline(false)));

		const partial = /^€20\.00 of your €30\.00 were accepted for “Mural”: the bucket filled up( \(sent while you were offline\))?\.$/;
		const told = await Promise.all(
			people.map(async ({ page }) => {
				const notice = page.getByText(partial).or(page.getByText('You put €30.00 into “Mural”.'));
				await notice.waitFor();
				return partial.test(await notice.innerText());
			})
		);
		expect(told.filter(Boolean)).toHaveLength(1);

		const exported = await exportJson(staged.server.url, round.roundId, round.token);
		expect(bucketIn(exported, MURAL)).toMatchObject({ total: 5000, maxGoal: 5000, status: 'funded' });
		expect(memberIn(exported, 'Alice').spent + memberIn(exported, 'Bob').spent).toBe(2500 + 5000);
		for (const { page } of people) {
			await page.getByRole('progressbar', { name: `Funding of ${MURAL}` }).and(page.locator('[aria-valuenow="5000"]')).waitFor();
			await syncIndicator(page).getByText('Online').waitFor();
		}
		await screenshot(people[told.indexOf(true)]?.page as Page, 'offline-partial');
	});
});
