// §12 images and expenses through the real server: the upload route (auth, limits, errors), the
// blob route (immutable, ETag, 304), the sequencer (only stored files may be named), the guard
// (images are not written in the round doc by members), and expenses through the sequencer.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMAGES_PER_BUCKET } from '../../src/lib/domain/rules-images.js';
import type { ImageRef } from '../../src/lib/domain/types.js';
import {
	api,
	bucketState,
	createBucket,
	createRound,
	invite,
	ledger,
	memberClient,
	receiptOf,
	roundClient,
	send,
	removeDir,
	startTestServer,
	stopTestServer,
	tempDir,
	waitFor,
	type Client,
	type Member,
	type TestServer
} from './helpers.js';

const MAX_BYTES = 200_000;
const BURST = 30;

async function upload(server: TestServer, member: Member, bucketId: string, body: Buffer, token = member.token) {
	const response = await fetch(`${server.url}/api/rounds/${member.roundId}/buckets/${bucketId}/images`, {
		method: 'POST',
		// The Content-Type and a name say "JPEG"; only the bytes count.
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/jpeg', 'X-File-Name': 'photo.jpg' },
		body: new Uint8Array(body)
	});
	const json = (await response.json()) as { image?: ImageRef; error?: { code: string } };
	return { status: response.status, ...json };
}

describe('images and expenses (PROTOCOL §9, §10)', () => {
	let server: TestServer;
	let facilitator: Member;
	let alice: Member;
	let bob: Member;
	const clients: Client[] = [];
	const open = (client: Client) => {
		clients.push(client);
		return client.synced();
	};
	let photo: Buffer;

	beforeAll(async () => {
		server = await startTestServer(undefined, { media: { maxBytes: MAX_BYTES, uploads: { burst: BURST, perHour: 1 } } });
		facilitator = await createRound(server, { transparency: 'anonymous' });
		alice = await invite(server, facilitator, 'Alice');
		bob = await invite(server, facilitator, 'Bob');
		photo = await sharp({ create: { width: 1000, height: 750, channels: 3, background: '#c84' } }).jpeg().toBuffer();
	});

	afterAll(() => stopTestServer(server, clients));

	it('§12 images: an owner uploads, adds the image with alt text; everyone sees it; the file is immutable with an ETag and a 304', async () => {
		const aliceRound = await open(roundClient(server, alice));
		const aliceDoc = await open(memberClient(server, alice));
		const bobRound = await open(roundClient(server, bob));
		const garden = createBucket(aliceRound, [{ label: 'Graines', min: 3_000 }], 'Jardin');
		await waitFor(() => bucketState(aliceRound, garden) !== undefined, 'bucket created');

		expect((await upload(server, bob, garden, photo)).status).toBe(403);
		expect((await upload(server, alice, garden, photo, 'x'.repeat(43))).status).toBe(401);
		const uploaded = await upload(server, alice, garden, photo);
		expect(uploaded.status).toBe(201);
		const image = uploaded.image!;
		expect(image.variants.map((v) => v.width)).toEqual([320, 800, 1000]);

		const id = send(aliceDoc, { type: 'addImage', bucketId: garden, image: { ...image, alt: 'Les bacs du jardin' } });
		expect(await receiptOf(aliceDoc, id)).toMatchObject({ ok: true });
		await waitFor(() => Array.isArray(bucketState(bobRound, garden)?.images), 'image replicated');
		expect(bucketState(bobRound, garden)?.images).toEqual([{ ...image, alt: 'Les bacs du jardin' }]);
		expect(ledger(bobRound).at(-1)).toMatchObject({ type: 'image', bucketId: garden, memberId: alice.memberId });

		const small = image.variants[0]!;
		const first = await fetch(`${server.url}/api/blobs/${small.hash}.webp`);
		const bytes = Buffer.from(await first.arrayBuffer());
		expect(first.status).toBe(200);
		expect(first.headers.get('content-type')).toBe('image/webp');
		expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		expect(first.headers.get('x-content-type-options')).toBe('nosniff');
		expect(first.headers.get('etag')).toBe(`"${small.hash}"`);
		expect((await sharp(bytes).metadata()).width).toBe(320);
		const again = await fetch(`${server.url}/api/blobs/${small.hash}.webp`, { headers: { 'If-None-Match': `"${small.hash}"` } });
		expect(again.status).toBe(304);
		expect((await fetch(`${server.url}/api/blobs/${'0'.repeat(64)}.webp`)).status).toBe(404);
		expect((await fetch(`${server.url}/api/blobs/${small.hash}.webp`, { method: 'DELETE' })).status).toBe(405);
	});

	it('§12 images: bad files get a clear code; a body over the limit is refused as it streams', async () => {
		const aliceRound = await open(roundClient(server, alice));
		const bucket = createBucket(aliceRound, [{ label: 'x', min: 100 }], 'Atelier');
		await waitFor(() => bucketState(aliceRound, bucket) !== undefined, 'bucket created');
		expect(await upload(server, alice, bucket, Buffer.from('just some text named photo.jpg'))).toMatchObject({ status: 415, error: { code: 'not_an_image' } });
		const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).gif().toBuffer();
		expect(await upload(server, alice, bucket, gif)).toMatchObject({ status: 415, error: { code: 'unsupported_type' } });
		expect(await upload(server, alice, bucket, photo.subarray(0, photo.length >> 1))).toMatchObject({ status: 422, error: { code: 'broken_image' } });
		expect(await upload(server, alice, bucket, Buffer.alloc(MAX_BYTES + 1, 0xff))).toMatchObject({ status: 413, error: { code: 'too_large' } });
		expect((await upload(server, alice, 'bucket_unknown_1', photo)).status).toBe(404);
	});

	it('§12 images: a command naming a file this round never stored is refused (unknown_image); at most N per bucket', async () => {
		const aliceRound = await open(roundClient(server, alice));
		const aliceDoc = await open(memberClient(server, alice));
		const bucket = createBucket(aliceRound, [{ label: 'x', min: 100 }], 'Four');
		await waitFor(() => bucketState(aliceRound, bucket) !== undefined, 'bucket created');
		const forged: ImageRef = { alt: '', variants: [{ width: 320, height: 240, hash: 'ab'.repeat(32) as never }] };
		expect(await receiptOf(aliceDoc, send(aliceDoc, { type: 'addImage', bucketId: bucket, image: forged }))).toMatchObject({ ok: false, reason: 'unknown_image' });

		// Another round's file is not this round's either.
		const other = await createRound(server);
		const otherRound = await open(roundClient(server, other));
		const otherBucket = createBucket(otherRound, [{ label: 'x', min: 100 }], 'Ailleurs');
		await waitFor(() => bucketState(otherRound, otherBucket) !== undefined, 'other bucket');
		const elsewhere = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123' } }).png().toBuffer();
		const foreign = (await upload(server, other, otherBucket, elsewhere)).image!;
		expect(await receiptOf(aliceDoc, send(aliceDoc, { type: 'addImage', bucketId: bucket, image: foreign }))).toMatchObject({ ok: false, reason: 'unknown_image' });

		for (let i = 0; i <= MAX_IMAGES_PER_BUCKET; i++) {
			const file = await sharp({ create: { width: 40 + i, height: 40, channels: 3, background: '#456' } }).png().toBuffer();
			const image = (await upload(server, alice, bucket, file)).image!;
			const answer = await receiptOf(aliceDoc, send(aliceDoc, { type: 'addImage', bucketId: bucket, image }));
			expect(answer).toMatchObject(i < MAX_IMAGES_PER_BUCKET ? { ok: true } : { ok: false, reason: 'image_limit' });
		}
	});

	it('§12 images: the guard refuses a member writing image references into the round doc (server_root)', async () => {
		const aliceRound = await open(roundClient(server, alice));
		aliceRound.doc.getMap('bucketState').set('bucket_forged_1', { images: [] });
		expect(await aliceRound.refused()).toMatchObject({ code: 4403, reason: expect.stringMatching(/^server_root/) });
	});

	it('§12 expenses: recorded with a receipt, approved, rejected with a reason, paid; in the ledger, the replica of an anonymous round and the exports', async () => {
		const aliceRound = await open(roundClient(server, alice));
		const aliceDoc = await open(memberClient(server, alice));
		const bobDoc = await open(memberClient(server, bob));
		const facDoc = await open(memberClient(server, facilitator));
		const bucket = createBucket(aliceRound, [{ label: 'Bois', min: 3_000 }], 'Cabane');
		await waitFor(() => bucketState(aliceRound, bucket)?.minGoal === 3_000, 'goals');
		expect(await receiptOf(aliceDoc, send(aliceDoc, { type: 'publish', bucketId: bucket }))).toMatchObject({ ok: true });
		expect(await receiptOf(aliceDoc, send(aliceDoc, { type: 'recordExpense', bucketId: bucket, expenseId: 'expense_early_1', label: 'Bois', amount: 100 }))).toMatchObject({ ok: false, reason: 'wrong_status' });
		await receiptOf(facDoc, send(facDoc, { type: 'setPhase', phase: 'funding' }));
		expect(await receiptOf(bobDoc, send(bobDoc, { type: 'contribute', bucketId: bucket, amount: 3_000 }))).toMatchObject({ ok: true });
		await waitFor(() => bucketState(aliceRound, bucket)?.status === 'funded', 'funded');

		const receiptPhoto = await sharp({ create: { width: 600, height: 800, channels: 3, background: '#fff' } }).jpeg().toBuffer();
		const receiptImage = (await upload(server, alice, bucket, receiptPhoto)).image!;
		const record = (expenseId: string, amount: number, extra = {}) =>
			receiptOf(aliceDoc, send(aliceDoc, { type: 'recordExpense', bucketId: bucket, expenseId, label: 'Planches', amount, ...extra }));
		expect(await record('expense_wood_01', 2_000, { receipt: receiptImage })).toMatchObject({ ok: true });
		expect(await record('expense_nails_1', 1_001)).toMatchObject({ ok: false, reason: 'over_budget' });
		expect(await record('expense_nails_1', 1_000)).toMatchObject({ ok: true });
		expect(await receiptOf(bobDoc, send(bobDoc, { type: 'approveExpense', bucketId: bucket, expenseId: 'expense_wood_01' }))).toMatchObject({ ok: false, reason: 'not_facilitator' });
		const fac = (command: Record<string, unknown>) => receiptOf(facDoc, send(facDoc, { bucketId: bucket, ...command }));
		expect(await fac({ type: 'payExpense', expenseId: 'expense_wood_01' })).toMatchObject({ ok: false, reason: 'wrong_status' });
		expect(await fac({ type: 'approveExpense', expenseId: 'expense_wood_01' })).toMatchObject({ ok: true });
		expect(await fac({ type: 'rejectExpense', expenseId: 'expense_nails_1', note: 'Pas de ticket' })).toMatchObject({ ok: true });
		expect(await fac({ type: 'cancel' })).toMatchObject({ ok: false, reason: 'has_expenses' });
		expect(await fac({ type: 'payExpense', expenseId: 'expense_wood_01' })).toMatchObject({ ok: true });

		await waitFor(() => (bucketState(aliceRound, bucket)?.expenses as unknown[] | undefined)?.length === 2, 'expenses replicated');
		expect(bucketState(aliceRound, bucket)?.expenses).toMatchObject([
			{ id: 'expense_wood_01', memberId: alice.memberId, label: 'Planches', amount: 2_000, status: 'paid', receipt: receiptImage },
			{ id: 'expense_nails_1', status: 'rejected', note: 'Pas de ticket' }
		]);
		// Anonymous round: who funded is hidden, who spent is not (the expense is the owner's).
		const replica = ledger(aliceRound);
		expect(replica.find((e) => e.type === 'contribute' && e.bucketId === bucket)?.memberId).toBeUndefined();
		expect(replica.filter((e) => e.bucketId === bucket && (e.type === 'expense' || e.type === 'expenseStatus')).map((e) => [e.type, e.expenseStatus ?? e.memberId, e.amount])).toEqual([
			['expense', alice.memberId, 2_000],
			['expense', alice.memberId, 1_000],
			['expenseStatus', 'approved', 2_000],
			['expenseStatus', 'rejected', 1_000],
			['expenseStatus', 'paid', 2_000]
		]);

		const csv = await api(server, 'GET', `/api/rounds/${facilitator.roundId}/export.csv`, undefined, facilitator.token);
		expect(csv.text).toMatch(/,expense,expense,[^\n]*,20\.00,EUR,,,recorded,Planches,\r\n/);
		expect(csv.text).toMatch(/,expense,expenseStatus,[^\n]*,10\.00,EUR,,,rejected,Planches,Pas de ticket\r\n/);
		expect(csv.text).toMatch(/,expense,expenseStatus,[^\n]*,20\.00,EUR,,,paid,Planches,\r\n/);
		const json = await api<{ buckets: { id: string; expenses?: unknown[]; spent?: number; left?: number }[] }>(
			server, 'GET', `/api/rounds/${facilitator.roundId}/export.json`, undefined, facilitator.token
		);
		expect(json.body.buckets.find((b) => b.id === bucket)).toMatchObject({ spent: 2_000, left: 1_000, expenses: [{ id: 'expense_wood_01', status: 'paid' }, { id: 'expense_nails_1', status: 'rejected' }] });
	});

	it('§12 images: uploads are bounded per member (429 rate_limited), other members are not affected', async () => {
		const aliceRound = await open(roundClient(server, alice));
		const bucket = createBucket(aliceRound, [{ label: 'x', min: 100 }], 'Limite');
		await waitFor(() => bucketState(aliceRound, bucket) !== undefined, 'bucket created');
		const statuses: number[] = [];
		for (let i = 0; i <= BURST && statuses.at(-1) !== 429; i++) statuses.push((await upload(server, alice, bucket, Buffer.from('x'))).status);
		expect(statuses.at(-1)).toBe(429);
		expect((await upload(server, facilitator, bucket, photo)).status).toBe(201);
	});

	it('§12 images: npm run backup copies the stored images beside the database, whole files only', async () => {
		const backupDir = tempDir();
		try {
			const file = join(backupDir, 'backup.db');
			await promisify(execFile)(process.execPath, ['scripts/backup.mjs', file], { env: { ...process.env, DATA_DIR: server.dataDir } });
			const stored = readdirSync(join(server.dataDir, 'blobs'), { recursive: true, encoding: 'utf8' }).filter((path) => /[0-9a-f]{64}$/.test(path));
			expect(stored.length).toBeGreaterThan(0);
			for (const path of stored) expect(existsSync(join(`${file}.blobs`, path)), path).toBe(true);
		} finally {
			removeDir(backupDir);
		}
	});
});
