import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Invite, InviteBody } from '$lib/sync/api';
import { InviteList } from './invites.svelte';
import InvitesPanel from './InvitesPanel.svelte';
import { i18nIn } from './test-i18n';

/** The invites as a server keeps them, in memory, answering the calls the list makes. */
function backend(initial: Invite[]) {
	const invites = [...initial];
	const calls: string[] = [];
	return {
		invites,
		calls,
		effects: {
			list: async () => [...invites],
			create: async (_body: InviteBody) => ({ code: 'new', url: '/join#r.new' }),
			setDisabled: async (code: string, disabled: boolean) => {
				calls.push(`${disabled ? 'disable' : 'enable'} ${code}`);
				const index = invites.findIndex((i) => i.code === code);
				invites[index] = { ...invites[index]!, disabled };
				return invites[index]!;
			},
			remove: async (code: string) => {
				calls.push(`delete ${code}`);
				invites.splice(
					invites.findIndex((i) => i.code === code),
					1
				);
				return {};
			}
		}
	};
}

const invite = (code: string, extra: Partial<Invite> = {}): Invite => ({
	code,
	role: 'member',
	uses: null,
	used: 0,
	expiresAt: null,
	disabled: false,
	url: `/join#round1.${code}`,
	...extra
});

async function setup(invites: Invite[], locale: 'en' | 'fr' = 'en') {
	const server = backend(invites);
	const list = new InviteList(server.effects, 'http://localhost');
	await list.load();
	render(InvitesPanel, { props: { list }, context: i18nIn(locale) });
	return { server, list };
}

const item = (text: string) => screen.getByDisplayValue(`http://localhost/join#round1.${text}`).closest('li') as HTMLElement;

afterEach(cleanup);

describe('InvitesPanel', () => {
	it('each invite shows its uses, its expiry and its state', async () => {
		await setup([
			invite('open1', { uses: 10, used: 3 }),
			invite('full1', { uses: 2, used: 2 }),
			invite('gone1', { expiresAt: 1 }),
			invite('off1', { disabled: true })
		]);
		expect(item('open1').textContent).toContain('Used 3 of 10 times');
		expect(item('open1').textContent).toContain('No end date');
		expect(item('full1').textContent).toContain('Used up');
		expect(item('gone1').textContent).toContain('Expired');
		expect(item('off1').textContent).toContain('Disabled');
	});

	it('Disable and Enable again call the server and show the new state', async () => {
		const { server } = await setup([invite('abc1')]);
		await fireEvent.click(within(item('abc1')).getByRole('button', { name: 'Disable' }));
		await within(item('abc1')).findByText('Disabled');
		await fireEvent.click(within(item('abc1')).getByRole('button', { name: 'Enable again' }));
		await within(item('abc1')).findByRole('button', { name: 'Disable' });
		expect(within(item('abc1')).queryByText('Disabled')).toBeNull();
		expect(server.calls).toEqual(['disable abc1', 'enable abc1']);
	});

	it('Delete asks first; going back deletes nothing, confirming removes the invite', async () => {
		const { server } = await setup([invite('abc1'), invite('def2')]);
		await fireEvent.click(within(item('abc1')).getByRole('button', { name: 'Delete…' }));
		const dialog = screen.getByRole('alertdialog', { name: 'Delete this invite link?' });
		expect(dialog.textContent).toContain('cannot be brought back');
		await fireEvent.click(within(dialog).getByRole('button', { name: 'No, go back' }));
		expect(server.calls).toEqual([]);
		await fireEvent.click(within(item('abc1')).getByRole('button', { name: 'Delete…' }));
		await fireEvent.click(screen.getByRole('button', { name: 'Delete the link' }));
		await expect.poll(() => screen.queryByDisplayValue('http://localhost/join#round1.abc1')).toBeNull();
		expect(server.calls).toEqual(['delete abc1']);
		expect(item('def2')).toBeTruthy();
	});

	it('speaks French', async () => {
		await setup([invite('abc1', { disabled: true })], 'fr');
		expect(within(item('abc1')).getByRole('button', { name: 'Réactiver' })).toBeTruthy();
		expect(item('abc1').textContent).toContain('Désactivé');
	});
});
