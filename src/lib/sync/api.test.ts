import { describe, expect, it } from 'vitest';
import { messages } from '$lib/i18n/messages';
import { Api, ApiError, errorMessageKey, type ExportFormat } from './api';

describe('errorMessageKey', () => {
	// What the server answers when joining fails (PROTOCOL §1), with the status it uses.
	const joinFailures: [string, number][] = [
		['invite_used_up', 403],
		['invite_expired', 403],
		['invite_disabled', 403],
		['revoked', 403],
		['unknown_invite', 404],
		['unknown_round', 404],
		['name_taken', 409],
		['invalid_name', 400]
	];

	it('every join error code has its own sentence in English and in French, not the one of its status', () => {
		const keys = joinFailures.map(([code, status]) => errorMessageKey(new ApiError(code, 'server message', status)));
		expect(new Set(keys).size).toBe(joinFailures.length);
		for (const key of keys) {
			expect(key).not.toMatch(/^error\.(forbidden|not_found|conflict|invalid|unknown)$/);
			expect(messages.en[key]).toBeTruthy();
			expect(messages.fr[key]).toBeTruthy();
			expect(messages.fr[key]).not.toBe(messages.en[key]);
		}
	});

	it('other codes fall back to their status, and a network failure says so', () => {
		expect(errorMessageKey(new ApiError('forbidden', 'role', 403))).toBe('error.forbidden');
		expect(errorMessageKey(new ApiError('network', 'Failed to fetch', 0))).toBe('error.network');
		expect(errorMessageKey(new Error('boom'))).toBe('error.unknown');
	});
});

describe('Api.exportFile (PROTOCOL §8 routes)', () => {
	it('§13 each format asks its own route; the ledger CSV and the .pb carry the time zone', async () => {
		const asked: string[] = [];
		const api = new Api(async (url) => {
			asked.push(String(url));
			return new Response('x', { status: 200 });
		}, 'http://tirelire.test');
		const formats: ExportFormat[] = ['csv', 'buckets.csv', 'members.csv', 'json', 'pb'];
		for (const format of formats) await api.exportFile('r1', 'token', format, 'Europe/Paris');
		expect(asked).toEqual([
			'http://tirelire.test/api/rounds/r1/export.csv?tz=Europe%2FParis',
			'http://tirelire.test/api/rounds/r1/export-buckets.csv',
			'http://tirelire.test/api/rounds/r1/export-members.csv',
			'http://tirelire.test/api/rounds/r1/export.json',
			'http://tirelire.test/api/rounds/r1/export.pb?tz=Europe%2FParis'
		]);
	});
});
