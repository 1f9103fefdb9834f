import { defineCatalog } from './define';

/** The facilitator's review panel: tags, guidelines, open flags. */
export const reviewAdmin = defineCatalog({
	en: {
		'review.title': 'Tags, guidelines and flags',
		'review.tags': 'Tags',
		'review.tagName': 'Tag name',
		'review.colour': 'Colour',
		'review.addTag': 'Add the tag',
		'review.guidelines': 'Guidelines',
		'review.guidelineTitle': 'Guideline (short)',
		'review.guidelineText': 'What it means (optional)',
		'review.addGuideline': 'Add the guideline',
		'review.flags': 'Open flags',
		'review.noFlags': 'No open flag.',
		'review.flagOn': '“{bucket}” · {guideline}',
		'review.note': 'Note for the bucket’s creators',
		'review.resolve': 'Resolve',
		'colour.blue': 'Blue',
		'colour.green': 'Green',
		'colour.amber': 'Amber',
		'colour.red': 'Red',
		'colour.purple': 'Purple',
		'colour.pink': 'Pink',
		'colour.teal': 'Teal',
		'colour.grey': 'Grey'
	},
	fr: {
		'review.title': 'Étiquettes, règles et signalements',
		'review.tags': 'Étiquettes',
		'review.tagName': 'Nom de l’étiquette',
		'review.colour': 'Couleur',
		'review.addTag': 'Ajouter l’étiquette',
		'review.guidelines': 'Règles',
		'review.guidelineTitle': 'Règle (courte)',
		'review.guidelineText': 'Ce qu’elle veut dire (facultatif)',
		'review.addGuideline': 'Ajouter la règle',
		'review.flags': 'Signalements ouverts',
		'review.noFlags': 'Aucun signalement ouvert.',
		'review.flagOn': '« {bucket} » · {guideline}',
		'review.note': 'Note pour les créateur·rices du projet',
		'review.resolve': 'Clore',
		'colour.blue': 'Bleu',
		'colour.green': 'Vert',
		'colour.amber': 'Ambre',
		'colour.red': 'Rouge',
		'colour.purple': 'Violet',
		'colour.pink': 'Rose',
		'colour.teal': 'Sarcelle',
		'colour.grey': 'Gris'
	}
});
