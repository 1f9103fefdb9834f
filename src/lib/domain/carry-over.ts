// What a new round of a group takes from the group's previous round (DESIGN §12). The one place
// that decides it: a feature with per-round data worth keeping year after year (tags, guidelines)
// adds its part to `CarriedOver` and fills it here from the previous round's state.
import type { Amount, RoundSettings, RoundState } from './types.js';

export interface NextRound {
	name: string;
	/** The new round's allocation; the previous round's when absent. */
	defaultAllocation?: Amount;
	/** Keep the previous round's cap per bucket, transparency and approval rule. */
	copySettings: boolean;
}

export interface CarriedOver {
	/** The settings the new round opens with (always in the proposing phase). */
	settings: RoundSettings;
}

export function carryOver(previous: RoundState, next: NextRound): CarriedOver {
	const before = previous.settings;
	return {
		settings: {
			name: next.name,
			currency: before.currency,
			locale: before.locale,
			phase: 'proposing',
			defaultAllocation: next.defaultAllocation ?? before.defaultAllocation,
			maxPerMemberPerBucket: next.copySettings ? before.maxPerMemberPerBucket : null,
			transparency: next.copySettings ? before.transparency : 'named',
			requireApproval: next.copySettings ? before.requireApproval : false,
			// Where the group meets does not change from one round to the next, like the currency.
			...(before.country ? { country: before.country } : {})
		}
	};
}
