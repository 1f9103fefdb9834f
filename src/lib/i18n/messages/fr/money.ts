import type { Translation } from '../define';
import type { money as en } from '../en/money';

/** The "my money" page: a member's own money, line by line, and its export. In French. */
export const money: Translation<typeof en> = {
	'money.title': 'Mon argent',
	'money.link': 'Mon argent, ligne par ligne',
	'money.intro': 'Chaque mouvement de votre argent dans ce tour, du plus ancien au plus récent, avec la réponse du serveur et ce qu’il vous restait ensuite.',
	'money.now': 'Argent restant : {balance}',
	'money.empty': 'Aucun argent n’a encore bougé.',
	'money.lines': 'Mouvements de mon argent',
	'money.kind.allocation': 'Argent reçu',
	'money.kind.allocationDown': 'Dotation réduite par l’animation',
	'money.kind.gift': 'Contribution à « {bucket} »',
	'money.kind.takeBack': 'Repris de « {bucket} »',
	'money.kind.refund.cancelled': 'Remboursement : « {bucket} » a été annulé',
	'money.kind.refund.unfunded': 'Remboursement : « {bucket} » n’avait pas atteint son objectif à la clôture du tour',
	'money.outcome.accepted': 'Accepté',
	'money.outcome.partial': 'Accepté en partie : {amount} sur les {asked} demandés, car {reason}',
	'money.outcome.partialAll': 'Accepté en partie : {amount} sur les {asked} demandés, tout ce que vous y aviez',
	'money.outcome.refused': 'Refusé : {reason}',
	'money.outcome.waiting': 'En attente de confirmation',
	'money.outcome.recorded': 'Enregistré par le serveur',
	'money.after': 'il reste {balance}',
};
