// What one member, one connection and one message may cost the server (docs/PROTOCOL.md §2
// Budgets). Every budget is refused before the work it bounds is done, so an attacker pays for
// reading its own message and honest members pay nothing. Defaults live here; `startServer` takes
// overrides and `budgetsFromEnv` reads the documented environment variables.

export interface Rate {
	/** Events allowed at once. */
	burst: number;
	/** Refill per minute. */
	perMinute: number;
}

export interface Budgets {
	/** Largest WebSocket message in bytes (4413; 1009 above twice it). */
	maxMessageBytes: number;
	/** Messages per second on one connection, sustained, and the burst (4429). */
	messagesPerSecond: number;
	messageBurst: number;
	/** New Yjs clientIDs a member may write into a round's documents (4420); presence-only clientIDs are not counted. */
	clientsPerMember: Rate;
	/** Structs in one update (4421). */
	structsPerMessage: number;
	/** Awareness clientIDs one connection may speak for (4422). */
	awarenessStatesPerConnection: number;
	/** Bytes of one awareness state, as JSON (4422). */
	awarenessStateBytes: number;
	/** Comments a member may add to a round (4423). */
	comments: Rate;
	/** Buckets a member may create in a round (4423). */
	buckets: Rate;
	/** Bytes of accepted updates a member may add to a round while the server runs (4424). */
	roundBytesPerMember: number;
	/** Open sockets of one member, every room of its round counted (4425). */
	socketsPerMember: number;
	/** Updates one connection may hold while their dependencies are missing, and their bytes (4403 past it). */
	heldUpdates: number;
	heldBytes: number;
	/** How long a held update may wait for its dependencies (4403 past it). */
	heldMs: number;
	/**
	 * In anonymous rounds, a member's offline batch (its sync step 2 carrying commands) is applied
	 * after a delay drawn uniformly from [0, this]: its ledger entries do not follow its presence.
	 */
	anonymousBatchDelayMs: number;
	/**
	 * After a member exceeds a budget of a message (4420–4424), its new sockets in the round are
	 * closed with 4423 for this long, before anything is read: an attacker cannot retry at once.
	 */
	budgetPauseMs: number;
}

export const DEFAULT_BUDGETS: Budgets = {
	maxMessageBytes: 1024 * 1024,
	messagesPerSecond: 100,
	messageBurst: 300,
	clientsPerMember: { burst: 64, perMinute: 10 },
	structsPerMessage: 20_000,
	awarenessStatesPerConnection: 4,
	awarenessStateBytes: 4_096,
	comments: { burst: 30, perMinute: 20 },
	buckets: { burst: 20, perMinute: 10 },
	roundBytesPerMember: 16 * 1024 * 1024,
	socketsPerMember: 32,
	heldUpdates: 64,
	heldBytes: 4 * 1024 * 1024,
	heldMs: 30_000,
	anonymousBatchDelayMs: 15_000,
	budgetPauseMs: 10_000
};

/**
 * Environment variable → the budget it sets: a whole number; for a rate, `N` sets its burst
 * (the refill stays the default) and `N/M` sets burst N and refill M per minute.
 */
export const BUDGET_ENV = {
	MAX_MESSAGE_BYTES: 'maxMessageBytes',
	MESSAGES_PER_SECOND: 'messagesPerSecond',
	MESSAGE_BURST: 'messageBurst',
	MAX_CLIENTS_PER_MEMBER: 'clientsPerMember',
	MAX_STRUCTS_PER_MESSAGE: 'structsPerMessage',
	MAX_AWARENESS_STATES: 'awarenessStatesPerConnection',
	MAX_AWARENESS_STATE_BYTES: 'awarenessStateBytes',
	COMMENTS_PER_MINUTE: 'comments',
	BUCKETS_PER_MINUTE: 'buckets',
	MAX_ROUND_BYTES_PER_MEMBER: 'roundBytesPerMember',
	MAX_SOCKETS_PER_MEMBER: 'socketsPerMember',
	MAX_HELD_UPDATES: 'heldUpdates',
	MAX_HELD_BYTES: 'heldBytes',
	HELD_MS: 'heldMs',
	ANONYMOUS_BATCH_DELAY_MS: 'anonymousBatchDelayMs',
	BUDGET_PAUSE_MS: 'budgetPauseMs'
} as const satisfies Record<string, keyof Budgets>;

/** The budgets set in `env`. Throws a sentence naming the variable for a value that does not parse. */
export function budgetsFromEnv(env: Record<string, string | undefined>): Partial<Budgets> {
	const budgets: Partial<Record<keyof Budgets, number | Rate>> = {};
	for (const [name, key] of Object.entries(BUDGET_ENV)) {
		const text = env[name];
		if (text === undefined || text === '') continue;
		const fallback = DEFAULT_BUDGETS[key];
		const match = /^(\d{1,12})(?:\/(\d{1,12}))?$/.exec(text);
		if (!match || (typeof fallback === 'number' && match[2] !== undefined)) {
			const form = typeof fallback === 'number' ? 'a whole number' : 'a whole number N or N/M (burst/per minute)';
			throw new Error(`${name} must be ${form}, not "${text}".`);
		}
		const value = Number(match[1]);
		budgets[key] = typeof fallback === 'number' ? value : { burst: value, perMinute: match[2] === undefined ? fallback.perMinute : Number(match[2]) };
	}
	return budgets as Partial<Budgets>;
}

export function withDefaults(overrides: Partial<Budgets> = {}): Budgets {
	return { ...DEFAULT_BUDGETS, ...overrides };
}
