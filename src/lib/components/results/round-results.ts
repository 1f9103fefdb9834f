import { resultsOf, type RoundResults } from '$lib/domain/results';
import type { RoundView } from '$lib/state/round.svelte';

/**
 * A member's view of the results, from the local documents only (so it opens offline): the ledger
 * replica, titles, names, and the comparison the server wrote at close.
 */
export function roundResults(round: Pick<RoundView, 'ledger' | 'buckets' | 'members' | 'settings' | 'outcomes'>): RoundResults {
	return resultsOf({
		ledger: round.ledger,
		titles: new Map(round.buckets.map((b) => [b.id, b.title])),
		names: new Map([...round.members].map(([id, m]) => [id, m.name])),
		outcomes: round.settings?.phase === 'closed' ? round.outcomes : null
	});
}
