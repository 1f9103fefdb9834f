import { describe, expect, it } from 'vitest';
import { carryOver } from './carry-over.js';
import { emptyState } from './state.js';
import type { Amount, RoundState } from './types.js';

function previous(): RoundState {
	const state = emptyState();
	state.settings = {
		name: 'Assemblée 2026',
		currency: 'CHF',
		locale: 'fr-CH',
		phase: 'closed',
		defaultAllocation: 4_000 as Amount,
		maxPerMemberPerBucket: 1_000 as Amount,
		transparency: 'anonymous',
		requireApproval: true,
		country: 'CH'
	};
	return state;
}

describe('§12 carry-over to a group’s next round', () => {
	it('§12 copied settings: cap, transparency and approval kept; a new name, the proposing phase', () => {
		expect(carryOver(previous(), { name: 'Assemblée 2027', copySettings: true }).settings).toEqual({
			...previous().settings,
			name: 'Assemblée 2027',
			phase: 'proposing'
		});
	});

	it('§12 not copied: the defaults of a new round, with the group’s currency, locale, country and the given allocation', () => {
		expect(carryOver(previous(), { name: 'B', copySettings: false, defaultAllocation: 50 as Amount }).settings).toEqual({
			name: 'B',
			currency: 'CHF',
			locale: 'fr-CH',
			phase: 'proposing',
			defaultAllocation: 50,
			maxPerMemberPerBucket: null,
			transparency: 'named',
			requireApproval: false,
			country: 'CH'
		});
	});

	it('§12 a round without a country opens the next one without it', () => {
		const before = previous();
		delete before.settings.country;
		expect(carryOver(before, { name: 'C', copySettings: true }).settings).not.toHaveProperty('country');
	});
});
