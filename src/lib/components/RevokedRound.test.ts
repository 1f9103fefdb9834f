import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Amount, BucketId, CommandId, MemberCommand } from '$lib/domain/types';
import { RoundView } from '$lib/state/round.svelte';
import RevokedRound from './RevokedRound.svelte';
import { withLanguage } from './test-context';

afterEach(cleanup);

const gift: MemberCommand = { type: 'contribute', id: 'command-gift-01' as CommandId, at: 1, bucketId: 'bucket-1' as BucketId, amount: 4500 as Amount };

function show(locale: 'en' | 'fr', pending: MemberCommand[]) {
	let forgotten = 0;
	render(RevokedRound, {
		props: { roundName: 'Fest', pending, round: new RoundView(), currency: 'EUR', onforget: () => (forgotten += 1) },
		context: withLanguage(locale).context
	});
	return { forgotten: () => forgotten };
}

describe('RevokedRound', () => {
	it('§5 revoked: says so plainly, explains the waiting gift will never be accepted, offers no control but removing', async () => {
		const { forgotten } = show('en', [gift]);
		expect(screen.getByRole('heading', { name: 'Your access to this round was revoked' })).toBeTruthy();
		expect(screen.getByText(/Never accepted, and it will not be/)).toBeTruthy();
		expect(screen.getByText(/give €45\.00/)).toBeTruthy();
		expect(screen.queryByText(/You gave/)).toBeNull();
		expect(screen.queryByText(/[Ww]aiting/)).toBeNull();
		expect(screen.getAllByRole('button').map((b) => b.textContent?.trim())).toEqual(['Remove from my rounds']);
		await fireEvent.click(screen.getByRole('button', { name: 'Remove from my rounds' }));
		expect(forgotten()).toBe(1);
	});

	it('§5 in French too, with nothing waiting', () => {
		show('fr', []);
		expect(screen.getByRole('heading', { name: 'Votre accès à ce tour a été révoqué' })).toBeTruthy();
		expect(screen.queryByText(/Jamais accepté/)).toBeNull();
		expect(screen.getByRole('button', { name: 'Enlever de mes tours' })).toBeTruthy();
	});
});
