import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type Addresses } from '$lib/sync/api';
import AddressWarnings from './AddressWarnings.svelte';
import { i18nIn } from './test-i18n';

const lan: Addresses = { share: 'http://192.168.1.20:3000', all: ['http://192.168.1.20:3000', 'http://localhost:3000'], publicUrl: false };

function setup(hostname: string, secure: boolean, answer: () => Promise<Addresses>, locale: 'en' | 'fr' = 'en') {
	const addresses = vi.fn(answer);
	render(AddressWarnings, { props: { hostname, secure, addresses }, context: i18nIn(locale) });
	return addresses;
}

afterEach(cleanup);

describe('AddressWarnings', () => {
	it('on localhost, says links only work here and offers the LAN address', async () => {
		setup('localhost', true, async () => lan);
		const heading = await screen.findByRole('heading', { name: 'This page is open on this computer only' });
		const section = heading.closest('section')!;
		expect(section.textContent).toContain('only work on this computer, unless the server is started with PUBLIC_URL');
		expect(screen.getByRole('link', { name: 'http://192.168.1.20:3000' }).getAttribute('href')).toBe('http://192.168.1.20:3000');
		expect(screen.queryByRole('heading', { name: 'No offline use on this address' })).toBeNull();
	});

	it('on [::1] in French, the same warning in French', async () => {
		setup('[::1]', true, async () => lan, 'fr');
		await screen.findByRole('heading', { name: 'Cette page n’est ouverte que sur cet ordinateur' });
		expect(screen.getByRole('link', { name: 'http://192.168.1.20:3000' })).toBeTruthy();
	});

	it('says nothing about the address when PUBLIC_URL makes the invite links absolute', async () => {
		const addresses = setup('127.0.0.1', true, async () => ({ ...lan, share: 'https://tirelire.example.org', publicUrl: true }));
		await vi.waitFor(() => expect(addresses).toHaveBeenCalledOnce());
		await Promise.resolve();
		expect(document.body.textContent?.trim()).toBe('');
	});

	it('a refused or failed address lookup still warns, with no address to offer', async () => {
		setup('localhost', true, async () => {
			throw new ApiError('forbidden', 'no', 403);
		});
		await screen.findByRole('heading', { name: 'This page is open on this computer only' });
		expect(screen.queryByRole('link')).toBeNull();
	});

	it('on a LAN address, does not ask for the addresses and says nothing about them', () => {
		const addresses = setup('192.168.1.20', true, async () => lan);
		expect(addresses).not.toHaveBeenCalled();
		expect(screen.queryByRole('heading')).toBeNull();
	});

	it('outside a secure context, says members cannot reopen the round offline and to use HTTPS', () => {
		setup('192.168.1.20', false, async () => lan);
		const section = screen.getByRole('heading', { name: 'No offline use on this address' }).closest('section')!;
		expect(section.textContent).toContain('Members can’t reopen the round offline on this address; use HTTPS.');
		expect(section.textContent).toContain('docs/DEPLOY.md');
	});

	it('in French, the insecure warning is in French', () => {
		setup('192.168.1.20', false, async () => lan, 'fr');
		expect(screen.getByRole('heading', { name: 'Pas d’usage hors ligne sur cette adresse' })).toBeTruthy();
		expect(document.body.textContent).toContain('utilisez HTTPS');
	});
});
