// Starts a server under test (server-process.ts) as a child process and talks to it over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { FromServer, ProcessOptions, ServerKind, ToServer } from './server-process.js';

export interface ServerUnderTest {
	kind: ServerKind;
	/** http://127.0.0.1:<port> */
	url: string;
	/** From fork to listening, in ms. */
	startMs: number;
	/** CPU time (user + system) the server process has used so far, in ms. */
	cpuMs(): Promise<number>;
	/** Graceful stop; resolves with the warnings and errors the server logged. */
	stop(): Promise<{ warnings: number; errors: number }>;
}

const ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'server-process.js');

function next<T extends FromServer['type']>(child: ChildProcess, type: T): Promise<Extract<FromServer, { type: T }>> {
	return new Promise((resolve, reject) => {
		const onMessage = (message: FromServer): void => {
			if (message.type !== type) return;
			child.off('message', onMessage);
			child.off('exit', onExit);
			resolve(message as Extract<FromServer, { type: T }>);
		};
		const onExit = (code: number | null): void => reject(new Error(`${type}: server process exited with ${code}`));
		child.on('message', onMessage);
		child.once('exit', onExit);
	});
}

export async function launch(kind: ServerKind, options: ProcessOptions = {}): Promise<ServerUnderTest> {
	const started = performance.now();
	const child = fork(ENTRY, [kind, JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const { port } = await next(child, 'ready');
	const startMs = performance.now() - started;
	const send = (message: ToServer): void => void child.send(message);
	return {
		kind,
		url: `http://127.0.0.1:${port}`,
		startMs,
		async cpuMs() {
			const answer = next(child, 'stats');
			send({ type: 'stats' });
			return (await answer).cpuMs;
		},
		async stop() {
			const answer = next(child, 'stopped');
			send({ type: 'stop' });
			const counts = await answer;
			await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
			return { warnings: counts.warnings, errors: counts.errors };
		}
	};
}
