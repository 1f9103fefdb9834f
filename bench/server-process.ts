// A server under test in its own process, so that its CPU time is not the benchmark clients'.
// `node server-process.js <tirelire|stock> '<options json>'` (see server-launch.ts): answers
// {type:'ready', port} over IPC, {type:'stats', cpuMs} when asked, and exits on 'stop'.
import { join } from 'node:path';
import { startServer, type RunningServer } from '../server/app.js';
import type { Log } from '../server/log.js';
import { startStock } from './stock.js';

export type ServerKind = 'tirelire' | 'stock';

export interface ProcessOptions {
	/** Listen on this port (a restart keeps the clients' address); 0 or absent: any free port. */
	port?: number;
	/** Tirelire only: the SQLite directory. */
	dataDir?: string;
	messagesPerSecond?: number;
	messageBurst?: number;
}

export type ToServer = { type: 'stats' } | { type: 'stop' };
export type FromServer =
	| { type: 'ready'; port: number }
	| { type: 'stats'; cpuMs: number; rssMb: number }
	| { type: 'stopped'; warnings: number; errors: number };

const counts = { warnings: 0, errors: 0 };
/** Warnings and errors go to stderr as JSON lines (they mean something is off); info is dropped. */
const log: Log = (level, msg, fields) => {
	if (level === 'info') return;
	if (level === 'warn') counts.warnings += 1;
	else counts.errors += 1;
	process.stderr.write(JSON.stringify({ level, msg, ...fields }) + '\n');
};

async function start(kind: ServerKind, options: ProcessOptions): Promise<Pick<RunningServer, 'port' | 'close'>> {
	if (kind === 'stock') return startStock('127.0.0.1', options.port ?? 0);
	if (!options.dataDir) throw new Error('tirelire needs a dataDir');
	// Rate limits on creating rounds and joining would throttle the setup of a thousand members.
	const generous = { burst: 100_000, perMinute: 1_000_000 };
	return startServer({
		port: options.port ?? 0,
		host: '127.0.0.1',
		dataDir: options.dataDir,
		staticDir: join(options.dataDir, 'no-static'),
		log,
		createRate: generous,
		joinRate: generous,
		...(options.messagesPerSecond === undefined ? {} : { messagesPerSecond: options.messagesPerSecond }),
		...(options.messageBurst === undefined ? {} : { messageBurst: options.messageBurst })
	});
}

function reply(message: FromServer): void {
	process.send?.(message);
}

const [kind, json] = process.argv.slice(2);
if (kind !== 'tirelire' && kind !== 'stock') throw new Error(`unknown server kind ${kind}`);
const server = await start(kind, JSON.parse(json ?? '{}') as ProcessOptions);
process.on('disconnect', () => process.exit(1));
process.on('message', (message: ToServer) => {
	if (message.type === 'stats') {
		const { user, system } = process.cpuUsage();
		reply({ type: 'stats', cpuMs: (user + system) / 1000, rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) });
	} else if (message.type === 'stop') {
		void server.close().then(() => {
			reply({ type: 'stopped', ...counts });
			process.disconnect();
		});
	}
});
reply({ type: 'ready', port: server.port });
