import { describe, expect, it } from 'vitest';
import { quickAmounts } from './quick-amounts';

const amounts = (list: { amount: number }[]) => list.map((q) => q.amount);

describe('quickAmounts', () => {
	it('a quarter and a half of the balance, and what the goal still needs, when nothing else binds', () => {
		expect(quickAmounts(5000, 3000, 5000, 100)).toEqual([
			{ amount: 1200, allLeft: false },
			{ amount: 2500, allLeft: false },
			{ amount: 3000, allLeft: false }
		]);
	});

	it('§3 never more than would be accepted: 10 € left before the stretch goal gives one “all that’s left” button', () => {
		expect(quickAmounts(9000, 0, 1000, 100)).toEqual([{ amount: 1000, allLeft: true }]);
	});

	it('§3 capped suggestions collapse into one, zeros dropped, smaller ones kept', () => {
		expect(quickAmounts(8000, 0, 2500, 100)).toEqual([
			{ amount: 2000, allLeft: false },
			{ amount: 2500, allLeft: true }
		]);
		expect(quickAmounts(8000, 5000, 0, 100)).toEqual([]);
		expect(quickAmounts(0, 5000, 0, 100)).toEqual([]);
	});

	it('§3 a balance smaller than one unit is offered as it is, never more', () => {
		expect(amounts(quickAmounts(60, 4000, 60, 100))).toEqual([60]);
	});

	it('offers the rest of the room when it is larger than the suggestions but below the balance', () => {
		expect(quickAmounts(8000, 0, 7000, 100)).toEqual([
			{ amount: 2000, allLeft: false },
			{ amount: 4000, allLeft: false },
			{ amount: 7000, allLeft: true }
		]);
	});
});
