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

function setup(locale: 'en' | 'fr' = 'en') {
	const onsave = vi.fn<(patch: Partial<Configurable>) => void>();
	render(SettingsForm, { props: { settings, onsave }, context: i18nIn(locale) });
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
});
