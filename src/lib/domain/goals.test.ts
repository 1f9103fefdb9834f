import { describe, expect, it } from 'vitest';
import { goalsFromItems, itemsInEffect, stretchBelowNeeded } from './goals.js';
import type { Amount } from './types.js';

const item = (min: number, max?: number | null) => ({ min: min as Amount, max: max as Amount | null | undefined });

describe('goalsFromItems', () => {
	it('§3 minGoal = Σ min, maxGoal = Σ (max ?? min)', () => {
		expect(goalsFromItems([item(1000, 1500), item(200), item(300, null)])).toEqual({ minGoal: 1500, maxGoal: 2000 });
	});

	it('a max below its min is not corrected: the stretch total falls below the need, for setGoals to refuse', () => {
		expect(goalsFromItems([item(1000, 400)])).toEqual({ minGoal: 1000, maxGoal: 400 });
		expect(stretchBelowNeeded(item(1000, 400))).toBe(true);
		expect(stretchBelowNeeded(item(1000, null))).toBe(false);
		expect(stretchBelowNeeded(item(1000, 1000))).toBe(false);
	});

	it('no items: no budget', () => {
		expect(goalsFromItems([])).toEqual({ minGoal: 0, maxGoal: 0 });
	});

	it('budget governance: items whose goals are not the server’s are not in effect, whatever the bucket’s status', () => {
		const goals = { minGoal: 10_000 as Amount, maxGoal: 10_000 as Amount };
		expect(itemsInEffect([{ min: 10_000 as Amount, max: null }], goals)).toBe(true);
		// A cut below the total, refused by the server: the table says 20, the goal stays 100.
		expect(itemsInEffect([{ min: 2_000 as Amount, max: null }], goals)).toBe(false);
		expect(itemsInEffect([{ min: 10_000 as Amount, max: 5_000 as Amount }], goals)).toBe(false);
	});
});

