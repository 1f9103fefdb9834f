// `npm start` entry: configuration from the environment, one friendly line, JSON logs after it.
// HOST defaults to 0.0.0.0 so that people in the meeting room can join over the LAN.
import { resolve } from 'node:path';
import { startServer } from './app.js';
import { jsonLog } from './log.js';

const log = jsonLog();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const dataDir = resolve(process.env.DATA_DIR ?? './data');
const staticDir = resolve(process.env.STATIC_DIR ?? './build');

const server = await startServer({ port, host, dataDir, staticDir, log });
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
