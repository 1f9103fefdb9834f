// GET /api/rounds/:rid/export.(csv|json|pb), export-buckets.csv, export-members.csv: facilitators
// always; members too in named rounds. Query options (PROTOCOL.md "Exports"): tz, country, budget.
// The public page's files (publications.ts) are rendered here too, from the same round data.
// GET /api/rounds/:rid/me/history.csv: any member, its own money line by line, in every round.
import type { IncomingMessage } from 'node:http';
import * as v from 'valibot';
import * as Y from 'yjs';
import {
	exportFileName,
	toBucketsCsv,
	toCsv,
	toHistoryCsv,
	toJson,
	toMembersCsv,
	type ExportBucket,
	type ExportKind,
	type RoundExport
} from '../../src/lib/domain/exports.js';
import { memberHistory } from '../../src/lib/domain/history.js';
import { toPabulib } from '../../src/lib/domain/pabulib.js';
import { COUNTRY_CODES } from '../../src/lib/domain/schemas.js';
import type { BucketId, MemberCommand, MemberId, Receipt } from '../../src/lib/domain/types.js';
import { memberRoom, roundRoom } from '../sync/index.js';
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

/** The query string of an export, parsed: every option is optional, anything else is refused. */
const exportQuerySchema = v.strictObject({
	tz: v.optional(v.pipe(v.string(), v.maxLength(64), v.check(knownTimeZone, 'tz: not a known IANA time zone (e.g. Europe/Paris).'))),
	country: v.optional(
		v.pipe(
			v.string(),
			v.transform((c) => (c === 'Worldwide' ? c : c.toUpperCase())),
			v.check((c) => c === 'Worldwide' || COUNTRY_CODES.has(c), 'country: an assigned ISO 3166-1 two-letter code (e.g. FR) or Worldwide.')
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
	/** Sent as an attachment under this name (`exportFileName`: UTF-8, and its ASCII fallback); absent: shown inline. */
	filename?: { utf8: string; ascii: string };
	body: string;
}

/** What an export says of the round besides its ledger: settings, people, buckets' titles. */
export async function roundHeadOf(deps: RoundsDeps, roundId: string): Promise<Omit<RoundExport, 'ledger'>> {
	const { state } = await deps.sequencer.runtime(roundId);
	const members = await deps.store.accounts.members(roundId);
	return {
		roundId,
		settings: state.settings,
		members: members.map((m) => ({ id: m.id as MemberId, name: m.name, role: m.role })),
		buckets: await bucketTitles(deps, roundId, state.buckets.keys())
	};
}

/** Every bucket the ledger knows, with its title from the round doc (empty if it has none). */
async function bucketTitles(deps: RoundsDeps, roundId: string, ids: Iterable<string>): Promise<ExportBucket[]> {
	const bucketsMap = (await deps.rooms.get(roundRoom(roundId), { kind: 'round', roundId })).doc.getMap<unknown>('buckets');
	return [...ids].map((id) => {
		const bucket = bucketsMap.get(id);
		const title = bucket instanceof Y.Map ? bucket.get('title') : undefined;
		return { id: id as BucketId, title: typeof title === 'string' ? title : '' };
	});
}

/** Everything an export reads, from the sequencer's state, the round doc's titles and the store. */
export async function roundExportOf(deps: RoundsDeps, roundId: string): Promise<RoundExport> {
	return { ...(await roundHeadOf(deps, roundId)), ledger: await deps.store.ledger.entries(roundId) };
}

export function renderExport(round: RoundExport, format: ExportFormat, query: ExportQuery = {}): Download {
	const { type, render } = FORMATS[format];
	return { type, filename: exportFileName(round.settings.name, format satisfies ExportKind), body: render(round, query) };
}

export async function exportRound(deps: RoundsDeps, req: IncomingMessage, roundId: string, format: ExportFormat): Promise<Download> {
	const member = await requireMember(deps.store, req, roundId);
	const { state } = await deps.sequencer.runtime(roundId);
	if (member.role !== 'facilitator' && state.settings.transparency !== 'named') {
		throw new HttpError(403, 'forbidden', 'In an anonymous round only facilitators may export who funded what.');
	}
	const query = queryOf(req);
	return renderExport(await roundExportOf(deps, roundId), format, query);
}

/**
 * The member's own history, as its "my money" page shows it: the server's ledger (which names the
 * member also in anonymous rounds) with the commands and receipts of its member doc. Only its own
 * lines: nothing about anyone else's money.
 */
export async function exportHistory(deps: RoundsDeps, req: IncomingMessage, roundId: string): Promise<Download> {
	const member = await requireMember(deps.store, req, roundId);
	const timeZone = queryOf(req).tz;
	const { state } = await deps.sequencer.runtime(roundId);
	const doc = (await deps.rooms.get(memberRoom(roundId, member.id), { kind: 'member', roundId, memberId: member.id })).doc;
	const ledger = await deps.store.ledger.entries(roundId);
	const rows = memberHistory({
		memberId: member.id as MemberId,
		ledger,
		commands: doc.getArray<MemberCommand>('commands').toArray(),
		receipts: doc.getArray<Receipt>('receipts').toArray()
	});
	const buckets = await bucketTitles(deps, roundId, new Set(rows.flatMap((row) => (row.bucketId ? [row.bucketId] : []))));
	return {
		type: 'text/csv; charset=utf-8',
		filename: exportFileName(state.settings.name, 'history'),
		body: toHistoryCsv(rows, { settings: state.settings, buckets }, { timeZone })
	};
}

/** `Content-Disposition` for a download: the ASCII name, then the UTF-8 one (RFC 6266 / RFC 8187). */
export function contentDisposition({ utf8, ascii }: NonNullable<Download['filename']>): string {
	const encoded = encodeURIComponent(utf8).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
