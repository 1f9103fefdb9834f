// The one place where a command becomes an outcome and ledger entries (DESIGN §3): the common
// checks (decider.ts) in front of each command's own rule (rules-*.ts).
import { decider } from './decider.js';
import { MEMBER_RULES } from './member-decide.js';
import { create, setGoals } from './rules-bucket.js';
import { join } from './rules-round.js';
import { advance, schedule } from './rules-schedule.js';
import { configure, open } from './rules-settings.js';

/**
 * Decides any command, PURE (see `decider`): what the server sequences. Every member command's
 * rule comes from MEMBER_RULES; added here are the two whose checks need the schemas (`configure`,
 * `schedule`) and the system commands.
 */
export const decide = decider({
	...MEMBER_RULES,
	open,
	join,
	create,
	setGoals,
	configure,
	schedule,
	advance
});
