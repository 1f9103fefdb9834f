// Every code the server can send a person's device has its own sentence, in both languages.
import { describe, expect, it } from 'vitest';
import { HTTP_ERROR_CODES } from '$lib/domain/http-errors';
import { REASONS } from '$lib/domain/types';
import { REFUSAL_CODES, SLOW_DOWN_CODES } from '$lib/state/notices.svelte';
import { ApiError, errorMessageKey } from '$lib/sync/api';
import { CLOSE } from '../../../server/sync/protocol';
import { format, type Locale } from './i18n.svelte';
import { messages, type MessageKey } from './messages';

const LOCALES: Locale[] = ['en', 'fr'];
/** The sentence a key gives in a language, with its placeholders filled the same way for all. */
const say = (locale: Locale, key: MessageKey) => format(locale, messages[locale][key], { detail: '…' });

/** Asserts that each key exists in both languages, and that no two keys say the same thing. */
function expectOwnSentences(keys: MessageKey[]) {
	for (const locale of LOCALES) {
		const sentences = keys.map((key) => {
			expect(messages[locale][key], `${locale} ${key}`).toBeTruthy();
			return say(locale, key);
		});
		expect(new Set(sentences).size, `${locale}: two codes share a sentence`).toBe(keys.length);
	}
}

describe('every server code has its own message (en and fr)', () => {
	it('§9 HTTP: each error code the API sends maps to its own sentence, not to its status (invite_used_up ≠ “not allowed”)', () => {
		const keys = HTTP_ERROR_CODES.map((code) => errorMessageKey(new ApiError(code, 'from the server', 403)));
		expect(keys).toEqual(HTTP_ERROR_CODES.map((code) => `error.${code}`));
		expectOwnSentences(keys);
		expect(say('en', errorMessageKey(new ApiError('invite_used_up', '', 403)))).not.toBe(say('en', 'error.forbidden'));
		expect(say('en', errorMessageKey(new ApiError('invite_expired', '', 403)))).not.toBe(say('en', 'error.forbidden'));
	});

	it('§9 receipts: each reason the rules give for a refusal has its own sentence', () => {
		expectOwnSentences(REASONS.map((reason) => `reason.${reason}` as const));
	});

	it('§9 closes: each code the sync server closes with is told, in its own words, or handled', () => {
		expectOwnSentences([...REFUSAL_CODES, ...SLOW_DOWN_CODES].map((code) => `close.${code}` as const));
		// The others: 4401 opens the revoked page, 4404 its own notice, 4429 a silent retry,
		// 1001 and 1011 a reconnection (the indicator says offline meanwhile).
		const handledElsewhere = [CLOSE.badToken, CLOSE.unknownRoom, CLOSE.tooMany, CLOSE.shutdown, CLOSE.serverError];
		const told = new Set<number>([...REFUSAL_CODES, ...SLOW_DOWN_CODES, ...handledElsewhere]);
		for (const code of Object.values(CLOSE)) expect(told.has(code), `close code ${code}`).toBe(true);
	});
});
