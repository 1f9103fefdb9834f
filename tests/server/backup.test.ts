// DESIGN §15 (online backups): an online backup under steady writes, restored into a fresh DATA_DIR, keeps every acknowledged command and sequencing goes on.
import { execFile } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { api, createRound, invite, startTestServer, stopTestServer, tempDir, type Member } from './helpers.js';

const run = promisify(execFile);

describe('backup and restore', () => {
	it('npm run backup while members join; the restored server has every member acknowledged before it and goes on', async () => {
		const server = await startTestServer();
		const facilitator = await createRound(server);
		const acknowledged: Member[] = [];
		let writing = true;
		const writer = (async () => {
			for (let i = 0; writing; i++) acknowledged.push(await invite(server, facilitator, `Member ${i}`));
		})();
		while (acknowledged.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
		const before = acknowledged.length;
		const backupDir = tempDir();
		const file = join(backupDir, 'backup.db');
		await run(process.execPath, ['scripts/backup.mjs', file], { env: { ...process.env, DATA_DIR: server.dataDir } });
		writing = false;
		await writer;
		await stopTestServer(server);

		const restoredDir = tempDir();
		copyFileSync(file, join(restoredDir, 'tirelire.db'));
		const restored = await startTestServer(restoredDir);
		for (const member of [facilitator, ...acknowledged.slice(0, before)]) {
			expect((await api(restored, 'GET', `/api/rounds/${member.roundId}/me`, undefined, member.token)).status).toBe(200);
		}
		const next = await invite(restored, facilitator, 'After the restore');
		expect((await api(restored, 'GET', `/api/rounds/${next.roundId}/me`, undefined, next.token)).status).toBe(200);
		await stopTestServer(restored);
	});
});
