// What people do in Tirelire, written once as they would do it: by role and visible label
// (English labels from src/lib/i18n/messages/*.ts; the people in these tests browse in English).
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

export interface Created {
	roundId: string;
	memberId: string;
	/** The facilitator's token, read from the creation answer, to check the server's figures. */
	token: string;
}

/** Fills the three-step "create a round" wizard on the home page; ends on the round page. */
export async function createRound(
	page: Page,
	baseUrl: string,
	round: { name: string; facilitator: string; allocation: string; cap?: string; approval: boolean }
): Promise<Created> {
	await page.goto(baseUrl);
	await page.getByLabel('Name of the round').fill(round.name);
	await page.getByLabel('Your name').fill(round.facilitator);
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByLabel('Money per member').fill(round.allocation);
	if (round.cap) await page.getByLabel('Limit per member per bucket').fill(round.cap);
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByLabel('Visible to all members (named)').check();
	const approval = page.getByLabel('A facilitator must approve each bucket before it can be funded');
	if (round.approval) await approval.check();
	else await approval.uncheck();
	const answer = page.waitForResponse((r) => r.url().endsWith('/api/rounds') && r.request().method() === 'POST');
	await page.getByRole('button', { name: 'Create the round' }).click();
	const response = await answer;
	expect(response.status()).toBe(201);
	const created = (await response.json()) as Created;
	await page.waitForURL(`**/r/${created.roundId}`);
	return created;
}

/** Opens an invitation link, gives a display name and joins; ends on the round page. */
export async function joinRound(page: Page, link: string, name: string): Promise<{ memberId: string; token: string }> {
	await page.goto(link);
	await page.getByLabel('Your name').fill(name);
	const answer = page.waitForResponse((r) => /\/api\/rounds\/[^/]+\/join$/.test(r.url()));
	await page.getByRole('button', { name: 'Join' }).click();
	const response = await answer;
	expect(response.status()).toBe(201);
	const joined = (await response.json()) as { memberId: string; token: string };
	await page.waitForURL(/\/r\/[^/]+$/);
	return joined;
}

export interface Item {
	label: string;
	min: string;
	max?: string;
}

/**
 * Proposes a bucket from the round page: title, summary, description and budget items, then
 * creates the draft. Returns its id once the server has it (the bucket page shows "Draft").
 */
export async function proposeBucket(
	page: Page,
	bucket: { title: string; summary?: string; description?: string; items: Item[] }
): Promise<string> {
	await page.getByRole('link', { name: 'Propose a bucket' }).click();
	await page.getByLabel('Title').fill(bucket.title);
	if (bucket.summary) await page.getByLabel('Summary').fill(bucket.summary);
	if (bucket.description) await page.getByLabel('Description').fill(bucket.description);
	for (const [index, item] of bucket.items.entries()) {
		if (index > 0) await page.getByRole('button', { name: 'Add an item' }).click();
		await page.getByLabel('What').nth(index).fill(item.label);
		await page.getByLabel('Needed').nth(index).fill(item.min);
		if (item.max) await page.getByLabel('Stretch (optional)').nth(index).fill(item.max);
	}
	await page.getByRole('button', { name: 'Create the draft' }).click();
	await page.waitForURL(/\/b\/[A-Za-z0-9_-]+$/);
	await page.getByText('Draft', { exact: true }).waitFor();
	return new URL(page.url()).pathname.split('/').pop() as string;
}

export function bucketUrl(baseUrl: string, roundId: string, bucketId: string): string {
	return `${baseUrl}/r/${roundId}/b/${bucketId}`;
}

/** The accessible value text of a bucket's progress bar, e.g. "€12.50 of €40.00 (31 %)". */
export function progressOf(page: Page, title: string) {
	return page.getByRole('progressbar', { name: `Funding of ${title}` });
}

/** Types an amount in the bucket page's funding form and gives it. */
/** Fills the amount and gives; a gift of more than half the wallet is confirmed when the form asks. */
export async function fund(page: Page, amount: string): Promise<void> {
	await page.getByLabel('Amount', { exact: true }).fill(amount);
	await page.getByRole('button', { name: 'Give', exact: true }).click();
	const yes = page.getByRole('button', { name: /^Yes, give / });
	// The question is drawn by the click's own handler, so it is there right after the click if at all.
	if (await yes.isVisible()) await yes.click();
}

/** The always-visible sync indicator ("Online", "Offline", "Syncing…", "2 changes waiting"). */
export function syncIndicator(page: Page) {
	return page.getByRole('status', { name: 'Connection' });
}

/** Publishes the bucket shown on the page (a draft of this member) and waits for its new status. */
export async function publish(page: Page, status: 'Open for funding' | 'Waiting for approval'): Promise<void> {
	await page.getByRole('button', { name: 'Publish', exact: true }).click();
	await page.getByText(status, { exact: true }).first().waitFor();
}

/** From the admin page: moves the round to the funding phase. */
export async function openFunding(page: Page, baseUrl: string, roundId: string): Promise<void> {
	await page.goto(`${baseUrl}/r/${roundId}/admin`);
	await page.getByRole('button', { name: 'Open funding' }).click();
	await page.getByText('The round is in the Funding phase.').waitFor();
}

/**
 * Waits for the "“title” reached its goal!" celebration, then closes it (it also fades by itself
 * after a few seconds, so it may be gone before the click) and waits until it is off the screen.
 */
export async function celebrationSeen(page: Page, title: string, picture?: () => Promise<unknown>): Promise<void> {
	const celebration = page.getByRole('status').filter({ hasText: `“${title}” reached its goal!` });
	await celebration.waitFor();
	await picture?.();
	await celebration
		.getByRole('button', { name: 'Close', exact: true })
		.click({ timeout: 1000 })
		.catch(() => undefined);
	await celebration.waitFor({ state: 'detached' });
}

/** Dismisses the notices on screen (good news also fades by itself) and waits until none is left. */
export async function noticesDismissed(page: Page): Promise<void> {
	const dismiss = page.getByRole('button', { name: 'Dismiss' });
	await expect
		.poll(async () => {
			const left = await dismiss.count();
			if (left > 0) await dismiss.first().click({ timeout: 1000 }).catch(() => undefined);
			return left;
		})
		.toBe(0);
}

/** `ms` from now as a `datetime-local` value, in the browser's own time zone (the form's default). */
export function localInput(ms: number, zone: string): string {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	}).formatToParts(ms);
	const get = (type: string) => parts.find((p) => p.type === type)!.value;
	return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
}
