import { defineCatalog } from './define';

/** The member's wallet: money left, where it went, pending commands. */
export const wallet = defineCatalog({
	en: {
		'wallet.title': 'My wallet',
		'wallet.left': 'Money left',
		'wallet.leftValue': '{balance} left of {allocated}',
		'wallet.spent': 'In buckets',
		'wallet.where': 'Where my money is',
		'wallet.nowhere': 'You have not funded any bucket yet.',
		'wallet.pending': 'Waiting to be confirmed',
		'wallet.preview': 'Once confirmed: {balance} left',
		'wallet.notReady': 'Your wallet appears once the server has welcomed you.'
	},
	fr: {
		'wallet.title': 'Mon porte-monnaie',
		'wallet.left': 'Argent restant',
		'wallet.leftValue': '{balance} restants sur {allocated}',
		'wallet.spent': 'Dans les projets',
		'wallet.where': 'Où est mon argent',
		'wallet.nowhere': 'Vous n’avez encore financé aucun projet.',
		'wallet.pending': 'En attente de confirmation',
		'wallet.preview': 'Une fois confirmé : il restera {balance}',
		'wallet.notReady': 'Votre porte-monnaie apparaît quand le serveur vous a accueilli·e.'
	}
});
