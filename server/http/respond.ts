// JSON responses and the `{error: {code, message}}` shape every failure takes.
import type { ServerResponse } from 'node:http';
import type { HttpErrorCode } from '../../src/lib/domain/http-errors.js';

export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: HttpErrorCode,
		message: string
	) {
		super(message);
	}
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		'Cache-Control': 'no-store',
		...headers
	});
	res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
	sendJson(res, error.status, { error: { code: error.code, message: error.message } });
}
