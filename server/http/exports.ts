// GET /api/rounds/:rid/export.(csv|json|pb), export-buckets.csv, export-members.csv: facilitators
// always; members too in named rounds. Query options (PROTOCOL.md "Exports"): tz, country, budget.
// The public page's files (publications.ts) are rendered here too, from the same round data.
import type { IncomingMessage } from 'node:http';
import * as v from 'valibot';
import * as Y from 'yjs';
import { toBucketsCsv, toCsv, toJson, toMembersCsv, type RoundExport } from '../../src/lib/domain/exports.js';
import { toPabulib } from '../../src/lib/domain/pabulib.js';
import type { BucketId, MemberId } from '../../src/lib/domain/types.js';
import { roundRoom } from '../sync/index.js';
import { requireMember } from './auth.js';
import { HttpError } from './respond.js';
import type { RoundsDeps } from './rounds.js';

export type ExportFormat = 'csv' | 'json' | 'pb' | 'buckets.csv' | 'members.csv';

const knownTimeZone = (zone: string) => {
	try {
		new Intl.DateTimeFormat('en', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
};
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const countryName = (code: string) => {
	const upper = code.toUpperCase();
	const name = regionNames.of(upper);
	return name && name !== upper ? name : undefined;
};

/** The query string of an export, parsed: every option is optional, anything else is refused. */
const exportQuerySchema = v.strictObject({
	tz: v.optional(v.pipe(v.string(), v.maxLength(64), v.check(knownTimeZone, 'tz: not a known IANA time zone (e.g. Europe/Paris).'))),
	country: v.optional(
		v.pipe(
			v.string(),
			v.check((c) => c === 'Worldwide' || (/^[A-Za-z]{2}$/.test(c) && countryName(c) !== undefined), 'country: an ISO 3166 two-letter code (e.g. FR) or Worldwide.'),
			v.transform((c) => (c === 'Worldwide' ? c : (countryName(c) as string)))
		)
	),
	budget: v.optional(v.picklist(['funded', 'pool'], 'budget: funded or pool.'))
});
type ExportQuery = v.InferOutput<typeof exportQuerySchema>;

function queryOf(req: IncomingMessage): ExportQuery {
	const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
	const raw: Record<string, string> = {};
	for (const [key, value] of params) {
		if (key in raw) throw new HttpError(400, 'invalid', `${key}: given twice.`);
		raw[key] = value;
	}
	const result = v.safeParse(exportQuerySchema, raw);
	if (!result.success) throw new HttpError(400, 'invalid', result.issues.map((issue) => issue.message).join(' '));
	return result.output;
}

const FORMATS: Record<ExportFormat, { type: string; render: (round: RoundExport, query: ExportQuery) => string }> = {
	csv: { type: 'text/csv; charset=utf-8', render: (round, q) => toCsv(round, { timeZone: q.tz }) },
	'buckets.csv': { type: 'text/csv; charset=utf-8', render: toBucketsCsv },
	'members.csv': { type: 'text/csv; charset=utf-8', render: toMembersCsv },
	json: { type: 'application/json; charset=utf-8', render: (round) => toJson(round) },
	pb: {
		type: 'text/plain; charset=utf-8',
		render: (round, q) => toPabulib(round, { timeZone: q.tz, country: q.country, budget: q.budget })
	}
};

export interface Download {
	type: string;
	/** Sent as an attachment under this name; absent: shown inline. */
	filename?: string;
	body: string;
}

/** What an export says of the round besides its ledger: settings, people, buckets' titles. */
export function roundHeadOf(deps: RoundsDeps, roundId: string): Omit<RoundExport, 'ledger'> {
	const { state } = deps.sequencer.runtime(roundId);
	const bucketsMap = deps.rooms.get(roundRoom(roundId), { kind: 'round', roundId }).doc.getMap<unknown>('buckets');
	const buckets = [...state.buckets.keys()].map((id) => {
		const bucket = bucketsMap.get(id);
		const title = bucket instanceof Y.Map ? bucket.get('title') : undefined;
		return { id: id as BucketId, title: typeof title === 'string' ? title : '' };
	});
	return {
		roundId,
		settings: state.settings,
		members: deps.store.accounts.members(roundId).map((m) => ({ id: m.id as MemberId, name: m.name, role: m.role })),
		buckets
	};
}

/** Everything an export reads, from the sequencer's state, the round doc's titles and SQLite. */
export function roundExportOf(deps: RoundsDeps, roundId: string): RoundExport {
	return { ...roundHeadOf(deps, roundId), ledger: deps.store.ledger.entries(roundId) };
}

export function renderExport(round: RoundExport, format: ExportFormat, query: ExportQuery = {}): Download {
	const { type, render } = FORMATS[format];
	const slug = round.settings.name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'round';
	const file = format === 'buckets.csv' || format === 'members.csv' ? `${slug}-${format}` : `${slug}.${format}`;
	return { type, filename: `tirelire-${file}`, body: render(round, query) };
}

export function exportRound(deps: RoundsDeps, req: IncomingMessage, roundId: string, format: ExportFormat): Download {
	const member = requireMember(deps.store, req, roundId);
	const { state } = deps.sequencer.runtime(roundId);
	if (member.role !== 'facilitator' && state.settings.transparency !== 'named') {
		throw new HttpError(403, 'forbidden', 'In an anonymous round only facilitators may export who funded what.');
	}
	return renderExport(roundExportOf(deps, roundId), format, queryOf(req));
}
