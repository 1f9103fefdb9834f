// What a round shows to people outside it (DESIGN §13, the public transparency page) and to its
// members in an anonymous round: the transparency rule, in one place. Anonymous rounds never say
// who funded what: money moves carry no memberId, and a public copy names nobody.
import * as v from 'valibot';
import type { RoundExport } from './exports.js';
import { parseOutcomeSummary, type ResultsInput } from './results.js';
import { bucketIdSchema, ledgerEntrySchema, memberIdSchema, roundSettingsSchema } from './schemas.js';
import type { LedgerEntry, MemberId, RoundSettings } from './types.js';
import { visibleEntry } from './visibility.js';

/**
 * The round as a public file may carry it. Named rounds: as their members see it. Anonymous rounds,
 * read as a ledger (CSV, JSON): the funders hidden and no member listed, so no name appears
 * anywhere. Anonymous rounds read as ballots (`.pb`): every member replaced by a pseudonym numbered
 * in the order of their ballots, so that nothing (not the order of joining, not an id a member
 * could see in the round) ties a ballot to a person.
 */
export function publicRound(round: RoundExport, view: 'ledger' | 'ballots'): RoundExport {
	if (round.settings.transparency !== 'anonymous') return round;
	if (view === 'ledger') {
		return { ...round, members: [], ledger: round.ledger.map((entry) => visibleEntry('anonymous', entry)) };
	}
	const alias = pseudonyms(round.ledger);
	const rename = (id: MemberId) => alias.get(id) ?? id;
	return {
		...round,
		members: [...new Set(alias.values())].sort().map((id) => ({ id, name: '', role: 'member' as const })),
		ledger: round.ledger.map((entry) => (entry.memberId ? { ...entry, memberId: rename(entry.memberId) } : entry))
	};
}

/** memberId → `voter-0001`…, ordered by what each gave to which bucket (then nothing else a reader could know). */
function pseudonyms(ledger: readonly LedgerEntry[]): Map<MemberId, MemberId> {
	const given = new Map<MemberId, Map<string, number>>();
	for (const e of ledger) {
		if (!e.memberId) continue;
		let own = given.get(e.memberId);
		if (!own) given.set(e.memberId, (own = new Map()));
		if (e.bucketId && (e.type === 'contribute' || e.type === 'withdraw')) {
			own.set(e.bucketId, (own.get(e.bucketId) ?? 0) + (e.type === 'contribute' ? e.amount : -e.amount));
		}
	}
	const ballot = (own: Map<string, number>) =>
		[...own]
			.filter(([, amount]) => amount > 0)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.map(([bucket, amount]) => `${bucket}:${amount}`)
			.join(',');
	const keyed = [...given].map(([id, own]) => ({ id, key: ballot(own) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	return new Map(keyed.map(({ id }, i) => [id, `voter-${String(i + 1).padStart(4, '0')}` as MemberId]));
}

const publicPageSchema = v.object({
	version: v.literal(1),
	publishedAt: v.pipe(v.number(), v.safeInteger()),
	settings: roundSettingsSchema,
	buckets: v.array(v.object({ id: bucketIdSchema, title: v.string() })),
	members: v.array(v.object({ id: memberIdSchema, name: v.string() })),
	ledger: v.array(v.unknown()),
	outcomes: v.unknown()
});

/** What a public page reads (GET /api/public/<token>), ready for `resultsOf`. */
export interface PublicPage {
	publishedAt: number;
	settings: RoundSettings;
	input: ResultsInput;
}

/**
 * The public page's data as it came over the network: parsed, or null when its shape is wrong.
 * Ledger entries that do not parse are dropped (the replay then stops at the gap), a summary that
 * does not parse shows as "no comparison".
 */
export function parsePublicPage(value: unknown): PublicPage | null {
	const result = v.safeParse(publicPageSchema, value);
	if (!result.success) return null;
	const { publishedAt, settings, buckets, members, ledger, outcomes } = result.output;
	const entries = ledger.flatMap((entry) => {
		const parsed = v.safeParse(ledgerEntrySchema, entry);
		return parsed.success ? [parsed.output] : [];
	});
	return {
		publishedAt,
		settings,
		input: {
			ledger: entries,
			titles: new Map(buckets.map((b) => [b.id, b.title])),
			names: new Map(members.map((m) => [m.id, m.name])),
			outcomes: parseOutcomeSummary(outcomes)
		}
	};
}
