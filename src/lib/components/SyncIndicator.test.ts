import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import SyncIndicator from './SyncIndicator.svelte';
import { withLanguage } from './test-context';

afterEach(cleanup);

describe('SyncIndicator', () => {
	it('§8 is a polite live status: online / offline / syncing with the pending count', async () => {
		const { context } = withLanguage('en');
		const view = render(SyncIndicator, { props: { status: 'online', pending: 0 }, context });
		const status = screen.getByRole('status', { name: 'Connection' });
		expect(status.getAttribute('aria-live')).toBe('polite');
		expect(status.textContent).toContain('Online');
		expect(status.textContent).not.toContain('waiting');
		await view.rerender({ status: 'offline', pending: 2 });
		expect(status.textContent).toContain('Offline');
		expect(status.textContent).toContain('2 changes waiting');
		await view.rerender({ status: 'syncing', pending: 1 });
		expect(status.textContent).toContain('Syncing…');
		expect(status.textContent).toContain('1 change waiting');
	});

	it('§8 speaks French, with French plural rules', () => {
		render(SyncIndicator, { props: { status: 'offline', pending: 1 }, context: withLanguage('fr').context });
		const status = screen.getByRole('status', { name: 'Connexion' });
		expect(status.textContent).toContain('Hors ligne');
		expect(status.textContent).toContain('1 modification en attente');
	});
});
