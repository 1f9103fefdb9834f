import { describe, expect, it } from 'vitest';
import { messages } from '$lib/i18n/messages';
import { ApiError, errorMessageKey } from './api';

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
