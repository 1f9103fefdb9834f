// docs/GLOSSARY.md says which word names each concept; these checks keep the catalogs to it.
import { describe, expect, it } from 'vitest';
import { messages } from './messages';
import { admin } from './messages/admin';
import { live } from './messages/live';
import { results } from './messages/results';

const catalogs = {
	en: { ...messages.en, ...admin.en, ...live.en, ...results.en },
	fr: { ...messages.fr, ...admin.fr, ...live.fr, ...results.fr }
};

/** The catalog's entries whose text matches `pattern`, as `key: text`. */
function using(locale: 'en' | 'fr', pattern: RegExp): string[] {
	return Object.entries(catalogs[locale])
		.filter(([, text]) => pattern.test(text))
		.map(([key, text]) => `${key}: ${text}`);
}

describe('one word per concept (docs/GLOSSARY.md)', () => {
	it('French: the stretch goal is "objectif bonus", never "idéal"', () => {
		expect(using('fr', /idéal/i)).toEqual([]);
	});

	it('French: the currency is "devise", never "monnaie" (the wallet stays a porte-monnaie)', () => {
		expect(using('fr', /(?<!porte-)monnaie/i)).toEqual([]);
	});

	it('French: the cap is "plafond", never "limite"', () => {
		expect(using('fr', /limite/i)).toEqual([]);
	});

	it('French: facilitators in inclusive or epicene words, never a masculine-only "animateur(s)"', () => {
		expect(using('fr', /animateurs?\b(?! et animatrices)/i)).toEqual([]);
	});

	it('English: the cap is a "limit" and the stretch goal a "stretch", in every catalog', () => {
		expect(using('en', /\bcap\b|\bceiling\b/i)).toEqual([]);
		expect(using('en', /\bbonus\b|\bideal\b/i)).toEqual([]);
	});

	it('English has no French spacing before % and no "Done: <verb>" sentence', () => {
		expect(using('en', /\s%/)).toEqual([]);
		expect(using('en', /^Done:/)).toEqual([]);
	});

	it('the bucket page has one button per name: publishing a bucket and posting a comment differ', () => {
		for (const locale of ['en', 'fr'] as const) {
			expect(catalogs[locale]['comments.submit']).not.toBe(catalogs[locale]['bucket.publish']);
		}
	});
});
