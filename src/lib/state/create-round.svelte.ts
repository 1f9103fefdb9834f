import type { Amount, RoundId, Transparency } from '$lib/domain/types';
import type { Api } from '$lib/sync/api';
import type { Membership } from '$lib/sync/storage';
import { becomeMember } from './membership';

export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'JPY'] as const;
export const STEPS = 3;

/** The "create a round" wizard: three short steps, then one API call and a stored membership. */
export class CreateRoundWizard {
	step = $state(1);
	name = $state('');
	facilitatorName = $state('');
	currency: string = $state('EUR');
	allocation: Amount | null = $state(null);
	allocationText = $state('');
	cap: Amount | null = $state(null);
	capText = $state('');
	transparency: Transparency = $state('named');
	requireApproval = $state(false);
	busy = $state(false);
	error: unknown = $state(null);
	/** Set when the user tried to leave a step with missing fields. */
	tried = $state(false);

	stepValid = $derived.by(() => {
		if (this.step === 1) return this.name.trim() !== '' && this.facilitatorName.trim() !== '';
		if (this.step === 2) return this.allocation !== null && (this.capText.trim() === '' || this.cap !== null);
		return true;
	});

	next(): void {
		this.tried = true;
		if (!this.stepValid) return;
		this.tried = false;
		this.step = Math.min(STEPS, this.step + 1);
	}

	previous(): void {
		this.step = Math.max(1, this.step - 1);
	}

	/** Creates the round; on success returns the membership to open (already saved on the device). */
	async submit(api: Api, save: (m: Membership) => Promise<void>, locale: string): Promise<Membership | null> {
		const allocation = this.allocation;
		if (this.busy || allocation === null) return null;
		return becomeMember(this, save, async () => {
			const name = this.name.trim();
			const facilitatorName = this.facilitatorName.trim();
			const created = await api.createRound({
				name,
				currency: this.currency,
				defaultAllocation: allocation,
				facilitatorName,
				transparency: this.transparency,
				locale,
				maxPerMemberPerBucket: this.capText.trim() === '' ? null : this.cap,
				requireApproval: this.requireApproval
			});
			return {
				roundId: created.roundId as RoundId,
				memberId: created.memberId,
				token: created.token,
				role: 'facilitator',
				name: facilitatorName,
				roundName: name
			};
		});
	}
}
