// A bucket's goals from its budget items (DESIGN §3): minGoal = Σ min, maxGoal = Σ (max ?? min).
import type { Amount, BudgetItem } from './types.js';

/** A stretch `max` below its `min` counts as `min`, so maxGoal is never below minGoal. */
export function goalsFromItems(items: Iterable<Pick<BudgetItem, 'min' | 'max'>>): { minGoal: Amount; maxGoal: Amount } {
	let minGoal = 0;
	let maxGoal = 0;
	for (const { min, max } of items) {
		minGoal += min;
		maxGoal += max == null || max < min ? min : max;
	}
	return { minGoal: minGoal as Amount, maxGoal: maxGoal as Amount };
}
