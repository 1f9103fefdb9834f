// DESIGN §15: with PUBLIC_URL set, the invite link the admin page shows is the public
// address, and a phone on the network opens that exact link and joins without editing it. The
// second Chromium resolves the made-up host name tirelire.lan to this machine, as a LAN's DNS would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, person, stage, storySteps, type Person } from './harness';
import { createRound, joinRound, type Created } from './steps';

const HOST = 'tirelire.lan';

describe('an invite link from PUBLIC_URL, opened from another machine', () => {
	storySteps();
	let port = 0;
	const staged = stage({
		env: (listening) => {
			port = listening;
			return { PUBLIC_URL: `http://${HOST}:${listening}` };
		}
	});
	let phoneBrowser: Browser;
	let facilitator: Person;
	let phone: Person;
	let round: Created;
	let link = '';

	beforeAll(async () => {
		phoneBrowser = await launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`]);
		facilitator = await person(staged.browser);
		phone = await person(phoneBrowser);
	});
	afterAll(async () => {
		await phoneBrowser?.close();
	});

	it('the facilitator, on the server machine, creates an invite link in the admin page: it is the PUBLIC_URL address', async () => {
		round = await createRound(facilitator.page, staged.server.url, { name: 'Garden tools', facilitator: 'Fatou', allocation: '40', approval: false });
		const { page } = facilitator;
		await page.goto(`${staged.server.url}/r/${round.roundId}/admin`);
		await page.getByRole('button', { name: 'Create an invite link' }).click();
		const field = page.getByLabel('Invite link').first();
		await expect.poll(() => field.inputValue()).toMatch(/#/);
		link = await field.inputValue();
		expect(link).toMatch(new RegExp(`^http://${HOST.replace('.', '\\.')}:${port}/join#${round.roundId}\\.[^.]+$`));
		// The page is open on 127.0.0.1, but the links are public: no "only on this computer" warning.
		expect(await page.getByRole('heading', { name: 'This page is open on this computer only' }).count()).toBe(0);
	});

	it('a second machine opens that exact link and joins', async () => {
		const joined = await joinRound(phone.page, link, 'Malik');
		expect(new URL(phone.page.url()).host).toBe(`${HOST}:${port}`);
		expect(joined.memberId).toBeTruthy();
		// Synced over the WebSocket of that address: the round's name, the member's money, both online.
		await phone.page.getByText('€40.00 left of €40.00').waitFor();
		await phone.page.getByText('2 people online').waitFor();
		await phone.page.getByText('Garden tools').first().waitFor();
		await facilitator.page.goto(`${staged.server.url}/r/${round.roundId}/admin`);
		await facilitator.page.getByText('Malik').first().waitFor();
	});
});
