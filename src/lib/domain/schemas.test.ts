import { describe, expect, it } from 'vitest';
import {
	parseCommand,
	parseCreateInviteBody,
	parseCreateRoundBody,
	parseJoinBody,
	parseLedgerEntry,
	parseReceipt,
	parseWith,
	systemCommandSchema
} from './schemas.js';

const id = 'cmd_0123456789';
const bucketId = 'bucket-abcdefgh';

describe('parseCommand', () => {
	it('accepts every member command shape and strips unknown fields', () => {
		const commands = [
			{ type: 'contribute', bucketId, amount: 1250 },
			{ type: 'withdraw', bucketId, amount: 1 },
			{ type: 'publish', bucketId },
			{ type: 'addOwner', bucketId, memberId: 'member-0123' },
			{ type: 'complete', bucketId },
			{ type: 'approve', bucketId },
			{ type: 'cancel', bucketId },
			{ type: 'allocate', memberId: 'member-0123', amount: 0, mode: 'set' },
			{ type: 'configure', settings: { maxPerMemberPerBucket: null, locale: 'fr-FR' } },
			{ type: 'setPhase', phase: 'funding' },
			{ type: 'markPaid', bucketId }
		];
		for (const body of commands) {
			const parsed = parseCommand({ ...body, id, at: 1_700_000_000_000, extra: 'dropped' });
			expect(parsed, body.type).toEqual({ ok: true, command: { ...body, id, at: 1_700_000_000_000 } });
		}
	});

	it('refuses bad ids, amounts and types with code invalid and a message naming the field', () => {
		const cases: [unknown, RegExp][] = [
			[{ id: 'short', at: 0, type: 'publish', bucketId }, /^id: must be 10 to 64/],
			[{ id, at: 0, type: 'contribute', bucketId, amount: 12.5 }, /amount: must be a whole number/],
			[{ id, at: 0, type: 'contribute', bucketId, amount: -1 }, /amount: must not be negative/],
			[{ id, at: 0, type: 'contribute', bucketId, amount: 0 }, /amount: must be at least 1/],
			[{ id, at: 0, type: 'contribute', bucketId, amount: 2 ** 53 }, /amount/],
			[{ id, at: 0, type: 'join', memberId: 'member-0123' }, /type/],
			[{ id, at: 0, type: 'configure', settings: { phase: 'closed' } }, /phase/],
			[{ id, at: 0, type: 'configure', settings: {} }, /at least one/],
			[{ id, at: 0, type: 'configure', settings: { currency: 'ZZZ' } }, /currency: is not a currency/],
			[null, /Object/]
		];
		for (const [input, message] of cases) {
			const parsed = parseCommand(input);
			expect(parsed.ok, JSON.stringify(input)).toBe(false);
			if (!parsed.ok) {
				expect(parsed.error.code).toBe('invalid');
				expect(parsed.error.message).toMatch(message);
			}
		}
	});

	it('§5 configure country: an assigned ISO 3166-1 alpha-2 code, or null to clear it', () => {
		for (const country of ['BE', 'FR', 'CI', 'ZW', null]) {
			expect(parseCommand({ id, at: 0, type: 'configure', settings: { country } }), String(country)).toEqual({
				ok: true,
				command: { id, at: 0, type: 'configure', settings: { country } }
			});
		}
		const refused: [unknown, RegExp][] = [
			['be', /country: must be an ISO 3166-1 alpha-2 code/],
			['BEL', /country: must be an ISO 3166-1 alpha-2 code/],
			['', /country: must be an ISO 3166-1 alpha-2 code/],
			['B', /country: must be an ISO 3166-1 alpha-2 code/],
			// Region codes Intl knows that name no country.
			['EU', /country: is not an assigned ISO 3166-1 country code/],
			['XK', /country: is not an assigned ISO 3166-1 country code/],
			['ZZ', /country: is not an assigned ISO 3166-1 country code/],
			[32, /country/],
			[['BE'], /country/]
		];
		for (const [country, message] of refused) {
			const parsed = parseCommand({ id, at: 0, type: 'configure', settings: { country } });
			expect(parsed.ok, JSON.stringify(country)).toBe(false);
			if (!parsed.ok) expect(parsed.error.message).toMatch(message);
		}
	});

	it('system commands have their own schema; setGoals leaves a stretch below the need to the rule', () => {
		expect(parseWith(systemCommandSchema, { id, at: 0, type: 'setGoals', bucketId, minGoal: 5, maxGoal: -4 }).ok).toBe(false);
		expect(parseWith(systemCommandSchema, { id, at: 0, type: 'setGoals', bucketId, minGoal: 5, maxGoal: 4 }).ok).toBe(true);
		expect(parseWith(systemCommandSchema, { id, at: 0, type: 'setGoals', bucketId, minGoal: 5, maxGoal: 5 }).ok).toBe(true);
	});
});

describe('HTTP bodies (DESIGN §5)', () => {
	const round = { name: ' Fête ', currency: 'EUR', defaultAllocation: 5000, facilitatorName: 'Ana' };

	it('createRoundBody: trimmed names of bounded length, a known currency, an amount', () => {
		expect(parseCreateRoundBody(round)).toEqual({ ok: true, value: { ...round, name: 'Fête' } });
		expect(parseCreateRoundBody({ ...round, name: '   ' }).ok).toBe(false);
		expect(parseCreateRoundBody({ ...round, name: 'x'.repeat(121) }).ok).toBe(false);
		expect(parseCreateRoundBody({ ...round, facilitatorName: 'x'.repeat(401) }).ok).toBe(false);
		expect(parseCreateRoundBody({ ...round, currency: 'eur' }).ok).toBe(false);
		expect(parseCreateRoundBody({ ...round, currency: 'ABC' }).ok).toBe(false);
		expect(parseCreateRoundBody({ ...round, defaultAllocation: '50' }).ok).toBe(false);
		expect(parseCreateRoundBody({ ...round, locale: 'not a locale' }).ok).toBe(false);
		expect(parseCreateRoundBody({ ...round, transparency: 'anonymous', locale: 'fr-FR', maxPerMemberPerBucket: null, requireApproval: true }).ok).toBe(true);
	});

	it('createInviteBody and joinBody', () => {
		expect(parseCreateInviteBody({})).toEqual({ ok: true, value: {} });
		expect(parseCreateInviteBody({ role: 'facilitator', uses: 3, expiresAt: 1_800_000_000_000 }).ok).toBe(true);
		expect(parseCreateInviteBody({ uses: 0 }).ok).toBe(false);
		expect(parseCreateInviteBody({ role: 'admin' }).ok).toBe(false);
		expect(parseJoinBody({ code: 'abcDEF_-12', name: 'Bob' })).toEqual({ ok: true, value: { code: 'abcDEF_-12', name: 'Bob' } });
		expect(parseJoinBody({ code: 'a b', name: 'Bob' }).ok).toBe(false);
		expect(parseJoinBody({ code: 'abc', name: 5 }).ok).toBe(false);
	});
});

describe('stored data', () => {
	it('ledger entries: signed amounts only as integers; receipts', () => {
		expect(parseLedgerEntry({ seq: 3, at: 5, type: 'allocate', memberId: 'member-0123', amount: -500, commandId: id }).ok).toBe(true);
		expect(parseLedgerEntry({ seq: 0, at: 5, type: 'allocate', amount: 1 }).ok).toBe(false);
		expect(parseLedgerEntry({ seq: 1, at: 5, type: 'bogus', amount: 1 }).ok).toBe(false);
		expect(parseReceipt({ commandId: id, ok: false, reason: 'bucket_full' }).ok).toBe(true);
		expect(parseReceipt({ commandId: id, ok: false, reason: 'nope' }).ok).toBe(false);
	});
});
