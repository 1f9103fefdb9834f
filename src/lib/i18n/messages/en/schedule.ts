/** The round's dates and time left, commands and refusals of schedules and allocation imports. In English. */
export const schedule = {
	'schedule.title': 'Dates',
	'schedule.proposalsClose': 'Proposals close',
	'schedule.fundingOpens': 'Funding opens',
	'schedule.fundingCloses': 'Funding closes',
	'schedule.in': 'in {left}',
	'schedule.days': '{days} d {hours} h',
	'schedule.hours': '{hours} h {minutes} min',
	'schedule.minutes': '{minutes} min {seconds} s',
	'cmd.schedule': 'change the round’s dates',
	'cmd.importAllocations': 'import money for {count} member|import money for {count} members',
	'reason.proposals_closed': 'proposals are closed for this round',
	'reason.schedule_order': 'funding must open before it closes, and proposals close no later than funding',
	'reason.schedule_past': 'a new date must be in the future',
	'reason.schedule_changed': 'the round’s dates changed meanwhile',
	'reason.not_due': 'that date has not come yet'
};
