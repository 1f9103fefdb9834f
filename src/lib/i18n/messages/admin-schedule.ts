import { defineCatalog } from './define';

/** The facilitator's panel of the round's dates (PROTOCOL §12). */
export const adminSchedule = defineCatalog({
	en: {
		'dates.title': 'Dates',
		'dates.intro': 'Optional. At these times the server moves the round by itself, even if nobody is connected.',
		'dates.zone': 'Time zone of these dates',
		'dates.zoneHint': 'Times below are in {zone}. Members see them in their own time zone.',
		'dates.proposalsClose': 'Proposals close',
		'dates.proposalsCloseHint': 'From then on, drafts can no longer be published.',
		'dates.fundingOpens': 'Funding opens',
		'dates.fundingOpensHint': 'The round moves from proposals to funding.',
		'dates.fundingCloses': 'Funding closes',
		'dates.fundingClosesHint': 'The round closes: buckets that did not reach their goal are refunded.',
		'dates.clear': 'Clear',
		'dates.save': 'Save the dates',
		'dates.sent': 'Sent. The dates show here and on the round’s pages as soon as the server has them.',
		'dates.invalid': '“{label}” is not a time that exists in {zone}.',
		'dates.order': 'Funding must open before it closes, and proposals close no later than funding.',
		'dates.past': '“{label}” is in the past.',
		'dates.override': 'Changing the phase yourself before a date wins: the server then skips that date (funding opened early, or the round closed early).'
	},
	fr: {
		'dates.title': 'Dates',
		'dates.intro': 'Facultatif. À ces heures, le serveur fait avancer le tour de lui-même, même si personne n’est connecté.',
		'dates.zone': 'Fuseau horaire de ces dates',
		'dates.zoneHint': 'Les heures ci-dessous sont en {zone}. Chaque membre les voit dans son propre fuseau.',
		'dates.proposalsClose': 'Fin des propositions',
		'dates.proposalsCloseHint': 'Ensuite, les brouillons ne peuvent plus être publiés.',
		'dates.fundingOpens': 'Ouverture du financement',
		'dates.fundingOpensHint': 'Le tour passe des propositions au financement.',
		'dates.fundingCloses': 'Fin du financement',
		'dates.fundingClosesHint': 'Le tour se termine : les projets qui n’ont pas atteint leur objectif sont remboursés.',
		'dates.clear': 'Effacer',
		'dates.save': 'Enregistrer les dates',
		'dates.sent': 'Envoyé. Les dates s’affichent ici et sur les pages du tour dès que le serveur les a reçues.',
		'dates.invalid': '« {label} » n’est pas une heure qui existe en {zone}.',
		'dates.order': 'Le financement doit ouvrir avant de fermer, et les propositions fermer au plus tard avec lui.',
		'dates.past': '« {label} » est dans le passé.',
		'dates.override': 'Changer la phase vous-même avant une date l’emporte : le serveur saute alors cette date (financement ouvert plus tôt, ou tour terminé plus tôt).'
	}
});
