import { getContext, setContext } from 'svelte';
import type { RoundSession } from './session.svelte';

const SESSION = Symbol('round-session');

/** The round layout opens one session; every page and component of the round reads it here. */
export function setSession(session: RoundSession): RoundSession {
	return setContext(SESSION, session);
}

export function getSession(): RoundSession {
	const session = getContext<RoundSession | undefined>(SESSION);
	if (!session) throw new Error('No round session: pages under /r/[roundId] get it from their layout.');
	return session;
}

/** For component tests: the context map that `render(..., { context })` expects. */
export function sessionContext(session: RoundSession): Map<symbol, unknown> {
	return new Map([[SESSION, session]]);
}
