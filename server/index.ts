// `npm start` entry: configuration from the environment (server/config.ts), the addresses to
// share, JSON logs after them. HOST defaults to 0.0.0.0 so that people in the meeting room can join.
import { startServer } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { jsonLog } from './log.js';

const log = jsonLog();

/** Stops before serving anything, with a sentence a person can act on. */
function fail(message: string): never {
	console.error(`Tirelire cannot start: ${message}`);
	process.exit(1);
}

let config: Config;
try {
	config = loadConfig(process.env);
} catch (error) {
	fail(error instanceof ConfigError ? error.message : String(error));
}
const { port, host, dataDir } = config;

const server = await startServer({ ...config, ...config.limits, log }).catch((error: unknown) => {
	const code = (error as { code?: string }).code;
	if (code === 'EADDRINUSE') fail(`port ${port} is already in use. Set PORT to another one, e.g. PORT=3001 npm start.`);
	if (code === 'EACCES') fail(`not allowed to listen on ${host}:${port}. Choose a PORT above 1023.`);
	if (code === 'ENOENT' && config.tls) fail(`cannot read TLS_CERT or TLS_KEY (${config.tls.certFile}, ${config.tls.keyFile}).`);
	return fail(`${error instanceof Error ? error.message : String(error)} (DATA_DIR is ${dataDir}).`);
});
const { share, all } = server.addresses;
// One line (tests and people read it): every address, then the one to give members.
const also = all.length > 1 ? ` (also ${all.slice(1).join(', ')})` : '';
console.log(`Tirelire is running at ${all[0]}${also}; share this address with members: ${share}${config.publicUrl ? ' (PUBLIC_URL)' : ''}`);
log('info', 'server started', { port: server.port, host, dataDir, share, tls: config.tls !== undefined });

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
