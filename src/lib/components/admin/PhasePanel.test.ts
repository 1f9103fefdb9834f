import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Phase } from '$lib/domain/types';
import PhasePanel from './PhasePanel.svelte';
import { i18nIn } from './test-i18n';

function setup(phase: Phase, locale: 'en' | 'fr' = 'en') {
	const onsetphase = vi.fn<(phase: Phase) => void>();
	render(PhasePanel, { props: { phase, onsetphase }, context: i18nIn(locale) });
	return onsetphase;
}

afterEach(cleanup);

describe('PhasePanel', () => {
	it('§3 moves proposing → funding in one click', async () => {
		const onsetphase = setup('proposing');
		await fireEvent.click(screen.getByRole('button', { name: 'Open funding' }));
		expect(onsetphase).toHaveBeenCalledExactlyOnceWith('funding');
	});

	it('§3 closing asks first, saying that unfunded buckets are refunded and that it is final', async () => {
		const onsetphase = setup('funding');
		await fireEvent.click(screen.getByRole('button', { name: 'Close the round…' }));
		expect(onsetphase).not.toHaveBeenCalled();
		const dialog = screen.getByRole('alertdialog', { name: 'Close the round?' });
		expect(dialog.textContent).toContain('refunded to their funders');
		expect(dialog.textContent).toContain('nobody can fund');
		expect(dialog.textContent).toContain('cannot be undone');
		expect(document.activeElement).toBe(screen.getByRole('button', { name: 'No, go back' }));
		await fireEvent.click(screen.getByRole('button', { name: 'Close the round' }));
		expect(onsetphase).toHaveBeenCalledExactlyOnceWith('closed');
		expect(screen.queryByRole('alertdialog')).toBeNull();
	});

	it('going back (button or Escape) closes nothing', async () => {
		const onsetphase = setup('funding');
		await fireEvent.click(screen.getByRole('button', { name: 'Close the round…' }));
		await fireEvent.click(screen.getByRole('button', { name: 'No, go back' }));
		expect(screen.queryByRole('alertdialog')).toBeNull();
		await fireEvent.click(screen.getByRole('button', { name: 'Close the round…' }));
		await fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
		expect(screen.queryByRole('alertdialog')).toBeNull();
		expect(onsetphase).not.toHaveBeenCalled();
	});

	it('the confirmation speaks French', async () => {
		setup('funding', 'fr');
		await fireEvent.click(screen.getByRole('button', { name: 'Clore le tour…' }));
		expect(screen.getByRole('alertdialog', { name: 'Clore le tour ?' }).textContent).toContain('remboursés');
	});

	it('a closed round offers no phase button', () => {
		setup('closed');
		expect(screen.queryAllByRole('button')).toHaveLength(0);
	});
});
