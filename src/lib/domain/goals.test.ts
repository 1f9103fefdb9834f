import { describe, expect, it } from 'vitest';
import { goalsFromItems } from './goals.js';
import type { Amount } from './types.js';

const item = (min: number, max?: number | null) => ({ min: min as Amount, max: max as Amount | null | undefined });

describe('goalsFromItems', () => {
	it('§3 minGoal = Σ min, maxGoal = Σ (max ?? min)', () => {
		expect(goalsFromItems([item(1000, 1500), item(200), item(300, null)])).toEqual({ minGoal: 1500, maxGoal: 2000 });
	});

	it('a max below its min counts as the min', () => {
		expect(goalsFromItems([item(1000, 400)])).toEqual({ minGoal: 1000, maxGoal: 1000 });
	});

	it('no items: no budget', () => {
		expect(goalsFromItems([])).toEqual({ minGoal: 0, maxGoal: 0 });
	});
});
