import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Amount, MemberId } from '$lib/domain/types';
import type { MemberRow } from './accounts';
import MembersPanel from './MembersPanel.svelte';
import { i18nIn } from './test-i18n';

afterEach(cleanup);

const row = (memberId: string, name: string): MemberRow => ({
	memberId: memberId as MemberId,
	name,
	role: 'member',
	active: true,
	allocated: 0 as Amount,
	spent: 0 as Amount
});

describe('MembersPanel', () => {
	it('§8 “Give to everyone” gives to each active member, then says so with no red “Enter an amount.”', async () => {
		const ongive = vi.fn<(memberId: MemberId, amount: Amount, mode: 'add' | 'set') => void>();
		render(MembersPanel, {
			props: { rows: [row('member-ana', 'Ana'), row('member-bob', 'Bob')], currency: 'EUR', me: 'member-ana' as MemberId, ongive, onrevoke: () => {} },
			context: i18nIn('en')
		});
		const input = screen.getByLabelText(/Amount for each member/);
		await fireEvent.input(input, { target: { value: '20' } });
		// Clicking the button leaves the field first, as in a browser.
		await fireEvent.blur(input);
		await fireEvent.click(screen.getByRole('button', { name: 'Give to everyone' }));
		expect(ongive.mock.calls).toEqual([
			['member-ana', 2000, 'add'],
			['member-bob', 2000, 'add']
		]);
		expect(screen.getByText('Sent: €20.00 for each of 2 members.')).toBeTruthy();
		expect(screen.queryByText('Enter an amount.')).toBeNull();
		expect(input.getAttribute('aria-invalid')).toBe('false');
		// Leaving the emptied field is still told, as for any required field.
		await fireEvent.blur(input);
		expect(screen.getByText('Enter an amount.')).toBeTruthy();
	});
});
