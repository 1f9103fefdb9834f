// A bucket's goals from its budget items (DESIGN §3): minGoal = Σ min, maxGoal = Σ (max ?? min).
import type { Amount, BudgetItem } from './types.js';

type Item = Pick<BudgetItem, 'min' | 'max'>;

/**
 * The goals exactly as the items say them: an item's stretch below its need is not corrected
 * here, so that a bucket whose stretch total falls below its needed total reaches `setGoals` as
 * such and is refused with a reason (stretch_below_needed) instead of being quietly changed.
 */
export function goalsFromItems(items: Iterable<Item>): { minGoal: Amount; maxGoal: Amount } {
	let minGoal = 0;
	let maxGoal = 0;
	for (const { min, max } of items) {
		minGoal += min;
		maxGoal += max ?? min;
	}
	return { minGoal: minGoal as Amount, maxGoal: maxGoal as Amount };
}

/** Whether an item asks for a stretch amount below what it needs (a form shows it at that item). */
export function stretchBelowNeeded(item: Item): boolean {
	return item.max != null && item.max < item.min;
}

/**
 * Whether the items, as written in the round doc, are the budget in effect: their goals are the
 * server's. Otherwise the server refused them (or has not judged them yet, or ignores them because
 * the bucket's goals are frozen since it was funded), and a page that shows the items must say
 * that the server's goals stand.
 */
export function itemsInEffect(items: Iterable<Item>, goals: { minGoal: Amount; maxGoal: Amount }): boolean {
	const written = goalsFromItems(items);
	return written.minGoal === goals.minGoal && written.maxGoal === goals.maxGoal;
}
