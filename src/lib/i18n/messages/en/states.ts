/** What a round page says when the member lost access, the round is closed, or gifts wait. In English. */
export const states = {
	'states.revoked.title': 'Your access to this round was revoked',
	'states.revoked.body': 'A facilitator removed you from “{round}”. You can no longer give, propose, take money back or comment here. Ask a facilitator for a new invitation if this is a mistake.',
	'states.revoked.pending': 'Never accepted, and it will not be: the server refuses this device now.',
	'states.revoked.forget': 'Remove from my rounds',
	'states.pending.title': 'Waiting for the server (not counted above)',
	'states.pending.counted': 'This counts what is waiting.',
	'states.fundedFull': 'It reached its goal: the money is locked in, and it takes no more.',
	'states.fundedClosed': 'It reached its goal before the round closed: its money stays in it.',
	'states.unfundedClosed': 'The round closed before it reached its goal: everyone who gave got their money back.'
};
