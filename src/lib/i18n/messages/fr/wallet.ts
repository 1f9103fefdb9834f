import type { Translation } from '../define';
import type { wallet as en } from '../en/wallet';

/** The member's wallet: money left, where it went, pending commands. In French: exactly the English keys, the type says so. */
export const wallet: Translation<typeof en> = {
	'wallet.title': 'Mon porte-monnaie',
	'wallet.left': 'Argent restant',
	'wallet.leftValue': '{balance} restants sur {allocated}',
	'wallet.spent': 'Dans les projets',
	'wallet.where': 'Où est mon argent',
	'wallet.nowhere': 'Vous n’avez encore financé aucun projet.',
	'wallet.pending': 'En attente de confirmation',
	'wallet.preview': 'Une fois confirmé : il restera {balance}',
	'wallet.notReady': 'Votre porte-monnaie apparaît quand le serveur vous a accueilli·e.'
};
