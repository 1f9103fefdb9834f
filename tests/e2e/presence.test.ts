// Who is online (DESIGN §2 awareness): a member whose connection drops and comes back is shown
// online again to the others at once, and sees them again too.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { person, stage, storySteps, type Person } from './harness';
import { inviteLink } from './server-api';
import { createRound, joinRound } from './steps';

/** What the header says about who is online, e.g. "2 people online". */
function onlineCount(page: Page): Promise<string | null> {
	return page
		.getByText(/^\d+ (people|person) online$/)
		.textContent({ timeout: 200 })
		.catch(() => null);
}

describe('presence after a dropped connection', () => {
	storySteps();
	const staged = stage();
	let facilitator: Person;
	let alice: Person;

	beforeAll(async () => {
		facilitator = await person(staged.browser);
		alice = await person(staged.browser);
		// Alice's sockets can be dropped as a flaky network drops them (the server sees them close).
		await alice.context.addInitScript(() => {
			const Native = window.WebSocket;
			const sockets: WebSocket[] = [];
			(window as unknown as { dropSockets: () => void }).dropSockets = () => sockets.forEach((socket) => socket.close());
			window.WebSocket = class extends Native {
				constructor(url: string | URL, protocols?: string | string[]) {
					super(url, protocols);
					sockets.push(this);
				}
			};
		});
	});

	it('two members see each other online', async () => {
		const round = await createRound(facilitator.page, staged.server.url, { name: 'Street party', facilitator: 'Fatou', allocation: '50', approval: false });
		await joinRound(alice.page, await inviteLink(staged.server.url, round.roundId, round.token), 'Alice');
		for (const { page } of [facilitator, alice]) await page.getByText('2 people online').waitFor();
	});

	it('after her connection drops twice, Alice is online again for the facilitator within 2 s, and sees him', async () => {
		for (let drop = 0; drop < 2; drop++) {
			await alice.page.evaluate(() => (window as unknown as { dropSockets: () => void }).dropSockets());
			// The reconnection takes a few hundred milliseconds; presence must follow it, not the
			// 15-second refresh of the awareness protocol.
			await facilitator.page.waitForTimeout(1000);
			for (const { page } of [facilitator, alice]) {
				await expect.poll(() => onlineCount(page), { timeout: 1000 }).toBe('2 people online');
			}
		}
	});
});
