// The public transparency page (DESIGN §13): a facilitator publishes a round at an unguessable
// link, revokes it, publishes again under a new one. Anyone with the link, no token, reads the
// results and the files, cut to what the round's transparency rule lets outsiders see.
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { publicRound } from '../../src/lib/domain/publication.js';
import { summarizeOutcomes } from '../../src/lib/domain/results.js';
import type { Log } from '../log.js';
import { requireFacilitator } from './auth.js';
import { renderExport, roundHeadOf, type Download, type ExportFormat } from './exports.js';
import type { RoundExport } from '../../src/lib/domain/exports.js';
import { HttpError } from './respond.js';
import type { RoundsDeps } from './rounds.js';
import type { PublicationRow } from '../store/index.js';

export type PublicationDeps = RoundsDeps & { log: Log };

/** A public link's token: 128 random bits, base64url (22 characters). */
export const PUBLIC_TOKEN = /^[A-Za-z0-9_-]{22}$/;

const newPublicToken = () => randomBytes(16).toString('base64url');

const view = (publicUrl: string) => (row: PublicationRow) => ({
	token: row.token,
	url: `${publicUrl}/p/${row.token}`,
	createdAt: row.createdAt,
	createdBy: row.createdBy
});

export async function publication({ store, publicUrl }: PublicationDeps, req: IncomingMessage, roundId: string) {
	await requireFacilitator(store, req, roundId);
	const live = await store.publications.live(roundId);
	return { publication: live ? view(publicUrl)(live) : null };
}

/** Publishes the round; a round already published keeps its link (200), a new one is 201. */
export async function publish(deps: PublicationDeps, req: IncomingMessage, roundId: string): Promise<[number, unknown]> {
	const { store } = deps;
	const facilitator = await requireFacilitator(store, req, roundId);
	// Found unpublished and published in one transaction: two facilitators publishing at once get
	// one link. A database that runs transactions side by side must lock the round's row (FOR
	// UPDATE) before reading its live link, or the second insert breaks the one-live-link index.
	const [row, existing] = await store.transaction(async () => {
		const live = await store.publications.live(roundId);
		if (live) return [live, true] as const;
		return [await store.publications.publish(roundId, newPublicToken(), facilitator.id, Date.now()), false] as const;
	});
	if (existing) return [200, { publication: view(deps.publicUrl)(row) }];
	deps.log('info', 'round published', { roundId, by: facilitator.id });
	return [201, { publication: view(deps.publicUrl)(row) }];
}

export async function unpublish(deps: PublicationDeps, req: IncomingMessage, roundId: string) {
	const facilitator = await requireFacilitator(deps.store, req, roundId);
	if (!(await deps.store.publications.revoke(roundId, facilitator.id, Date.now()))) {
		throw new HttpError(404, 'not_published', 'This round has no public page to revoke.');
	}
	deps.log('info', 'round publication revoked', { roundId, by: facilitator.id });
	return { publication: null };
}

/** The live publication of a token: 404 for a token that never was one, 410 for a revoked link. */
async function livePublication(deps: PublicationDeps, token: string): Promise<PublicationRow> {
	const row = PUBLIC_TOKEN.test(token) ? await deps.store.publications.byToken(token) : undefined;
	if (!row) throw new HttpError(404, 'unknown_publication', 'There is no public page at this link.');
	if (row.revokedAt !== null) throw new HttpError(410, 'publication_revoked', 'This public page was withdrawn by the round’s facilitators.');
	return row;
}

/**
 * Renders are kept per round while its ledger, settings, titles and names stay the same: a public
 * link may be opened by a whole city, and Equal Shares on a large round is not free.
 */
const CACHE_SIZE = 64;

export function publicPages(deps: PublicationDeps) {
	const cache = new Map<string, { version: string; files: Map<string, Download> }>();

	async function cached(roundId: string, key: string, make: (round: RoundExport) => Download): Promise<Download> {
		const { state } = await deps.sequencer.runtime(roundId);
		const head = await roundHeadOf(deps, roundId);
		const version = JSON.stringify([state.seq, head]);
		let entry = cache.get(roundId);
		if (!entry || entry.version !== version) {
			entry = { version, files: new Map() };
			cache.delete(roundId);
			cache.set(roundId, entry);
			if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
		}
		let file = entry.files.get(key);
		if (file) return file;
		// Only the entries the version counts: the ledger may have grown while this was read, and a
		// file cached under an older seq must not show more than that seq.
		const ledger = (await deps.store.ledger.entries(roundId)).filter((e) => e.seq <= state.seq);
		file = make({ ...head, ledger });
		// The entry may have been replaced by a newer version while the ledger was read.
		if (cache.get(roundId) === entry) entry.files.set(key, file);
		return file;
	}

	return {
		/** GET /api/public/:token: what the public page shows, as JSON. */
		async page(token: string): Promise<Download> {
			const row = await livePublication(deps, token);
			return cached(row.roundId, 'page', (full) => {
				const shown = publicRound(full, 'ledger');
				const closed = full.settings.phase === 'closed';
				const body = {
					version: 1,
					publishedAt: row.createdAt,
					settings: shown.settings,
					buckets: shown.buckets,
					members: shown.members.map(({ id, name }) => ({ id, name })),
					ledger: shown.ledger,
					outcomes: closed ? summarizeOutcomes(full.ledger) : null
				};
				return { type: 'application/json; charset=utf-8', body: JSON.stringify(body) };
			});
		},
		/** GET /api/public/:token/export.(csv|json|pb). */
		async file(token: string, format: ExportFormat): Promise<Download> {
			const row = await livePublication(deps, token);
			return cached(row.roundId, format, (full) => renderExport(publicRound(full, format === 'pb' ? 'ballots' : 'ledger'), format));
		}
	};
}
