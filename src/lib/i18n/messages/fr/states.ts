/** Ce qu’une page du tour dit quand l’accès est retiré, le tour clos ou une contribution en attente. En français. */
export const states = {
	'states.revoked.title': 'Votre accès à ce tour a été révoqué',
	'states.revoked.body': 'Une personne animatrice a révoqué votre accès à « {round} ». Vous ne pouvez plus donner, proposer, reprendre de l’argent ni commenter ici. Demandez une nouvelle invitation si c’est une erreur.',
	'states.revoked.pending': 'Jamais accepté, et ne le sera pas : le serveur refuse désormais cet appareil.',
	'states.revoked.forget': 'Enlever de mes tours',
	'states.pending.title': 'En attente du serveur (non compté ci-dessus)',
	'states.pending.counted': 'Cela compte ce qui est en attente.',
	'states.fundedFull': 'Il a atteint son objectif : l’argent est acquis, et il n’en reçoit plus.',
	'states.fundedClosed': 'Il a atteint son objectif avant la clôture du tour : son argent y reste.',
	'states.unfundedClosed': 'Le tour a été clos avant qu’il atteigne son objectif : chaque personne qui avait donné a été remboursée.'
};
