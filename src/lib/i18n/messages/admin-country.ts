import { defineCatalog } from './define';

/** The round's country in the facilitator's settings (PROTOCOL §5, used by the `.pb` export, §8). */
export const adminCountry = defineCatalog({
	en: {
		'country.label': 'Country',
		'country.hint': 'Where the round takes place. Open-data files (pabulib) name it; without it they take the country of the round’s language, if it has one.',
		'country.none': 'Not set',
		'country.fallback': 'Not set (files say {country})'
	},
	fr: {
		'country.label': 'Pays',
		'country.hint': 'Là où le tour a lieu. Les fichiers de données ouvertes (pabulib) le nomment ; sinon ils prennent le pays de la langue du tour, s’il y en a un.',
		'country.none': 'Non renseigné',
		'country.fallback': 'Non renseigné (les fichiers disent {country})'
	}
});
