import { describe, expect, it } from 'vitest';
import { ApiError, type Invite, type InviteBody } from '$lib/sync/api';
import { InviteList } from './invites.svelte';

/** An in-memory server side for invites, with the server's url form. */
function server() {
	const invites: Invite[] = [];
	let fail: ApiError | null = null;
	return {
		invites,
		failNext: (error: ApiError) => (fail = error),
		effects: {
			list: async () => {
				if (fail) {
					const error = fail;
					fail = null;
					throw error;
				}
				return [...invites];
			},
			create: async (body: InviteBody) => {
				const code = `code${invites.length + 1}`;
				const url = `/join#round1.${code}`;
				invites.push({ code, role: body.role ?? 'member', uses: body.uses ?? null, used: 0, expiresAt: body.expiresAt ?? null, disabled: false, url });
				return { code, url };
			},
			setDisabled: async (code: string, disabled: boolean) => {
				const index = invites.findIndex((i) => i.code === code);
				if (index < 0) throw new ApiError('unknown_invite', 'no such invite', 404);
				invites[index] = { ...invites[index]!, disabled };
				return invites[index]!;
			},
			remove: async (code: string) => {
				const index = invites.findIndex((i) => i.code === code);
				if (index < 0) throw new ApiError('unknown_invite', 'no such invite', 404);
				invites.splice(index, 1);
				return { code, deleted: true };
			}
		}
	};
}

describe('InviteList', () => {
	it('§5 turns the server’s invite path into a full link on this origin', () => {
		const list = new InviteList(server().effects, 'https://tirelire.example');
		expect(list.link({ url: '/join#round1.abc' })).toBe('https://tirelire.example/join#round1.abc');
		expect(list.link({ url: 'https://other.example/join#round1.abc' })).toBe('https://other.example/join#round1.abc');
	});

	it('creates an invite, reloads the list and remembers the new code', async () => {
		const backend = server();
		const list = new InviteList(backend.effects, 'http://localhost:3000');
		await list.load();
		expect(list.loaded).toBe(true);
		expect(list.invites).toEqual([]);
		await list.create({ role: 'facilitator', uses: 3 });
		expect(list.invites.map((i) => [i.code, i.role, i.uses])).toEqual([['code1', 'facilitator', 3]]);
		expect(list.latest).toBe('code1');
		expect(list.busy).toBe(false);
	});

	it('keeps the error of a failed call and clears it on the next success', async () => {
		const backend = server();
		const list = new InviteList(backend.effects, 'http://localhost:3000');
		backend.failNext(new ApiError('forbidden', 'Only facilitators', 403));
		await list.load();
		expect(list.error).toBeInstanceOf(ApiError);
		expect(list.loaded).toBe(false);
		await list.load();
		expect(list.error).toBeNull();
		expect(list.loaded).toBe(true);
	});

	it('§5 an invite is usable until it expires or runs out of uses', () => {
		const list = new InviteList(server().effects, 'http://x');
		const base: Invite = { code: 'c', role: 'member', uses: null, used: 5, expiresAt: null, disabled: false, url: '/join#r.c' };
		expect(list.usable(base, 1000)).toBe(true);
		expect(list.usable({ ...base, uses: 5 }, 1000)).toBe(false);
		expect(list.usable({ ...base, uses: 6 }, 1000)).toBe(true);
		expect(list.usable({ ...base, expiresAt: 1000 }, 1000)).toBe(false);
		expect(list.usable({ ...base, expiresAt: 1001 }, 1000)).toBe(true);
		expect(list.state({ ...base, disabled: true, uses: 5 }, 1000)).toBe('disabled');
		expect(list.usable({ ...base, disabled: true }, 1000)).toBe(false);
	});
});
