import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Schedule } from '$lib/domain/types';
import SchedulePanel from './SchedulePanel.svelte';
import { i18nIn } from './test-i18n';

const NOW = Date.UTC(2026, 5, 1, 12);

function setup(schedule: Schedule | null, locale: 'en' | 'fr' = 'en') {
	const onsave = vi.fn<(schedule: Schedule) => void>();
	render(SchedulePanel, { props: { schedule, onsave, now: () => NOW }, context: i18nIn(locale) });
	return onsave;
}

afterEach(cleanup);

describe('SchedulePanel', () => {
	it('§12 schedule: dates typed in the chosen zone are sent as UTC instants with that zone', async () => {
		const onsave = setup(null);
		await fireEvent.change(screen.getByLabelText('Time zone of these dates'), { target: { value: 'America/New_York' } });
		expect(screen.getByText('Times below are in America/New_York. Members see them in their own time zone.')).toBeTruthy();
		await fireEvent.input(screen.getByLabelText('Funding closes'), { target: { value: '2026-06-02T09:30' } });
		await fireEvent.click(screen.getByRole('button', { name: 'Save the dates' }));
		expect(onsave).toHaveBeenCalledExactlyOnceWith({
			zone: 'America/New_York',
			proposalsClose: null,
			fundingOpens: null,
			fundingCloses: Date.UTC(2026, 5, 2, 13, 30)
		});
	});

	it('§12 schedule: what is being typed stays when the page hands the same dates again (another ledger entry)', async () => {
		const saved: Schedule = { zone: 'UTC', proposalsClose: null, fundingOpens: null, fundingCloses: NOW + 86_400_000 };
		const { rerender } = render(SchedulePanel, { props: { schedule: saved, onsave: () => {}, now: () => NOW }, context: i18nIn('en') });
		await fireEvent.input(screen.getByLabelText('Funding opens'), { target: { value: '2026-06-01T18:00' } });
		await rerender({ schedule: { ...saved } });
		expect((screen.getByLabelText('Funding opens') as HTMLInputElement).value).toBe('2026-06-01T18:00');
		await rerender({ schedule: { ...saved, fundingOpens: NOW + 3_600_000 } });
		expect((screen.getByLabelText('Funding opens') as HTMLInputElement).value).toBe('2026-06-01T13:00');
	});

	it('§12 schedule: the saved dates show again in their zone; order and past dates are refused before sending', async () => {
		const saved: Schedule = { zone: 'Europe/Paris', proposalsClose: null, fundingOpens: NOW - 3_600_000, fundingCloses: NOW + 86_400_000 };
		const onsave = setup(saved, 'fr');
		expect((screen.getByLabelText('Ouverture du financement') as HTMLInputElement).value).toBe('2026-06-01T13:00');
		await fireEvent.input(screen.getByLabelText('Fin du financement'), { target: { value: '2026-06-01T12:00' } });
		await fireEvent.click(screen.getByRole('button', { name: 'Enregistrer les dates' }));
		expect(screen.getByRole('alert').textContent).toContain('« Fin du financement » est dans le passé');
		await fireEvent.input(screen.getByLabelText('Fin du financement'), { target: { value: '2026-06-01T14:30' } });
		await fireEvent.input(screen.getByLabelText('Fin des propositions'), { target: { value: '2026-06-01T15:00' } });
		await fireEvent.click(screen.getByRole('button', { name: 'Enregistrer les dates' }));
		expect(screen.getByRole('alert').textContent).toContain('au plus tard');
		expect(onsave).not.toHaveBeenCalled();
		await fireEvent.click(screen.getAllByRole('button', { name: 'Effacer' })[0]!);
		await fireEvent.click(screen.getByRole('button', { name: 'Enregistrer les dates' }));
		// The opening passed an hour ago and is kept as it was: only changed dates must lie ahead.
		expect(onsave).toHaveBeenCalledExactlyOnceWith({ ...saved, fundingCloses: Date.UTC(2026, 5, 1, 12, 30) });
	});
});
