import type { Translation } from '../define';
import type { schedule as en } from '../en/schedule';

/** Les dates du tour et le temps restant, commandes et refus des calendriers et des imports de montants. In French: exactly the English keys, the type says so. */
export const schedule: Translation<typeof en> = {
	'schedule.title': 'Dates',
	'schedule.proposalsClose': 'Fin des propositions',
	'schedule.fundingOpens': 'Ouverture du financement',
	'schedule.fundingCloses': 'Fin du financement',
	'schedule.in': 'dans {left}',
	'schedule.days': '{days} j {hours} h',
	'schedule.hours': '{hours} h {minutes} min',
	'schedule.minutes': '{minutes} min {seconds} s',
	'cmd.schedule': 'modifier les dates du tour',
	'cmd.importAllocations': 'importer les montants de {count} membre|importer les montants de {count} membres',
	'reason.proposals_closed': 'les propositions sont closes pour ce tour',
	'reason.schedule_order': 'le financement doit ouvrir avant de fermer, et les propositions fermer au plus tard avec lui',
	'reason.schedule_past': 'une nouvelle date doit être dans le futur',
	'reason.schedule_changed': 'les dates du tour ont changé entre-temps',
	'reason.not_due': 'cette date n’est pas encore arrivée'
};
