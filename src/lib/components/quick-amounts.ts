/** A suggested amount; `allLeft` marks the one that takes everything the bucket (or cap) still allows. */
export interface QuickAmount {
	amount: number;
	allLeft: boolean;
}

/**
 * Suggestions for the funding form: a quarter and a half of the balance (in whole units) and what
 * the goal still needs, each capped at `limit` — the most a contribution would be accepted for
 * now (see Preview.limits) — so that no button offers money the bucket would hand back. Zeros and
 * duplicates are dropped. When something other than the balance binds (the stretch goal, the
 * per-member cap), `limit` itself is offered as "all that's left".
 */
export function quickAmounts(balance: number, needed: number, limit: number, unit: number): QuickAmount[] {
	const whole = (n: number) => Math.max(unit, Math.floor(n / unit) * unit);
	const wanted = [whole(balance / 4), whole(balance / 2)];
	if (needed > 0) wanted.push(needed);
	const capped = wanted.map((n) => Math.min(n, limit, balance));
	if (limit < balance) capped.push(limit);
	return [...new Set(capped)]
		.filter((n) => n > 0)
		.sort((a, b) => a - b)
		.map((amount) => ({ amount, allLeft: amount === limit && limit < balance }));
}
