// Issue 10 §3: pages that never contradict themselves. A member whose access was revoked, a closed
// round's bucket page, a gift made offline, and an invitation opened offline after a first visit.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { person, serviceWorkerReady, stage, storySteps, type Person } from './harness';
import { bucketIn, exportJson, inviteLink, memberIn } from './server-api';
import { bucketUrl, createRound, fund, joinRound, openFunding, proposeBucket, publish, syncIndicator, type Created } from './steps';

const BIKES = 'Cargo bikes';

describe('revoked, closed, offline', () => {
	storySteps();
	const staged = stage();
	let facilitator: Person;
	let carol: Person;
	let dan: Person;
	let round: Created;
	let link: string;
	let carolId: string;
	let bikes: string;
	const roundUrl = () => `${staged.server.url}/r/${round.roundId}`;

	async function visitOnline(page: Page, url: string): Promise<void> {
		await page.goto(url);
		await serviceWorkerReady(page);
		await syncIndicator(page).getByText('Online').waitFor();
	}

	beforeAll(async () => {
		facilitator = await person(staged.browser);
		carol = await person(staged.browser);
		dan = await person(staged.browser);
	});

	it('a round is open for funding with one bucket; Carol and Dan joined', async () => {
		round = await createRound(facilitator.page, staged.server.url, { name: 'Workshop', facilitator: 'Fatou', allocation: '100', approval: false });
		link = await inviteLink(staged.server.url, round.roundId, round.token);
		carolId = (await joinRound(carol.page, link, 'Carol')).memberId;
		await joinRound(dan.page, link, 'Dan');
		await facilitator.page.goto(roundUrl());
		bikes = await proposeBucket(facilitator.page, { title: BIKES, items: [{ label: 'Two bikes', min: '50', max: '80' }] });
		await publish(facilitator.page, 'Open for funding');
		await openFunding(facilitator.page, staged.server.url, round.roundId);
	});

	it('§8 offline, one view: a gift waiting is listed as waiting; no “You gave” or “Take back” beside “Collected €0.00”', async () => {
		const { page, context } = carol;
		await visitOnline(page, bucketUrl(staged.server.url, round.roundId, bikes));
		await context.setOffline(true);
		await syncIndicator(page).getByText('Offline').waitFor();
		await fund(page, '20');
		await page.getByRole('heading', { name: 'Waiting for the server (not counted above)' }).waitFor();
		await page.getByText('give €20.00 to “Cargo bikes”').waitFor();
		await page.getByText('Nobody has funded it yet.').waitFor();
		expect(await page.getByRole('definition').filter({ hasText: '€0.00' }).count()).toBe(1);
		expect(await page.getByText(/You gave/).count()).toBe(0);
		expect(await page.getByRole('button', { name: /Take back/ }).count()).toBe(0);
	});

	it('§5 revoked while offline: back online, Carol sees a plain revoked page; the gift is said never to be accepted', async () => {
		const revoked = await fetch(`${staged.server.url}/api/rounds/${round.roundId}/members/${carolId}`, {
			method: 'DELETE',
			headers: { authorization: `Bearer ${round.token}` }
		});
		expect(revoked.status).toBe(200);
		const { page, context } = carol;
		await context.setOffline(false);
		await page.getByRole('heading', { name: 'Your access to this round was revoked' }).waitFor();
		await page.getByText('give €20.00 to “Cargo bikes”').waitFor();
		await page.getByText(/Never accepted, and it will not be/).waitFor();
		const exported = await exportJson(staged.server.url, round.roundId, round.token);
		expect(memberIn(exported, 'Carol').spent).toBe(0);
		expect(bucketIn(exported, BIKES).total).toBe(0);
	});

	it('§5 after a reload offline the round is still marked revoked: no Give, Propose, Take back or comment; My rounds marks it and removes it', async () => {
		const { page, context } = carol;
		await context.setOffline(true);
		await page.goto(bucketUrl(staged.server.url, round.roundId, bikes));
		await page.getByRole('heading', { name: 'Your access to this round was revoked' }).waitFor();
		for (const name of ['Give', 'Take back', 'Propose a bucket', 'Post the comment']) {
			expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
			expect(await page.getByRole('link', { name, exact: true }).count(), name).toBe(0);
		}
		expect(await page.getByText(/You gave|Waiting to be confirmed|changes? waiting/).count()).toBe(0);
		await page.goto(staged.server.url);
		const entry = page.getByRole('listitem').filter({ hasText: 'Workshop' });
		await entry.getByText('Access revoked').waitFor();
		await entry.getByRole('button', { name: 'Remove from my rounds' }).click();
		await page.getByText('You have not joined any round on this device yet', { exact: false }).waitFor();
		await context.setOffline(false);
	});

	it('§12 closed round: the bucket page offers no “Cancel this bucket” and says what happened', async () => {
		await dan.page.goto(bucketUrl(staged.server.url, round.roundId, bikes));
		await fund(dan.page, '50');
		await dan.page.getByText('Funded', { exact: true }).first().waitFor();
		const admin = facilitator.page;
		await admin.goto(`${roundUrl()}/admin`);
		await admin.getByRole('button', { name: 'Close the round…' }).click();
		await admin.getByRole('button', { name: 'Close the round', exact: true }).click();
		await admin.getByText('The round is in the Closed phase.').waitFor();
		await admin.goto(bucketUrl(staged.server.url, round.roundId, bikes));
		await admin.getByText('It reached its goal before the round closed: its money stays in it.').waitFor();
		await admin.getByText('The round is closed: no more money moves.').waitFor();
		await admin.getByRole('button', { name: 'Mark as paid' }).waitFor();
		expect(await admin.getByRole('button', { name: 'Cancel this bucket' }).count()).toBe(0);
		expect(await admin.getByText(/can still receive money|not open .* right now/).count()).toBe(0);
	});

	it('§8 an invitation link opened offline right after a first visit shows the join page, saying joining needs a connection', async () => {
		const eve = await person(staged.browser);
		await eve.page.goto(staged.server.url);
		await serviceWorkerReady(eve.page);
		await eve.context.setOffline(true);
		const shell = await eve.page.goto(link);
		expect(shell?.fromServiceWorker(), 'the page came from the service worker').toBe(true);
		await eve.page.getByRole('heading', { name: 'Join a round' }).waitFor();
		await eve.page.getByText('You are offline. Joining needs the server').waitFor();
		expect(await eve.page.getByText(/Failed to fetch/).count()).toBe(0);
		await eve.context.close();
	});
});
