// GET /api/rounds/:rid/export.(csv|json|pb): facilitators always; members too in named rounds.
// The public page's files (publications.ts) are rendered here too, from the same round data.
import type { IncomingMessage } from 'node:http';
import * as Y from 'yjs';
import { toCsv, toJson, toPabulib, type RoundExport } from '../../src/lib/domain/exports.js';
import type { BucketId, MemberId } from '../../src/lib/domain/types.js';
import { roundRoom } from '../sync/index.js';
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

export function renderExport(round: RoundExport, format: ExportFormat): Download {
	const { type, render } = FORMATS[format];
	const slug = round.settings.name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'round';
	return { type, filename: `tirelire-${slug}.${format}`, body: render(round) };
}

export function exportRound(deps: RoundsDeps, req: IncomingMessage, roundId: string, format: ExportFormat): Download {
	const member = requireMember(deps.store, req, roundId);
	const { state } = deps.sequencer.runtime(roundId);
	if (member.role !== 'facilitator' && state.settings.transparency !== 'named') {
		throw new HttpError(403, 'forbidden', 'In an anonymous round only facilitators may export who funded what.');
	}
	return renderExport(roundExportOf(deps, roundId), format);
}
