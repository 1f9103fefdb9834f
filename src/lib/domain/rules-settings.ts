// Rules that take settings from a command: open, configure (DESIGN §3). They check them with the
// schemas, which is why they stand apart: the browser's preview decides without them.
import * as v from 'valibot';
import { accept, draft, refuse, takesMoney, type Context } from './decision.js';
import { roundSettingsSchema, settingsPatchSchema } from './schemas.js';
import type { Command, Decision, RoundState } from './types.js';

type Of<T extends Command['type']> = Extract<Command, { type: T }>;

/** open (system): the round's first entry (seq 1) with complete, valid settings. */
export function open(state: RoundState, command: Of<'open'>, ctx: Context): Decision {
	if (state.seq !== 0 || !v.is(roundSettingsSchema, command.settings)) return refuse('invalid');
	return accept([draft(ctx, 'open', { settings: { ...command.settings } })]);
}

/** Some bucket holds money right now (refunded money went back, so it does not count). */
function holdsMoney(state: RoundState): boolean {
	for (const bucket of state.buckets.values()) if (bucket.total > 0) return true;
	return false;
}

/** Some member has more than `cap` in a bucket that still takes money. */
function exceeds(state: RoundState, cap: number): boolean {
	for (const [bucketId, byMember] of state.contributions) {
		const bucket = state.buckets.get(bucketId);
		if (!bucket || !takesMoney(bucket.status)) continue;
		for (const own of byMember.values()) if (own > cap) return true;
	}
	return false;
}

/**
 * configure (facilitator): a valid patch of known settings. The currency is locked while any
 * bucket holds money (its amounts would change meaning: currency_locked). The per-member cap may
 * not drop below what someone already has in a bucket that still takes money
 * (cap_below_contributions). defaultAllocation only affects later joiners. Transparency only
 * moves toward privacy once money moved: naming funders then would tell who gave what under the
 * promise of anonymity (transparency_locked); anonymous is always allowed.
 */
export function configure(state: RoundState, command: Of<'configure'>, ctx: Context): Decision {
	const patch = command.settings;
	if (!v.is(settingsPatchSchema, patch)) return refuse('invalid');
	if (patch.currency !== undefined && patch.currency !== state.settings.currency && holdsMoney(state)) {
		return refuse('currency_locked');
	}
	if (patch.transparency === 'named' && state.settings.transparency === 'anonymous' && state.contributed) {
		return refuse('transparency_locked');
	}
	const cap = patch.maxPerMemberPerBucket;
	if (cap !== undefined && cap !== null && exceeds(state, cap)) return refuse('cap_below_contributions');
	return accept([draft(ctx, 'configure', { settings: { ...patch } })]);
}
