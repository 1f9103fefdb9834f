import type { Translation } from '../define';
import type { round as en } from '../en/round';

/** The round page: bucket list, filters, wallet, header. In French: exactly the English keys, the type says so. */
export const round: Translation<typeof en> = {
	'round.buckets': 'Projets',
	'round.newBucket': 'Proposer un projet',
	'round.admin': 'Animer',
	'round.live': 'Vue projecteur',
	'round.phase': 'Phase : {phase}',
	'round.phaseHelp.proposing': 'Les membres proposent des projets. Le financement ouvrira ensuite.',
	'round.phaseHelp.funding': 'Financez les projets qui vous tiennent à cœur.',
	'round.phaseHelp.closed': 'Le tour est terminé. Les projets qui n’ont pas atteint leur objectif ont été remboursés.',
	'round.filter': 'Afficher',
	'round.filter.all': 'Tous',
	'round.filter.open': 'Ouverts au financement',
	'round.filter.funded': 'Financés',
	'round.filter.ideas': 'Idées et brouillons',
	'round.filter.mine': 'Les miens',
	'round.filter.ended': 'Terminés',
	'round.sort': 'Trier par',
	'round.sort.newest': 'Plus récents',
	'round.sort.mostFunded': 'Plus financés',
	'round.sort.closest': 'Plus proches de l’objectif',
	'round.empty': 'Aucun projet pour l’instant. Proposez le premier !',
	'round.emptyFilter': 'Aucun projet ne correspond à ce filtre.',
	'round.notMember': 'Vous n’avez pas rejoint ce tour sur cet appareil. Ouvrez votre lien d’invitation pour le rejoindre.',
	'round.loading': 'Ouverture du tour…',
	'round.untitled': 'Projet sans titre',
	'round.count': '{count} projet|{count} projets',
	'card.funded': '{total} sur {goal}',
	'card.stretch': 'objectif bonus {max}',
	'card.progress': 'Financement de {title}',
	'card.progressText': '{total} sur {goal} ({percent} %)',
	'card.noBudget': 'Pas encore de budget',
	'card.funders': '{count} contributeur·rice|{count} contributeur·rices',
	'card.yours': 'Vous avez donné {amount}',
	'celebrate.funded': '« {title} » a atteint son objectif !'
};
