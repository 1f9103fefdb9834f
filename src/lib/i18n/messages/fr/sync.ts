import type { Translation } from '../define';
import type { sync as en } from '../en/sync';

/** The sync indicator, receipts turned into sentences, and what happened to refused changes. In French: exactly the English keys, the type says so. */
export const sync: Translation<typeof en> = {
	'sync.label': 'Connexion',
	'sync.online': 'En ligne',
	'sync.offline': 'Hors ligne',
	'sync.syncing': 'Synchronisation…',
	'sync.pending': '{count} modification en attente|{count} modifications en attente',
	'sync.offlineHelp': 'Vous pouvez continuer : vos modifications sont gardées ici et envoyées dès le retour du réseau.',
	'sync.revoked': 'Votre accès à ce tour a été retiré. Demandez une nouvelle invitation à l’animation.',
	'sync.dropped': 'Le serveur a refusé une modification faite sur cet appareil ; votre copie a été rafraîchie. Non conservé : {what}.',
	'sync.droppedRound': 'une modification du contenu partagé du tour',
	'sync.unknownRoom': 'Ce tour n’existe plus sur le serveur.',
	'sync.slowDown': 'Le serveur a demandé à cet appareil de ralentir. Vos modifications sont gardées et seront renvoyées dans un instant.',
	'sync.online.count': '{count} personne en ligne|{count} personnes en ligne',
	'sync.whoOnline': 'En ligne',
	'cmd.contribute': 'donner {amount} à « {bucket} »',
	'cmd.withdraw': 'reprendre {amount} de « {bucket} »',
	'cmd.publish': 'publier « {bucket} »',
	'cmd.addOwner': 'ajouter {member} aux créateurs de « {bucket} »',
	'cmd.complete': 'marquer « {bucket} » comme réalisé',
	'cmd.approve': 'valider « {bucket} »',
	'cmd.cancel': 'annuler « {bucket} »',
	'cmd.allocate.add': 'donner {amount} à {member}',
	'cmd.allocate.set': 'fixer l’argent de {member} à {amount}',
	'cmd.configure': 'modifier les réglages du tour',
	'cmd.setPhase': 'passer le tour en phase « {phase} »',
	'cmd.markPaid': 'marquer « {bucket} » comme payé',
	'receipt.done': 'C’est fait : {action}.',
	'receipt.contributed': 'Vous avez mis {amount} dans « {bucket} ».',
	'receipt.withdrew': 'Vous avez repris {amount} de « {bucket} ».',
	'receipt.partial': '{accepted} sur vos {amount} ont été acceptés pour « {bucket} » : {reason}{offline}.',
	'receipt.refused': 'Impossible de {action} : {reason}{offline}.',
	'receipt.offline': ' pendant que vous étiez hors ligne',
	'receipt.unknownBucket': 'un projet',
	'receipt.unknownMember': 'un membre'
};
