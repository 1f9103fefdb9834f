// A whole round as people live it: a facilitator and two members, each in their own browser,
// from creating the round to closing it. The tests run in order and share one round.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { person, screenshot, stage, storySteps, type Person } from './harness';
import { bucketIn, exportJson, memberIn, minorUnits, parseCsv } from './server-api';
import { bucketUrl, celebrationSeen, createRound, fund, joinRound, noticesDismissed, openFunding, progressOf, proposeBucket, publish, type Created } from './steps';

const SOLAR = 'Solar panels for the barn';
const SEEDS = 'Seed library';

describe('a round from start to close', () => {
	const story = storySteps();
	const staged = stage();
	let facilitator: Person;
	let alice: Person;
	let bob: Person;
	let round: Created;
	let inviteLink = '';
	const tokens: string[] = [];
	const buckets: Record<string, string> = {};

	beforeAll(async () => {
		facilitator = await person(staged.browser);
		alice = await person(staged.browser);
		bob = await person(staged.browser);
	});

	it('a facilitator creates a round and copies the invite link', async () => {
		const { page, context } = facilitator;
		round = await createRound(page, staged.server.url, { name: 'Harvest fair 2026', facilitator: 'Fatou', allocation: '100', approval: true });
		await page.getByText('Phase: Proposing').waitFor();

		await page.getByRole('link', { name: 'Facilitate' }).click();
		await page.waitForURL(`**/r/${round.roundId}/admin`);
		await page.getByRole('button', { name: 'Create an invite link' }).click();
		await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: staged.server.url });
		await page.getByRole('button', { name: 'Copy link' }).first().click();
		await page.getByText('Link copied.').waitFor();
		inviteLink = await page.evaluate(() => navigator.clipboard.readText());
		expect(inviteLink).toMatch(new RegExp(`^${staged.server.url}/join#${round.roundId}\\.[A-Za-z0-9_-]+$`));
		await screenshot(page, 'admin-invite');
	});

	it('two members join from the link, each in their own browser, and get their money', async () => {
		for (const [someone, name] of [[alice, 'Alice'], [bob, 'Bob']] as const) {
			tokens.push((await joinRound(someone.page, inviteLink, name)).token);
		}
		for (const { page } of [alice, bob]) {
			await page.getByText('Harvest fair 2026').first().waitFor();
			await page.getByText('€100.00 left of €100.00').waitFor();
		}
		const exported = await exportJson(staged.server.url, round.roundId, round.token);
		expect(exported.members.map((m) => [m.name, m.role, m.allocated]).sort()).toEqual([
			['Alice', 'member', 10000],
			['Bob', 'member', 10000],
			['Fatou', 'facilitator', 10000]
		]);
	});

	it('members propose and publish buckets, the facilitator approves them and opens funding', async () => {
		buckets[SOLAR] = await proposeBucket(alice.page, {
			title: SOLAR,
			summary: 'Cheaper power for the fair, every year.',
			description: 'Two **panels** and an inverter. See [the quote](https://example.org/quote).',
			items: [
				{ label: 'Panels', min: '20', max: '30' },
				{ label: 'Inverter', min: '10' }
			]
		});
		buckets[SEEDS] = await proposeBucket(bob.page, { title: SEEDS, items: [{ label: 'Shelves', min: '80' }] });
		for (const { page } of [alice, bob]) await publish(page, 'Waiting for approval');

		const admin = facilitator.page;
		for (const title of [SOLAR, SEEDS]) {
			const approval = admin.getByRole('listitem').filter({ hasText: title }).getByRole('button', { name: 'Approve' });
			await approval.click();
			await approval.waitFor({ state: 'detached' });
		}
		await openFunding(admin, staged.server.url, round.roundId);

		for (const { page } of [alice, bob]) {
			await page.goto(`${staged.server.url}/r/${round.roundId}`);
			await page.getByText('Phase: Funding').waitFor();
			await expect.poll(() => page.getByRole('article').getByText('Open for funding', { exact: true }).count()).toBe(2);
		}
		const exported = await exportJson(staged.server.url, round.roundId, round.token);
		expect(exported.round.phase).toBe('funding');
		expect(bucketIn(exported, SOLAR)).toMatchObject({ status: 'open', minGoal: 3000, maxGoal: 4000, total: 0 });
		expect(bucketIn(exported, SEEDS)).toMatchObject({ status: 'open', minGoal: 8000, maxGoal: 8000, total: 0 });
	});

	it('member A funds a bucket and member B sees the new total within 1 second, without reloading', async () => {
		const solar = bucketUrl(staged.server.url, round.roundId, buckets[SOLAR] as string);
		await alice.page.goto(solar);
		await bob.page.goto(solar);
		await progressOf(bob.page, SOLAR).waitFor();
		expect(await progressOf(bob.page, SOLAR).getAttribute('aria-valuenow')).toBe('0');

		// The click time is taken in Alice's page, the arrival in Bob's: one machine, one clock.
		await alice.page.evaluate(() => {
			document.addEventListener('submit', () => ((window as unknown as { clickedAt: number }).clickedAt = Date.now()), { capture: true, once: true });
		});
		const seen = bob.page.waitForFunction(
			(title) => document.querySelector(`[role=progressbar][aria-label="Funding of ${title}"]`)?.getAttribute('aria-valuenow') === '1000' && Date.now(),
			SOLAR,
			{ polling: 'raf', timeout: 10_000 }
		);
		await fund(alice.page, '10');
		const seenAt = (await (await seen).jsonValue()) as number;
		const clickedAt = await alice.page.evaluate(() => (window as unknown as { clickedAt: number }).clickedAt);
		const latency = seenAt - clickedAt;
		console.log(`funding visible in the other browser after ${latency} ms`);
		expect(latency).toBeLessThan(1000);

		await alice.page.getByText('You put €10.00 into “Solar panels for the barn”.').waitFor();
		expect(await progressOf(bob.page, SOLAR).getAttribute('aria-valuetext')).toBe('€10.00 of €30.00 (33%)');
		// Both cards beside the description start their heading the same way (no extra space on top).
		const headingOffset = (name: string) =>
			bob.page.getByRole('heading', { name }).evaluate((h) => h.getBoundingClientRect().top - (h.closest('section') as Element).getBoundingClientRect().top);
		expect(await headingOffset('Who funded it')).toBe(await headingOffset('Fund this bucket'));
		const exported = await exportJson(staged.server.url, round.roundId, round.token);
		expect(bucketIn(exported, SOLAR).total).toBe(1000);
		expect(memberIn(exported, 'Alice').spent).toBe(1000);
	});

	it('the bucket reaches its goal: every screen shows it funded and withdrawing is no longer offered', async () => {
		const takeBack = alice.page.getByRole('button', { name: /^Take back/ });
		await takeBack.waitFor();
		await facilitator.page.goto(`${staged.server.url}/r/${round.roundId}`);

		await fund(bob.page, '20');
		for (const { page } of [alice, bob]) {
			await page.locator('.status').getByText('Funded', { exact: true }).waitFor();
		}
		await facilitator.page
			.getByRole('article')
			.filter({ hasText: SOLAR })
			.getByText('Funded', { exact: true })
			.waitFor();
		await takeBack.waitFor({ state: 'detached' });
		await alice.page.getByText('You gave €10.00.').waitFor();
		await bob.page.getByText('You gave €20.00.').waitFor();
		expect(await bob.page.getByRole('button', { name: /^Take back/ }).count()).toBe(0);
		// Everyone is told the bucket reached its goal; Alice closes the message to read the page.
		await celebrationSeen(alice.page, SOLAR, () => screenshot(alice.page, 'bucket-funded-celebration'));
		await noticesDismissed(alice.page);
		await screenshot(alice.page, 'bucket-funded');

		const exported = await exportJson(staged.server.url, round.roundId, round.token);
		expect(bucketIn(exported, SOLAR)).toMatchObject({ status: 'funded', total: 3000 });
		expect(exported.ledger.filter((e) => e.type === 'settle' && e.bucketId === buckets[SOLAR])).toHaveLength(1);
	});

	it('the round page fits a phone screen', async () => {
		const { page } = bob;
		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto(`${staged.server.url}/r/${round.roundId}`);
		await page.getByRole('heading', { name: 'Buckets' }).waitFor();
		await page.getByRole('link', { name: SEEDS }).waitFor();
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await screenshot(page, 'round-phone');
		await page.setViewportSize({ width: 1280, height: 900 });
		await screenshot(page, 'round');
	});

	story.check('every page fits a 360 px wide phone without sideways scrolling', async () => {
		const { page } = facilitator;
		await page.setViewportSize({ width: 360, height: 740 });
		const pages = {
			home: staged.server.url,
			round: `${staged.server.url}/r/${round.roundId}`,
			bucket: bucketUrl(staged.server.url, round.roundId, buckets[SOLAR] as string),
			new: `${staged.server.url}/r/${round.roundId}/new`,
			admin: `${staged.server.url}/r/${round.roundId}/admin`
		};
		const overflowing: string[] = [];
		for (const [name, url] of Object.entries(pages)) {
			await page.goto(url);
			await page.locator('h1').first().waitFor();
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			if (overflow > 0) {
				overflowing.push(`${name} (${overflow} px)`);
				await screenshot(page, `phone-overflow-${name}`);
			}
		}
		await page.setViewportSize({ width: 1280, height: 900 });
		expect(overflowing).toEqual([]);
	});

	it('the facilitator closes the round: unfunded buckets are refunded and the CSV export adds up to the ledger', async () => {
		await bob.page.goto(bucketUrl(staged.server.url, round.roundId, buckets[SEEDS] as string));
		await fund(bob.page, '15');
		await bob.page.getByText('You put €15.00 into “Seed library”.').waitFor();
		await bob.page.goto(`${staged.server.url}/r/${round.roundId}`);
		await bob.page.getByText('€65.00 left of €100.00').waitFor();

		const admin = facilitator.page;
		await admin.goto(`${staged.server.url}/r/${round.roundId}/admin`);
		await admin.getByRole('button', { name: 'Close the round…' }).click();
		await admin.getByText('buckets that did not reach their goal are refunded to their funders;').waitFor();
		await admin.getByRole('button', { name: 'Close the round', exact: true }).click();
		await admin.getByText('The round is in the Closed phase.').waitFor();

		await bob.page.getByText('€80.00 left of €100.00').waitFor();
		await bob.page.getByRole('article').filter({ hasText: SEEDS }).getByText('Not funded', { exact: true }).waitFor();
		await alice.page.goto(`${staged.server.url}/r/${round.roundId}`);
		await alice.page.getByText('€90.00 left of €100.00').waitFor();

		const download = admin.waitForEvent('download');
		await admin.getByRole('button', { name: 'Download CSV' }).click();
		const file = await download;
		// §7 names: the file is named after the round, not its id.
		expect(file.suggestedFilename()).toBe('harvest-fair-2026-ledger.csv');
		const rows = parseCsv(readFileSync(await file.path(), 'utf8'));

		const exported = await exportJson(staged.server.url, round.roundId, round.token);
		expect(rows.map((r) => Number(r.seq))).toEqual(exported.ledger.map((e) => e.seq));
		expect(rows.map((r) => r.type)).toEqual(exported.ledger.map((e) => e.type));
		const sum = (type: string, bucketId?: string) =>
			rows
				.filter((r) => r.type === type && (bucketId === undefined || r.bucket_id === bucketId))
				.reduce((total, r) => total + minorUnits(r.amount as string), 0);
		// §3 conservation, from the CSV alone: what was allocated is in wallets or in funded buckets.
		const allocated = sum('allocate');
		const inWallets = exported.members.reduce((total, m) => total + m.allocated - m.spent, 0);
		const inBuckets = exported.buckets.filter((b) => b.status === 'funded').reduce((total, b) => total + b.total, 0);
		expect(allocated).toBe(30000);
		expect(inWallets + inBuckets).toBe(allocated);
		for (const bucket of exported.buckets) {
			const net = sum('contribute', bucket.id) - sum('withdraw', bucket.id) - sum('refund', bucket.id);
			expect(net, bucket.title).toBe(bucket.status === 'funded' ? bucket.total : 0);
		}
		expect(sum('refund', buckets[SEEDS])).toBe(1500);
		expect(bucketIn(exported, SEEDS).status).toBe('unfunded');
		expect(exported.round.phase).toBe('closed');
	});

	story.check('the JSON and .pb exports download from the admin page too', async () => {
		const admin = facilitator.page;
		const files: Record<string, string> = {};
		for (const [button, format, name] of [['Download JSON', 'json', 'harvest-fair-2026-round.json'], ['Download .pb', 'pb', 'harvest-fair-2026.pb']] as const) {
			const download = admin.waitForEvent('download');
			await admin.getByRole('button', { name: button }).click();
			const file = await download;
			expect(file.suggestedFilename()).toBe(name);
			files[format] = readFileSync(await file.path(), 'utf8');
		}
		const json = JSON.parse(files.json as string) as { ledger: unknown[]; round: { phase: string } };
		expect(json.round.phase).toBe('closed');
		expect(json.ledger).toEqual((await exportJson(staged.server.url, round.roundId, round.token)).ledger);
		const sections = (files.pb as string).split(/\r?\n/).filter((line) => /^(META|PROJECTS|VOTES)$/.test(line.trim()));
		expect(sections).toEqual(['META', 'PROJECTS', 'VOTES']);
	});

	it('the server logged one JSON line per event and never a token', async () => {
		const lines = staged.server.output().split('\n').filter((line) => line.trim() !== '' && !line.startsWith('Tirelire is running at'));
		expect(lines.length).toBeGreaterThan(0);
		for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
		for (const token of [round.token, ...tokens]) expect(staged.server.output()).not.toContain(token);
	});
});
