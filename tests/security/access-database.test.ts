// A database with damaged pages must stop the server at start with one plain sentence, not start
// "healthy" and fail at the first request that reads a bad page.
import { spawnSync } from 'node:child_process';
import { copyFileSync, openSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRound, invite, removeDir, startTestServer, tempDir } from '../server/helpers.js';

function start(dataDir: string) {
	return spawnSync(process.execPath, ['dist/server/index.js'], {
		env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
		encoding: 'utf8',
		timeout: 20_000
	});
}

describe('database check at start', () => {
	it('a database with corrupted pages refuses to start with one sentence and exit 1', async () => {
		const original = tempDir();
		const server = await startTestServer(original);
		const facilitator = await createRound(server);
		for (let i = 0; i < 20; i++) await invite(server, facilitator, `Membre ${i}`);
		await server.close();

		const damaged = tempDir();
		const file = join(damaged, 'tirelire.db');
		copyFileSync(join(original, 'tirelire.db'), file);
		const pageSize = 4096;
		expect(statSync(file).size).toBeGreaterThan(3 * pageSize);
		// Page 1 (the header and the schema) stays intact: the damage is in the pages after it.
		const fd = openSync(file, 'r+');
		writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, pageSize);
		writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, 2 * pageSize);
		closeSync(fd);

		const result = start(damaged);
		expect(result.status).toBe(1);
		const lines = result.stderr.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^Tirelire cannot start: the database .*tirelire\.db is damaged/);
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expect(result.stdout).not.toContain('Tirelire is running');
		removeDir(original);
		removeDir(damaged);
	});

	it('the intact database starts (the check does not refuse a healthy file)', async () => {
		const dir = tempDir();
		const server = await startTestServer(dir);
		await createRound(server);
		await server.close();
		const again = await startTestServer(dir);
		await again.close();
		removeDir(dir);
	});
});
