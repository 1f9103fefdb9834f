// Structured logging: one JSON object per line. Callers never pass tokens or URLs with query strings.
export type LogFields = Record<string, unknown>;
export type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: LogFields) => void;

export function jsonLog(write: (line: string) => void = (line) => process.stdout.write(line)): Log {
	return (level, msg, fields) => {
		write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }) + '\n');
	};
}

export const silentLog: Log = () => {};
