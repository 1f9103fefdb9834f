// DESIGN §12 groups, in the browser against the real server: a group joined once from a group
// invitation, a second round started by the facilitator with the same members (who see it
// without joining again) whose funding closes by itself at its scheduled time, a second device
// opened from the first device's one-time link, and "is this you?" when a name of the group is
// typed again.
import { beforeAll, describe, expect, it } from 'vitest';
import { person, screenshot, stage, storySteps, type Person } from './harness';
import { exportJson } from './server-api';
import { createRound, localInput, openFunding, type Created } from './steps';

describe('a group through two rounds, on two devices', () => {
	const { check } = storySteps();
	const staged = stage();
	let fatou: Person;
	let marc: Person;
	let phone: Person;
	let round: Created;
	let invite = '';
	let secondRound = '';

	beforeAll(async () => {
		[fatou, marc, phone] = await Promise.all([person(staged.browser), person(staged.browser), person(staged.browser, { locale: 'fr-FR' })]);
	});

	const groupUrl = () => `${staged.server.url}/g/${round.roundId}`;

	it('§12 the facilitator creates a round and invites to its group from the group page', async () => {
		round = await createRound(fatou.page, staged.server.url, { name: 'Assemblée 2026', facilitator: 'Fatou', allocation: '40', approval: false });
		const { page } = fatou;
		await page.getByRole('link', { name: 'Group page' }).click();
		await page.waitForURL(groupUrl());
		await page.getByRole('button', { name: 'Create an invitation link' }).click();
		const field = page.getByRole('textbox', { name: 'Invite to the group' });
		await field.waitFor();
		invite = await field.inputValue();
		expect(invite).toMatch(new RegExp(`/join#group\\.${round.roundId}\\.`));
	});

	it('§12 a member joins the group once and lands on the group page', async () => {
		const { page } = marc;
		await page.goto(invite);
		await page.getByLabel('Your name').fill('Marc');
		await page.getByRole('button', { name: 'Join' }).click();
		await page.waitForURL(groupUrl());
		await page.getByRole('link', { name: 'Assemblée 2026' }).waitFor();
	});

	it('§12 the facilitator starts the second round with the same members', async () => {
		const { page } = fatou;
		await page.goto(groupUrl());
		await page.getByLabel('Name of the new round').fill('Assemblée 2027');
		await page.getByLabel('Copy the latest round’s settings', { exact: false }).check();
		const answer = page.waitForResponse((r) => r.url().endsWith(`/api/groups/${round.roundId}/rounds`));
		await page.getByRole('button', { name: 'Start the round' }).click();
		const created = (await (await answer).json()) as { roundId: string; members: number };
		expect(created.members).toBe(2);
		secondRound = created.roundId;
		await page.waitForURL(`**/r/${secondRound}`);
		await page.getByText('€40.00 left of €40.00').waitFor();
	});

	it('§12 the member sees the second round on the home page and opens it without joining again, with its money', async () => {
		const { page } = marc;
		await page.goto(staged.server.url);
		await page.getByRole('link', { name: 'Assemblée 2027' }).click();
		await page.waitForURL(`**/r/${secondRound}`);
		await page.getByText('€40.00 left of €40.00').waitFor();
	});

	it('§12 the second round’s funding closes by itself at the time the facilitator set; the member sees it', async () => {
		const { page } = fatou;
		await openFunding(page, staged.server.url, secondRound);
		const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
		await page.getByLabel('Funding closes').fill(localInput(Date.now() + 12_000, zone));
		await page.getByRole('button', { name: 'Save the dates' }).click();
		await marc.page.getByRole('list', { name: 'Dates' }).getByText('Funding closes').waitFor();
		// Nobody does anything: the server closes the round at its time, and Marc's page follows.
		await expect.poll(async () => (await exportJson(staged.server.url, secondRound, round.token)).round.phase, { timeout: 60_000 }).toBe('closed');
		await marc.page.getByText('Phase: Closed').waitFor();
	});

	it('§12 a second device opens the same member from the first device’s one-time link (French, phone)', async () => {
		await marc.page.goto(groupUrl());
		await marc.page.getByRole('button', { name: 'Open on another device' }).click();
		const field = marc.page.locator('#group-device-link');
		await field.waitFor();
		const link = await field.inputValue();
		expect(link).toMatch(new RegExp(`/join#device\\.${round.roundId}\\.`));
		await marc.page.getByRole('img', { name: 'QR code of the link for your other device' }).waitFor();

		const { page } = phone;
		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto(link);
		await page.getByRole('button', { name: 'Ouvrir mon accès ici' }).click();
		await page.waitForURL(groupUrl());
		await page.getByText('Vous êtes Marc · Membre').waitFor();
		await page.getByRole('link', { name: 'Assemblée 2027' }).click();
		await page.waitForURL(`**/r/${secondRound}`);
		await page.getByText(/40,00\s€ restants sur 40,00\s€/).first().waitFor();
	});

	check('§12 the link worked once: opened again, it admits nobody', async () => {
		const other = await person(staged.browser);
		try {
			await marc.page.goto(groupUrl());
			await marc.page.getByRole('button', { name: 'Open on another device' }).click();
			const link = await marc.page.locator('#group-device-link').inputValue();
			await other.page.goto(link);
			await other.page.getByRole('button', { name: 'Open my access here' }).click();
			await other.page.waitForURL(groupUrl());
			await other.page.close();
			const again = await staged.browser.newContext();
			const page = await again.newPage();
			await page.goto(link);
			await page.getByRole('button', { name: 'Open my access here' }).click();
			await page.getByRole('alert').getByText('This device link has already been used or does not exist.', { exact: false }).waitFor();
			await again.close();
		} finally {
			await other.context.close();
		}
	});

	check('§12 joining again as "Marc" asks "is this you?" and explains how to get the access back', async () => {
		const stranger = await person(staged.browser);
		try {
			const { page } = stranger;
			await page.goto(invite);
			await page.getByLabel('Your name').fill('marc');
			await page.getByRole('button', { name: 'Join' }).click();
			await page.getByRole('heading', { name: 'Is this you?' }).waitFor();
			await page.getByRole('button', { name: 'Yes, it is me' }).click();
			await page.getByText('Ask a facilitator to re-issue your access.', { exact: false }).waitFor();
			const members = await fetch(`${staged.server.url}/api/groups/${round.roundId}/members`, { headers: { authorization: `Bearer ${round.token}` } });
			expect(((await members.json()) as unknown[]).length).toBe(2);
		} finally {
			await stranger.context.close();
		}
	});

	check('§12 the group page for the facilitator: rounds, next round, devices, invitation, members', async () => {
		const { page } = fatou;
		await page.goto(groupUrl());
		await page.getByRole('button', { name: 'Re-issue access' }).waitFor();
		await screenshot(page, 'group');
	});
});
