// GET /api/rounds/:rid/export.(csv|json|pb): facilitators always; members too in named rounds.
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
	filename: string;
	body: string;
}

export function exportRound(deps: RoundsDeps, req: IncomingMessage, roundId: string, format: ExportFormat): Download {
	const member = requireMember(deps.store, req, roundId);
	const { state } = deps.sequencer.runtime(roundId);
	if (member.role !== 'facilitator' && state.settings.transparency !== 'named') {
		throw new HttpError(403, 'forbidden', 'In an anonymous round only facilitators may export who funded what.');
	}
	const bucketsMap = deps.rooms.get(roundRoom(roundId), { kind: 'round', roundId }).doc.getMap<unknown>('buckets');
	const buckets = [...state.buckets.keys()].map((id) => {
		const bucket = bucketsMap.get(id);
		const title = bucket instanceof Y.Map ? bucket.get('title') : undefined;
		return { id: id as BucketId, title: typeof title === 'string' ? title : '' };
	});
	const round: RoundExport = {
		roundId,
		settings: state.settings,
		members: deps.store.accounts.members(roundId).map((m) => ({ id: m.id as MemberId, name: m.name, role: m.role })),
		buckets,
		ledger: deps.store.ledger.entries(roundId)
	};
	const { type, render } = FORMATS[format];
	const slug = state.settings.name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'round';
	return { type, filename: `tirelire-${slug}.${format}`, body: render(round) };
}
