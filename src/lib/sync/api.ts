import type { ExportKind } from '$lib/domain/exports';
import { isHttpErrorCode, type HttpErrorCode } from '$lib/domain/http-errors';
import type { Amount, ImageRef, MemberId, Phase, Role, RoundId, Transparency } from '$lib/domain/types';

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
	groupId: string;
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
/** The ledger CSV, the per-bucket and per-member totals, JSON, pabulib (PROTOCOL.md §8) and the member's own history. */
export type ExportFormat = ExportKind;
/** GET /api/groups/:gid (PROTOCOL §11): the group, who asks, its rounds newest first. */
export interface GroupView {
	groupId: string;
	name: string;
	memberId: MemberId;
	memberName: string;
	role: Role;
	/** The currency of the group's latest round (a new round keeps it). */
	currency: string;
	rounds: { roundId: RoundId; name: string; createdAt: number; phase: Phase; member: boolean }[];
}
export interface GroupMember {
	memberId: MemberId;
	name: string;
	role: Role;
	active: boolean;
}
/** A one-time link that opens a member's access on another device. */
export interface DeviceLink {
	url: string;
	expiresAt: number;
}
export interface NewRoundBody {
	name: string;
	defaultAllocation?: Amount;
	copySettings?: boolean;
}
/** A round's live public page (PROTOCOL §13). */
export interface Publication {
	token: string;
	url: string;
	createdAt: number;
	createdBy: string;
}

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

	group(groupId: string, token: string): Promise<GroupView> {
		return this.#json('GET', `/api/groups/${enc(groupId)}`, token);
	}

	joinGroup(groupId: string, code: string, name: string, deviceId?: string): Promise<Credentials & { rejoined: boolean }> {
		return this.#json('POST', `/api/groups/${enc(groupId)}/join`, undefined, { code, name, deviceId });
	}

	createGroupRound(groupId: string, token: string, body: NewRoundBody): Promise<{ roundId: RoundId; members: number }> {
		return this.#json('POST', `/api/groups/${enc(groupId)}/rounds`, token, body);
	}

	createGroupInvite(groupId: string, token: string, body: InviteBody): Promise<{ code: string; url: string }> {
		return this.#json('POST', `/api/groups/${enc(groupId)}/invites`, token, body);
	}

	groupMembers(groupId: string, token: string): Promise<GroupMember[]> {
		return this.#json('GET', `/api/groups/${enc(groupId)}/members`, token);
	}

	revokeGroupMember(groupId: string, token: string, memberId: string): Promise<unknown> {
		return this.#json('DELETE', `/api/groups/${enc(groupId)}/members/${enc(memberId)}`, token);
	}

	/** A facilitator re-issues a member's access: their tokens stop working, the link opens it again. */
	reissueAccess(groupId: string, token: string, memberId: string): Promise<DeviceLink> {
		return this.#json('POST', `/api/groups/${enc(groupId)}/members/${enc(memberId)}/access`, token);
	}

	deviceLink(groupId: string, token: string): Promise<DeviceLink> {
		return this.#json('POST', `/api/groups/${enc(groupId)}/device-links`, token);
	}

	redeemDeviceLink(groupId: string, secret: string, deviceId?: string): Promise<Credentials> {
		return this.#json('POST', `/api/groups/${enc(groupId)}/device-links/redeem`, undefined, { secret, deviceId });
	}

	/**
	 * Fetches an export with the member's token (a plain link could not carry it). Dates come in
	 * `timeZone` (the browser's, so they read as the people in the room saw them).
	 */
	async exportFile(roundId: string, token: string, format: ExportFormat, timeZone?: string): Promise<Blob> {
		const file = format === 'history' ? 'me/history.csv' : format === 'buckets.csv' || format === 'members.csv' ? `export-${format}` : `export.${format}`;
		const query = timeZone && (format === 'csv' || format === 'pb' || format === 'history') ? `?tz=${enc(timeZone)}` : '';
		const response = await this.#send('GET', `/api/rounds/${enc(roundId)}/${file}${query}`, token);
		return response.blob();
	}

	/** Stores an image for a bucket (its bytes as they are; the server judges them): `{ image }` to name in a command. */
	uploadImage(roundId: string, token: string, bucketId: string, file: Blob): Promise<{ image: ImageRef }> {
		return this.#json('POST', `/api/rounds/${enc(roundId)}/buckets/${enc(bucketId)}/images`, token, file);
	}

	publication(roundId: string, token: string): Promise<{ publication: Publication | null }> {
		return this.#json('GET', `/api/rounds/${enc(roundId)}/publication`, token);
	}

	publish(roundId: string, token: string): Promise<{ publication: Publication }> {
		return this.#json('POST', `/api/rounds/${enc(roundId)}/publication`, token);
	}

	unpublish(roundId: string, token: string): Promise<{ publication: null }> {
		return this.#json('DELETE', `/api/rounds/${enc(roundId)}/publication`, token);
	}

	/** What a public page shows, unparsed: the caller parses it (it came over the network). */
	publicPage(publicToken: string): Promise<unknown> {
		return this.#json('GET', `/api/public/${enc(publicToken)}`);
	}

	/** A Blob body is sent as raw bytes, anything else as JSON. */
	async #send(method: string, path: string, token?: string, body?: unknown): Promise<Response> {
		const headers: Record<string, string> = {};
		if (token) headers.authorization = `Bearer ${token}`;
		const raw = body instanceof Blob;
		if (body !== undefined) headers['content-type'] = raw ? 'application/octet-stream' : 'application/json';
		let response: Response;
		try {
			response = await this.#fetch(this.#base + path, {
				method,
				headers,
				body: body === undefined ? undefined : raw ? body : JSON.stringify(body)
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

/**
 * Which translated sentence explains an error to a person: every code the server sends has its own
 * (`HTTP_ERROR_CODES`); a failure without one is told by its status, or as a lost connection.
 */
export function errorMessageKey(
	error: unknown
): `error.${HttpErrorCode}` | 'error.network' | 'error.conflict' | 'error.unknown' {
	if (!(error instanceof ApiError)) return 'error.unknown';
	if (isHttpErrorCode(error.code)) return `error.${error.code}`;
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
