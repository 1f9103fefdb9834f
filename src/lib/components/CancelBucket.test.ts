import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import CancelBucket from './CancelBucket.svelte';
import { withLanguage } from './test-context';

afterEach(() => {
	cleanup();
	vi.unstubAllGlobals();
});

function setup(locale: 'en' | 'fr') {
	const cancelled: number[] = [];
	// A native dialog would be recorded here (and would say yes).
	const confirm = vi.fn(() => true);
	vi.stubGlobal('confirm', confirm);
	const { context } = withLanguage(locale);
	render(CancelBucket, { props: { title: 'Lights', oncancel: () => cancelled.push(1) }, context });
	return { cancelled, confirm };
}

describe('CancelBucket', () => {
	it('§3 cancel asks in the page (no native dialog) and says every funder gets their money back', async () => {
		const { cancelled, confirm } = setup('en');
		await fireEvent.click(screen.getByRole('button', { name: 'Cancel this bucket' }));
		const panel = screen.getByRole('alertdialog', { name: 'Cancel “Lights”?' });
		expect(panel.textContent).toContain('Every funder gets their money back');
		expect(confirm).not.toHaveBeenCalled();
		expect(cancelled).toEqual([]);
		// The safe choice has the focus, so Enter does not cancel by accident.
		expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep it' }));
		await fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel it' }));
		expect(cancelled).toEqual([1]);
		expect(screen.queryByRole('alertdialog')).toBeNull();
	});

	it('§3 keeping the bucket sends nothing and closes the question (French)', async () => {
		const { cancelled, confirm } = setup('fr');
		await fireEvent.click(screen.getByRole('button', { name: 'Annuler ce projet' }));
		expect(screen.getByRole('alertdialog', { name: 'Annuler « Lights » ?' }).textContent).toContain('récupère son argent');
		await fireEvent.click(screen.getByRole('button', { name: 'Le garder' }));
		expect(screen.queryByRole('alertdialog')).toBeNull();
		expect(cancelled).toEqual([]);
		expect(confirm).not.toHaveBeenCalled();
	});
});
