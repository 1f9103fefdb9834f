import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Amount, Configurable, RoundSettings } from '$lib/domain/types';
import SettingsForm from './SettingsForm.svelte';
import { i18nIn } from './test-i18n';

afterEach(cleanup);

const settings: RoundSettings = {
	name: 'Harvest festival',
	currency: 'EUR',
	locale: 'fr-FR',
	phase: 'proposing',
	defaultAllocation: 10000 as Amount,
	maxPerMemberPerBucket: null,
	transparency: 'named',
	requireApproval: false
};

function setup(locale: 'en' | 'fr' = 'en', changed: Partial<RoundSettings> = {}) {
	const onsave = vi.fn<(patch: Partial<Configurable>) => void>();
	render(SettingsForm, { props: { settings: { ...settings, ...changed }, onsave }, context: i18nIn(locale) });
	return onsave;
}

describe('SettingsForm', () => {
	it('§3 configure sends only the fields that changed, amounts in minor units', async () => {
		const onsave = setup();
		expect((screen.getByLabelText('Money for each new member') as HTMLInputElement).value).toBe('100.00');
		await fireEvent.input(screen.getByLabelText('Round name'), { target: { value: ' Harvest 2026 ' } });
		await fireEvent.input(screen.getByLabelText('Limit per member per bucket'), { target: { value: '25,50' } });
		await fireEvent.click(screen.getByLabelText(/^Anonymous/));
		await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
		expect(onsave).toHaveBeenCalledExactlyOnceWith({ name: 'Harvest 2026', maxPerMemberPerBucket: 2550, transparency: 'anonymous' });
	});

	it('sends nothing when nothing changed, and says so', async () => {
		const onsave = setup();
		await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
		expect(onsave).not.toHaveBeenCalled();
		expect(screen.getByText('Nothing changed.')).toBeTruthy();
	});

	it('refuses an empty name or an amount that is not one', async () => {
		const onsave = setup();
		await fireEvent.input(screen.getByLabelText('Money for each new member'), { target: { value: 'lots' } });
		expect((screen.getByRole('button', { name: 'Save settings' }) as HTMLButtonElement).disabled).toBe(true);
		await fireEvent.input(screen.getByLabelText('Money for each new member'), { target: { value: '120' } });
		await fireEvent.input(screen.getByLabelText('Round name'), { target: { value: '  ' } });
		expect(screen.getByText('Give the round a name.')).toBeTruthy();
		await fireEvent.submit(screen.getByRole('button', { name: 'Save settings' }).closest('form') as HTMLFormElement);
		expect(onsave).not.toHaveBeenCalled();
	});

	it('fills amounts the French way', () => {
		setup('fr');
		expect((screen.getByLabelText('Argent pour chaque nouveau membre') as HTMLInputElement).value).toBe('100,00');
	});

	it('§5 country: a code from the list, or null to clear it; the summary says what files use without one', async () => {
		const onsave = setup();
		expect(screen.getByText('Not set (files say France)')).toBeTruthy();
		const select = screen.getByLabelText('Country') as HTMLSelectElement;
		expect(select.value).toBe('');
		expect([...select.options].find((o) => o.value === 'BE')?.textContent).toBe('Belgium');
		// Codes that name no country are not offered.
		expect([...select.options].some((o) => o.value === 'EU' || o.value === 'XK')).toBe(false);
		await fireEvent.change(select, { target: { value: 'BE' } });

		await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
		expect(onsave).toHaveBeenLastCalledWith({ country: 'BE' });
		cleanup();
		const again = setup('en', { country: 'BE' });
		expect(screen.getAllByText('Belgium').length).toBeGreaterThan(0);
		await fireEvent.change(screen.getByLabelText('Country'), { target: { value: '' } });
		await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
		expect(again).toHaveBeenCalledExactlyOnceWith({ country: null });
	});

	it('§5 country in French: names in French, sorted in French', () => {
		setup('fr', { country: 'DE' });
		const select = screen.getByLabelText('Pays') as HTMLSelectElement;
		expect(select.selectedOptions[0]?.textContent).toBe('Allemagne');
		const names = [...select.options].slice(1).map((o) => o.textContent ?? '');
		expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y, 'fr')));
		expect(names.indexOf('Égypte')).toBeLessThan(names.indexOf('Espagne'));
	});
});
