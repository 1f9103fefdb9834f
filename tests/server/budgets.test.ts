import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGETS, budgetsFromEnv } from '../../server/sync/budgets.js';

describe('budgetsFromEnv', () => {
	it('reads whole numbers and rates; leaves the rest to the defaults', () => {
		expect(budgetsFromEnv({})).toEqual({});
		expect(
			budgetsFromEnv({ MAX_SOCKETS_PER_MEMBER: '8', COMMENTS_PER_MINUTE: '5/2', MAX_CLIENTS_PER_MEMBER: '16' })
		).toEqual({
			socketsPerMember: 8,
			comments: { burst: 5, perMinute: 2 },
			clientsPerMember: { burst: 16, perMinute: DEFAULT_BUDGETS.clientsPerMember.perMinute }
		});
	});

	it('refuses anything else with a sentence naming the variable', () => {
		expect(() => budgetsFromEnv({ MAX_SOCKETS_PER_MEMBER: '-1' })).toThrow(/MAX_SOCKETS_PER_MEMBER must be a whole number/);
		expect(() => budgetsFromEnv({ MAX_SOCKETS_PER_MEMBER: '3/4' })).toThrow(/whole number, not "3\/4"/);
		expect(() => budgetsFromEnv({ BUCKETS_PER_MINUTE: 'many' })).toThrow(/N\/M/);
	});
});
