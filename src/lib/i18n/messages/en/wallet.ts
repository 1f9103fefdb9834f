/** The member's wallet: money left, where it went, pending commands. In English. */
export const wallet = {
	'wallet.title': 'My wallet',
	'wallet.left': 'Money left',
	'wallet.leftValue': '{balance} left of {allocated}',
	'wallet.spent': 'In buckets',
	'wallet.where': 'Where my money is',
	'wallet.nowhere': 'You have not funded any bucket yet.',
	'wallet.pending': 'Waiting to be confirmed',
	'wallet.preview': 'Once confirmed: {balance} left',
	'wallet.notReady': 'Your wallet appears once the server has welcomed you.'
};
