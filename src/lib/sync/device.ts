import type { SessionEffects } from '$lib/state/session.svelte';
import { Api } from './api';
import { websocketConnect } from './connection';
import { LocalStore } from './storage';

/** The browser's real implementations, created on first use (never at import, for tests). */
let store: LocalStore | null = null;
let api: Api | null = null;

export function deviceStore(): LocalStore {
	return (store ??= new LocalStore());
}

export function deviceApi(): Api {
	return (api ??= new Api((input, init) => fetch(input, init)));
}

export function browserSessionEffects(): SessionEffects {
	const local = deviceStore();
	return {
		membership: (roundId) => local.membership(roundId),
		markRevoked: (roundId, at) => local.markRevoked(roundId, at),
		openRoom: (name) => local.openRoom(name),
		dropRoom: (name) => local.dropRoom(name),
		connect: (token) => websocketConnect(token),
		later: (ms, run) => void setTimeout(run, ms)
	};
}
