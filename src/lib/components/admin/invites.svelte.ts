import type { RoundSession } from '$lib/state/session.svelte';
import type { Api, Invite, InviteBody } from '$lib/sync/api';

/** The HTTP calls the invite list needs, bound to the round and the facilitator's token. */
export interface InviteEffects {
	list(): Promise<Invite[]>;
	create(body: InviteBody): Promise<{ code: string; url: string }>;
	setDisabled(code: string, disabled: boolean): Promise<Invite>;
	remove(code: string): Promise<unknown>;
}

/**
 * The round's invite links as the facilitator manages them. Links from the server are paths
 * (`/join#<roundId>.<code>`); `origin` makes them shareable.
 */
export class InviteList {
	invites: Invite[] = $state.raw([]);
	loaded = $state(false);
	busy = $state(false);
	/** The last failure, to be put into words by the page; null when the last call worked. */
	error: unknown = $state.raw(null);
	/** The code of the invite created last, shown with its QR code right away. */
	latest: string | null = $state(null);

	readonly #effects: InviteEffects;
	readonly #origin: string;

	constructor(effects: InviteEffects, origin: string) {
		this.#effects = effects;
		this.#origin = origin;
	}

	link(invite: Pick<Invite, 'url'>): string {
		return /^https?:\/\//.test(invite.url) ? invite.url : this.#origin + invite.url;
	}

	/** Whether people can still join with it at `now`. */
	usable(invite: Invite, now: number): boolean {
		return this.state(invite, now) === 'usable';
	}

	/** Why an invite admits nobody, or `usable`: disabled first, as the server checks it first. */
	state(invite: Invite, now: number): 'usable' | 'disabled' | 'expired' | 'usedUp' {
		if (invite.disabled) return 'disabled';
		if (invite.expiresAt !== null && invite.expiresAt <= now) return 'expired';
		if (invite.uses !== null && invite.used >= invite.uses) return 'usedUp';
		return 'usable';
	}

	/** Disables an invite (nobody can join with it) or enables it again. */
	async setDisabled(code: string, disabled: boolean): Promise<void> {
		await this.#run(async () => {
			const changed = await this.#effects.setDisabled(code, disabled);
			this.invites = this.invites.map((invite) => (invite.code === code ? changed : invite));
		});
	}

	async remove(code: string): Promise<void> {
		await this.#run(async () => {
			await this.#effects.remove(code);
			this.invites = this.invites.filter((invite) => invite.code !== code);
		});
	}

	async load(): Promise<void> {
		await this.#run(async () => {
			this.invites = await this.#effects.list();
			this.loaded = true;
		});
	}

	async create(body: InviteBody): Promise<void> {
		await this.#run(async () => {
			const { code } = await this.#effects.create(body);
			this.invites = await this.#effects.list();
			this.latest = code;
		});
	}

	async #run(work: () => Promise<void>): Promise<void> {
		this.busy = true;
		try {
			await work();
			this.error = null;
		} catch (error) {
			this.error = error;
		} finally {
			this.busy = false;
		}
	}
}

/**
 * The invite list of the session's round, with the facilitator's token, loaded as soon as the member
 * is known to be a facilitator. Call it while a component initialises (it registers an effect).
 */
export function facilitatorInvites(session: RoundSession, api: Api, origin: string): InviteList {
	const token = () => session.membership?.token ?? '';
	const invites = new InviteList(
		{
			list: () => api.invites(session.roundId, token()),
			create: (body) => api.createInvite(session.roundId, token(), body),
			setDisabled: (code, disabled) => api.setInviteDisabled(session.roundId, token(), code, disabled),
			remove: (code) => api.deleteInvite(session.roundId, token(), code)
		},
		origin
	);
	$effect(() => {
		if (session.isFacilitator && !invites.loaded) void invites.load();
	});
	return invites;
}
