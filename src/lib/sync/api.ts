import type { ExportKind } from '$lib/domain/exports';
import type { Amount, MemberId, Role, RoundId, Transparency } from '$lib/domain/types';

/** An error from the HTTP API (DESIGN §5) or from the network, always `{code, message}`. */
export class ApiError extends Error {
	constructor(
		readonly code: string,
		message: string,
		/** HTTP status; 0 when the server could not be reached. */
		readonly status: number
	) {
		super(message);
	}
}

export interface CreateRoundBody {
	name: string;
	currency: string;
	defaultAllocation: Amount;
	facilitatorName: string;
	transparency?: Transparency;
	locale?: string;
	maxPerMemberPerBucket?: Amount | null;
	requireApproval?: boolean;
}
export interface Credentials {
	memberId: MemberId;
	token: string;
}
export interface Me {
	roundId: RoundId;
	memberId: MemberId;
	name: string;
	role: Role;
	roundName: string;
}
/** GET /api/addresses (answered only to the server's own machine). */
export interface Addresses {
	share: string;
	all: string[];
	publicUrl: boolean;
}
export interface InviteBody {
	role?: Role;
	uses?: number;
	expiresAt?: number;
}
export interface Invite {
	code: string;
	role: Role;
	uses: number | null;
	used: number;
	expiresAt: number | null;
	disabled: boolean;
	url: string;
}
/** The round's exports (csv, json, pb) and the member's own history. */
export type ExportFormat = ExportKind;

type Fetch = typeof fetch;

/** Typed client of the HTTP API. `fetchFn` is injected so tests and other hosts can supply theirs. */
export class Api {
	readonly #fetch: Fetch;
	readonly #base: string;

	constructor(fetchFn: Fetch, base = '') {
		this.#fetch = fetchFn;
		this.#base = base;
	}

	createRound(body: CreateRoundBody): Promise<Credentials & { roundId: RoundId }> {
		return this.#json('POST', '/api/rounds', undefined, body);
	}

	/** `deviceId` lets the server give this device its membership back if it joins again. */
	join(roundId: string, code: string, name: string, deviceId?: string): Promise<Credentials & { rejoined: boolean }> {
		return this.#json('POST', `/api/rounds/${enc(roundId)}/join`, undefined, { code, name, deviceId });
	}

	me(roundId: string, token: string): Promise<Me> {
		return this.#json('GET', `/api/rounds/${enc(roundId)}/me`, token);
	}

	createInvite(roundId: string, token: string, body: InviteBody): Promise<{ code: string; url: string }> {
		return this.#json('POST', `/api/rounds/${enc(roundId)}/invites`, token, body);
	}

	invites(roundId: string, token: string): Promise<Invite[]> {
		return this.#json('GET', `/api/rounds/${enc(roundId)}/invites`, token);
	}

	setInviteDisabled(roundId: string, token: string, code: string, disabled: boolean): Promise<Invite> {
		return this.#json('PATCH', `/api/rounds/${enc(roundId)}/invites/${enc(code)}`, token, { disabled });
	}

	deleteInvite(roundId: string, token: string, code: string): Promise<unknown> {
		return this.#json('DELETE', `/api/rounds/${enc(roundId)}/invites/${enc(code)}`, token);
	}

	/** Where the server can be reached; refused (403) unless this page runs on the server's machine. */
	addresses(): Promise<Addresses> {
		return this.#json('GET', '/api/addresses');
	}

	revoke(roundId: string, token: string, memberId: string): Promise<unknown> {
		return this.#json('DELETE', `/api/rounds/${enc(roundId)}/members/${enc(memberId)}`, token);
	}

	/** Fetches an export with the member's token (a plain link could not carry it). */
	async exportFile(roundId: string, token: string, format: ExportFormat): Promise<Blob> {
		const path = format === 'history' ? 'me/history.csv' : `export.${format}`;
		const response = await this.#send('GET', `/api/rounds/${enc(roundId)}/${path}`, token);
		return response.blob();
	}

	async #send(method: string, path: string, token?: string, body?: unknown): Promise<Response> {
		const headers: Record<string, string> = {};
		if (token) headers.authorization = `Bearer ${token}`;
		if (body !== undefined) headers['content-type'] = 'application/json';
		let response: Response;
		try {
			response = await this.#fetch(this.#base + path, {
				method,
				headers,
				body: body === undefined ? undefined : JSON.stringify(body)
			});
		} catch (error) {
			throw new ApiError('network', error instanceof Error ? error.message : String(error), 0);
		}
		if (!response.ok) throw await errorFrom(response);
		return response;
	}

	async #json<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
		const response = await this.#send(method, path, token, body);
		if (response.status === 204) return undefined as T;
		return (await response.json()) as T;
	}
}

function enc(segment: string): string {
	return encodeURIComponent(segment);
}

async function errorFrom(response: Response): Promise<ApiError> {
	try {
		const data = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
		const code = typeof data.error?.code === 'string' ? data.error.code : `http_${response.status}`;
		const message = typeof data.error?.message === 'string' ? data.error.message : response.statusText;
		return new ApiError(code, message, response.status);
	} catch {
		return new ApiError(`http_${response.status}`, response.statusText, response.status);
	}
}

/** Server error codes with a sentence of their own (the others are explained by their status). */
const CODE_MESSAGES = [
	'invite_used_up',
	'invite_expired',
	'invite_disabled',
	'unknown_invite',
	'unknown_round',
	'revoked',
	'name_taken',
	'invalid_name'
] as const;
type CodeMessageKey = `error.${(typeof CODE_MESSAGES)[number]}`;

const hasOwnMessage = (code: string): code is (typeof CODE_MESSAGES)[number] => (CODE_MESSAGES as readonly string[]).includes(code);

/** Which translated sentence explains an error to a person: by its code when it has one, else by status. */
export function errorMessageKey(
	error: unknown
):
	| CodeMessageKey
	| 'error.network'
	| 'error.unauthorized'
	| 'error.forbidden'
	| 'error.not_found'
	| 'error.conflict'
	| 'error.too_large'
	| 'error.rate_limited'
	| 'error.invalid'
	| 'error.unknown' {
	if (!(error instanceof ApiError)) return 'error.unknown';
	if (hasOwnMessage(error.code)) return `error.${error.code}`;
	switch (error.status) {
		case 0:
			return 'error.network';
		case 400:
			return 'error.invalid';
		case 401:
			return 'error.unauthorized';
		case 403:
			return 'error.forbidden';
		case 404:
			return 'error.not_found';
		case 409:
			return 'error.conflict';
		case 413:
			return 'error.too_large';
		case 429:
			return 'error.rate_limited';
		default:
			return 'error.unknown';
	}
}
