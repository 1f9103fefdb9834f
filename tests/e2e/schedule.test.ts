// PROTOCOL §12: a facilitator imports money from a table (one bad line named in the preview),
// then schedules the end of funding a few seconds ahead; the projector counts down and the round
// closes by itself, with nobody touching anything.
import { beforeAll, describe, expect, it } from 'vitest';
import { person, screenshot, stage, storySteps, type Person } from './harness';
import { exportJson, inviteLink } from './server-api';
import { createRound, joinRound, localInput, openFunding, proposeBucket, publish, type Created } from './steps';

describe('the round’s schedule and an allocation import', () => {
	storySteps();
	const staged = stage();
	let facilitator: Person;
	let member: Person;
	let round: Created;
	let malik = '';

	beforeAll(async () => {
		facilitator = await person(staged.browser);
		member = await person(staged.browser);
	});

	it('§12 import: the preview names the bad line; the good one is given through the ledger', async () => {
		round = await createRound(facilitator.page, staged.server.url, { name: 'Festival 2026', facilitator: 'Fatou', allocation: '40', approval: false });
		malik = (await joinRound(member.page, await inviteLink(staged.server.url, round.roundId, round.token), 'Malik')).memberId;
		await proposeBucket(member.page, { title: 'Stage lights', items: [{ label: 'Lights', min: '500' }] });
		await publish(member.page, 'Open for funding');
		await openFunding(facilitator.page, staged.server.url, round.roundId);

		const { page } = facilitator;
		await page.getByRole('textbox', { name: 'Table' }).fill('name;amount\nMalik;12,50\nNobody;5\n');
		await page.getByRole('button', { name: 'Preview' }).click();
		const preview = page.getByRole('region', { name: 'Preview' });
		await preview.getByText('1 line will not be imported:').waitFor();
		await preview.getByText('Line 3 · “Nobody”: no member has this name or id').waitFor();
		await page.getByRole('button', { name: 'Give the money of 1 line' }).click();
		await expect.poll(async () => (await exportJson(staged.server.url, round.roundId, round.token)).members.find((m) => m.id === malik)?.allocated).toBe(5_250);
		const ledger = (await exportJson(staged.server.url, round.roundId, round.token)).ledger;
		expect(ledger.filter((e) => e.type === 'allocate' && e.memberId === malik).map((e) => e.amount)).toEqual([4_000, 1_250]);
	});

	it('§12 schedule: funding closes by itself at its time, and the projector counts down to it', async () => {
		const { page } = facilitator;
		const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
		const closesAt = Date.now() + 15_000;
		await page.getByLabel('Funding closes').fill(localInput(closesAt, zone));
		await page.getByRole('button', { name: 'Save the dates' }).click();

		const projector = await facilitator.context.newPage();
		await projector.setViewportSize({ width: 1280, height: 720 });
		await projector.goto(`${staged.server.url}/r/${round.roundId}/live`);
		const timer = projector.getByRole('timer', { name: /^Funding closes in/ });
		await timer.waitFor();
		expect(await timer.innerText()).toMatch(/^00:00:\d\d$/);
		await screenshot(projector, 'projector-countdown');
		// The member's round page shows the time left too, in their own language and zone.
		await member.page.getByRole('list', { name: 'Dates' }).getByText('Funding closes').waitFor();

		// Nobody does anything: the server closes the round at its time.
		await projector.locator('p.phase').getByText('Closed', { exact: true }).waitFor({ timeout: 60_000 });
		await timer.waitFor({ state: 'detached' });
		const closed = await exportJson(staged.server.url, round.roundId, round.token);
		expect(closed.round.phase).toBe('closed');
		await projector.close();
	});
});
