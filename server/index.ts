// `npm start` entry: configuration from the environment, one friendly line, JSON logs after it.
// HOST defaults to 0.0.0.0 so that people in the meeting room can join over the LAN.
import { resolve } from 'node:path';
import { startServer } from './app.js';
import { parseFrameAncestors } from './http/headers.js';
import { jsonLog } from './log.js';
import { budgetsFromEnv, type Budgets } from './sync/budgets.js';

const log = jsonLog();

/** Stops before serving anything, with a sentence a person can act on. */
function fail(message: string): never {
	console.error(`Tirelire cannot start: ${message}`);
	process.exit(1);
}

const portText = process.env.PORT ?? '3000';
const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
if (!(port >= 0 && port <= 65_535)) fail(`PORT must be a whole number from 0 to 65535, not "${portText}".`);
const host = process.env.HOST ?? '0.0.0.0';
const dataDir = resolve(process.env.DATA_DIR ?? './data');
const staticDir = resolve(process.env.STATIC_DIR ?? './build');
let frameAncestors: string[] = [];
let budgets: Partial<Budgets> = {};
try {
	frameAncestors = parseFrameAncestors(process.env.FRAME_ANCESTORS);
	budgets = budgetsFromEnv(process.env);
} catch (error) {
	fail((error as Error).message);
}

const server = await startServer({ port, host, dataDir, staticDir, frameAncestors, log, budgets }).catch((error: unknown) => {
	const code = (error as { code?: string }).code;
	if (code === 'EADDRINUSE') fail(`port ${port} is already in use. Set PORT to another one, e.g. PORT=3001 npm start.`);
	if (code === 'EACCES') fail(`not allowed to listen on ${host}:${port}. Choose a PORT above 1023.`);
	return fail(`${error instanceof Error ? error.message : String(error)} (DATA_DIR is ${dataDir}).`);
});
console.log(`Tirelire is running at http://localhost:${server.port}`);
log('info', 'server started', { port: server.port, host, dataDir });

const stop = (signal: string): void => {
	log('info', 'shutting down', { signal });
	server.close().then(
		() => process.exit(0),
		(error: unknown) => {
			log('error', 'shutdown failed', { error: String(error) });
			process.exit(1);
		}
	);
};
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));
