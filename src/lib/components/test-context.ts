import type { Amount, BucketId } from '$lib/domain/types';
import { I18n, type Locale } from '$lib/i18n/i18n.svelte';
import type { BucketView } from '$lib/state/round.svelte';
import { i18nContext } from '$lib/i18n/context';
import { memoryI18nEffects } from '$lib/i18n/memory';

/** The context a component needs to render in a test, in the given language. */
export function withLanguage(locale: Locale): { i18n: I18n; context: Map<symbol, unknown> } {
	const i18n = new I18n(memoryI18nEffects([locale]).effects);
	return { i18n, context: i18nContext(i18n) };
}

/** An open bucket "Stage lights" (goal 40.00, stretch 60.00, 10.00 in it), with `over` applied. */
export function openBucket(over: Partial<BucketView> = {}): BucketView {
	return {
		id: 'bucket-lights' as BucketId,
		title: 'Stage lights',
		summary: '',
		description: '',
		items: [],
		status: 'open',
		owners: [],
		minGoal: 4000 as Amount,
		maxGoal: 6000 as Amount,
		total: 1000 as Amount,
		createdAt: 1,
		tags: [],
		comments: [],
		funders: [],
		...over
	};
}
