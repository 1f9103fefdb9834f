// The app runs under its Content-Security-Policy (the hashed <meta> of the build and the server's
// headers): the home page, the round page, a bucket page with Markdown, the admin page with its QR
// code and the projector with its charts raise no CSP violation, while an inline script is refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { person, stage, storySteps, type Person } from './harness';
import { inviteLink } from './server-api';
import { createRound, openFunding, proposeBucket, publish, type Created } from './steps';

declare global {
	interface Window {
		cspViolations: string[];
		inlineRan?: boolean;
	}
}

describe('the content security policy', () => {
	storySteps();
	const staged = stage();
	let fatou: Person;
	let round: Created;
	const consoleErrors: string[] = [];

	/** Violations reported in the page since it loaded, plus console errors that name the policy. */
	async function violations(): Promise<string[]> {
		const inPage = await fatou.page.evaluate(() => window.cspViolations);
		return [...inPage, ...consoleErrors.filter((text) => /content security policy|permissions-policy/i.test(text))];
	}

	beforeAll(async () => {
		fatou = await person(staged.browser);
		await fatou.context.addInitScript(() => {
			window.cspViolations = [];
			document.addEventListener('securitypolicyviolation', (event) =>
				window.cspViolations.push(`${event.effectiveDirective} ${event.blockedURI}`)
			);
		});
		fatou.page.on('console', (message) => {
			if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text());
		});
	});

	it('the shell carries a hashed script policy and the server forbids framing', async () => {
		const response = await fatou.page.goto(staged.server.url);
		expect(response?.headers()['content-security-policy']).toBe("frame-ancestors 'none'");
		const policy = await fatou.page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
		expect(policy).toMatch(/script-src 'self' 'sha256-/);
		await fatou.page.getByLabel('Name of the round').waitFor();
		expect(await violations()).toEqual([]);
	});

	it('an inline script is refused (the policy is in force)', async () => {
		await fatou.page.evaluate(() => {
			const script = document.createElement('script');
			script.textContent = 'window.inlineRan = true';
			document.head.append(script);
		});
		await expect.poll(async () => (await fatou.page.evaluate(() => window.cspViolations)).length).toBe(1);
		expect(await fatou.page.evaluate(() => window.inlineRan)).toBeUndefined();
		await expect.poll(() => consoleErrors.filter((text) => /content security policy/i.test(text)).length).toBe(1);
		// The refusal asked for here is not one of the app's.
		consoleErrors.length = 0;
	});

	it('creating a round, a bucket page with Markdown and the round page raise no violation', async () => {
		round = await createRound(fatou.page, staged.server.url, { name: 'Commons', facilitator: 'Fatou', allocation: '50', approval: false });
		await proposeBucket(fatou.page, {
			title: 'Seed library',
			description: 'A **shelf** of seeds, see [the plan](https://example.org/plan).',
			items: [{ label: 'Shelf', min: '20' }]
		});
		await publish(fatou.page, 'Open for funding');
		await fatou.page.locator('strong', { hasText: 'shelf' }).waitFor();
		expect(await violations()).toEqual([]);
		await openFunding(fatou.page, staged.server.url, round.roundId);
		await fatou.page.goto(`${staged.server.url}/r/${round.roundId}`);
		await fatou.page.getByRole('link', { name: 'Seed library' }).waitFor();
		expect(await violations()).toEqual([]);
	});

	it('the admin page with the invite QR code and the projector with its charts raise no violation', async () => {
		await inviteLink(staged.server.url, round.roundId, round.token);
		await fatou.page.goto(`${staged.server.url}/r/${round.roundId}/live`);
		await fatou.page.getByRole('img', { name: 'QR code to join the round' }).waitFor();
		await fatou.page.waitForFunction(() => document.querySelectorAll('[role=img] > canvas').length === 2);
		expect(await fatou.page.getByText('The charts could not be loaded; the figures are still shown here.').count()).toBe(0);
		expect(await violations()).toEqual([]);
		await fatou.page.goto(`${staged.server.url}/r/${round.roundId}/admin`);
		await fatou.page.getByRole('heading').first().waitFor();
		await fatou.page.waitForLoadState('networkidle');
		expect(await violations()).toEqual([]);
	});
});
