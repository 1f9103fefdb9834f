import type { Amount } from '$lib/domain/types';
import type { Api, DeviceLink, GroupMember, GroupView } from '$lib/sync/api';
import type { Membership } from '$lib/sync/storage';
import { syncGroup, type GroupStore } from './group-sync';

/** The group page: its rounds (from the server, or the device's copies offline), a new round, devices, members. */
export class GroupPage {
	view: GroupView | null = $state.raw(null);
	/** The device's memberships in this group: the rounds to show offline, and the token. */
	local: Membership[] = $state.raw([]);
	loaded = $state(false);
	error: unknown = $state(null);
	busy = $state(false);
	deviceLink: DeviceLink | null = $state.raw(null);
	invite: string | null = $state(null);
	members: GroupMember[] = $state.raw([]);
	reissued: { memberId: string; link: DeviceLink } | null = $state.raw(null);

	constructor(
		readonly groupId: string,
		private readonly api: Api,
		private readonly store: GroupStore
	) {}

	get token(): string | undefined {
		return this.local[0]?.token;
	}

	get name(): string {
		return this.view?.name ?? this.local[0]?.groupName ?? this.local[0]?.roundName ?? '';
	}

	get isFacilitator(): boolean {
		return (this.view?.role ?? this.local[0]?.role) === 'facilitator';
	}

	/** The rounds to list: the server's when it answered, else those kept on the device. */
	get rounds(): { roundId: string; name: string; phase?: string; member: boolean }[] {
		if (this.view) return this.view.rounds;
		return this.local.map((m) => ({ roundId: m.roundId, name: m.roundName, member: true }));
	}

	async load(): Promise<void> {
		this.local = await this.store.groupMemberships(this.groupId);
		const token = this.token;
		if (token) {
			await this.#run(async () => {
				this.view = await syncGroup(this.api, this.store, this.groupId, token);
				this.local = await this.store.groupMemberships(this.groupId);
				if (this.isFacilitator) this.members = await this.api.groupMembers(this.groupId, token);
			});
		}
		this.loaded = true;
	}

	/** Starts the group's next round with its active members; its id, or null when refused. */
	async startRound(name: string, copySettings: boolean, defaultAllocation: Amount | null): Promise<string | null> {
		const token = this.token;
		if (!token) return null;
		let roundId: string | null = null;
		await this.#run(async () => {
			const created = await this.api.createGroupRound(this.groupId, token, {
				name,
				copySettings,
				...(defaultAllocation !== null && { defaultAllocation })
			});
			this.view = await syncGroup(this.api, this.store, this.groupId, token);
			this.local = await this.store.groupMemberships(this.groupId);
			roundId = created.roundId;
		});
		return roundId;
	}

	async openOnAnotherDevice(): Promise<void> {
		const token = this.token;
		if (token) await this.#run(async () => void (this.deviceLink = await this.api.deviceLink(this.groupId, token)));
	}

	async createInvite(): Promise<void> {
		const token = this.token;
		if (token) await this.#run(async () => void (this.invite = (await this.api.createGroupInvite(this.groupId, token, {})).url));
	}

	async reissue(memberId: string): Promise<void> {
		const token = this.token;
		if (!token) return;
		await this.#run(async () => {
			this.reissued = { memberId, link: await this.api.reissueAccess(this.groupId, token, memberId) };
		});
	}

	async revoke(memberId: string): Promise<void> {
		const token = this.token;
		if (!token) return;
		await this.#run(async () => {
			await this.api.revokeGroupMember(this.groupId, token, memberId);
			this.members = await this.api.groupMembers(this.groupId, token);
		});
	}

	async #run(step: () => Promise<void>): Promise<void> {
		this.busy = true;
		this.error = null;
		try {
			await step();
		} catch (error) {
			this.error = error;
		} finally {
			this.busy = false;
		}
	}
}
