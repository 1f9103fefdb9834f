import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AllocationRow, Amount, CommandId, MemberId } from '$lib/domain/types';
import type { MemberRow } from './accounts';
import ImportPanel from './ImportPanel.svelte';
import { i18nIn } from './test-i18n';

const row = (memberId: string, name: string, allocated: number, spent: number | null, active = true): MemberRow => ({
	memberId: memberId as MemberId,
	name,
	role: 'member',
	active,
	allocated: allocated as Amount,
	spent: spent as Amount | null
});
const ROWS = [row('member-alice', 'Alice', 10_000, 0), row('member-bobby', 'Bob', 10_000, 6_000)];

function setup(locale: 'en' | 'fr' = 'en', rows = ROWS) {
	const onimport = vi.fn<(rows: AllocationRow[], id: CommandId) => void>();
	let n = 0;
	const newId = () => `import-id-${++n}`.padEnd(12, '0') as CommandId;
	render(ImportPanel, { props: { rows, currency: 'EUR', newId, onimport }, context: i18nIn(locale) });
	return onimport;
}

afterEach(cleanup);

describe('ImportPanel', () => {
	it('§12 import: the preview names every line it will not import, and applies the others with one id', async () => {
		const onimport = setup();
		await fireEvent.input(screen.getByLabelText('Table'), { target: { value: 'Alice;12,50\nZoé;5\nBob;10;set\n' } });
		await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
		const preview = screen.getByRole('region', { name: 'Preview' });
		expect(within(preview).getByRole('alert').textContent).toBe('2 lines will not be imported:');
		expect(preview.textContent).toContain('Line 2 · “Zoé”: no member has this name or id');
		expect(preview.textContent).toContain('Line 3 · “Bob”: less than what this member already gave');
		const apply = screen.getByRole('button', { name: 'Give the money of 1 line' });
		await fireEvent.click(apply);
		await fireEvent.click(apply);
		expect(onimport).toHaveBeenCalledTimes(2);
		const [first, second] = onimport.mock.calls;
		expect(first![0]).toEqual([{ memberId: 'member-alice', amount: 1_250, mode: 'add' }]);
		// The same import, the same id: the server applies it once.
		expect(second![1]).toBe(first![1]);
		expect(screen.getByRole('status').textContent).toContain('sending it again does nothing more');
	});

	it('§12 import: a table refused whole says why, in French too', async () => {
		const onimport = setup('fr');
		await fireEvent.input(screen.getByLabelText('Tableau'), { target: { value: 'Alice\t1\nBob;2\n' } });
		await fireEvent.click(screen.getByRole('button', { name: 'Aperçu' }));
		expect(screen.getByRole('alert').textContent).toContain('La ligne 2 utilise un autre séparateur');
		expect(screen.queryByRole('button', { name: /Donner/ })).toBeNull();
		expect(onimport).not.toHaveBeenCalled();
	});

	it('§12 import: a new table is a new import (new id), and set mode applies to lines without a mode', async () => {
		const onimport = setup();
		const table = screen.getByLabelText('Table');
		await fireEvent.input(table, { target: { value: 'Alice;30' } });
		await fireEvent.click(screen.getByLabelText('set what members have'));
		await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
		await fireEvent.click(screen.getByRole('button', { name: 'Give the money of 1 line' }));
		await fireEvent.input(table, { target: { value: 'Alice;31' } });
		await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
		await fireEvent.click(screen.getByRole('button', { name: 'Give the money of 1 line' }));
		const [first, second] = onimport.mock.calls;
		expect(first![0]).toEqual([{ memberId: 'member-alice', amount: 3_000, mode: 'set' }]);
		expect(second![1]).not.toBe(first![1]);
	});
});
