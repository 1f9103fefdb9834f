// Failures of the store that say nothing about the request: the database cannot be reached (down,
// restarting, out of connections). The HTTP layer answers them 503 `store_unavailable`, so that a
// client retries instead of reading a refusal; the SQLite store, in-process, never throws them.

/** The database did not answer; what was asked may be asked again. */
export class StoreUnavailable extends Error {
	override readonly name = 'StoreUnavailable';
}
