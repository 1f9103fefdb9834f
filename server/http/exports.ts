// GET /api/rounds/:rid/export.(csv|json|pb): facilitators always; members too in named rounds.
// GET /api/rounds/:rid/me/history.csv: any member, its own money line by line, in every round.
import type { IncomingMessage } from 'node:http';
import * as Y from 'yjs';
import { exportFileName, toCsv, toHistoryCsv, toJson, toPabulib, type ExportBucket, type ExportKind, type RoundExport } from '../../src/lib/domain/exports.js';
import { memberHistory } from '../../src/lib/domain/history.js';
import type { BucketId, MemberCommand, MemberId, Receipt } from '../../src/lib/domain/types.js';
import { memberRoom, roundRoom } from '../sync/index.js';
import { requireMember } from './auth.js';
import { HttpError } from './respond.js';
import type { RoundsDeps } from './rounds.js';

export type ExportFormat = 'csv' | 'json' | 'pb';

const FORMATS: Record<ExportFormat, { type: string; render: (round: RoundExport) => string }> = {
	csv: { type: 'text/csv; charset=utf-8', render: toCsv },
	json: { type: 'application/json; charset=utf-8', render: toJson },
	pb: { type: 'text/plain; charset=utf-8', render: (round) => toPabulib(round) }
};

export interface Download {
	type: string;
	/** The file's name from the round's name (`exportFileName`): UTF-8, and its ASCII fallback. */
	filename: { utf8: string; ascii: string };
	body: string;
}

/** Every bucket the ledger knows, with its title from the round doc (empty if it has none). */
function bucketTitles(deps: RoundsDeps, roundId: string, ids: Iterable<string>): ExportBucket[] {
	const bucketsMap = deps.rooms.get(roundRoom(roundId), { kind: 'round', roundId }).doc.getMap<unknown>('buckets');
	return [...ids].map((id) => {
		const bucket = bucketsMap.get(id);
		const title = bucket instanceof Y.Map ? bucket.get('title') : undefined;
		return { id: id as BucketId, title: typeof title === 'string' ? title : '' };
	});
}

export function exportRound(deps: RoundsDeps, req: IncomingMessage, roundId: string, format: ExportFormat): Download {
	const member = requireMember(deps.store, req, roundId);
	const { state } = deps.sequencer.runtime(roundId);
	if (member.role !== 'facilitator' && state.settings.transparency !== 'named') {
		throw new HttpError(403, 'forbidden', 'In an anonymous round only facilitators may export who funded what.');
	}
	const round: RoundExport = {
		roundId,
		settings: state.settings,
		members: deps.store.accounts.members(roundId).map((m) => ({ id: m.id as MemberId, name: m.name, role: m.role })),
		buckets: bucketTitles(deps, roundId, state.buckets.keys()),
		ledger: deps.store.ledger.entries(roundId)
	};
	const { type, render } = FORMATS[format];
	return { type, filename: exportFileName(state.settings.name, format satisfies ExportKind), body: render(round) };
}

/**
 * The member's own history, as its "my money" page shows it: the server's ledger (which names the
 * member also in anonymous rounds) with the commands and receipts of its member doc. Only its own
 * lines: nothing about anyone else's money.
 */
export function exportHistory(deps: RoundsDeps, req: IncomingMessage, roundId: string): Download {
	const member = requireMember(deps.store, req, roundId);
	const { state } = deps.sequencer.runtime(roundId);
	const doc = deps.rooms.get(memberRoom(roundId, member.id), { kind: 'member', roundId, memberId: member.id }).doc;
	const rows = memberHistory({
		memberId: member.id as MemberId,
		ledger: deps.store.ledger.entries(roundId),
		commands: doc.getArray<MemberCommand>('commands').toArray(),
		receipts: doc.getArray<Receipt>('receipts').toArray()
	});
	const buckets = bucketTitles(deps, roundId, new Set(rows.flatMap((row) => (row.bucketId ? [row.bucketId] : []))));
	return {
		type: 'text/csv; charset=utf-8',
		filename: exportFileName(state.settings.name, 'history'),
		body: toHistoryCsv(rows, { currency: state.settings.currency, buckets })
	};
}

/** `Content-Disposition` for a download: the ASCII name, then the UTF-8 one (RFC 6266 / RFC 8187). */
export function contentDisposition({ utf8, ascii }: Download['filename']): string {
	const encoded = encodeURIComponent(utf8).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
