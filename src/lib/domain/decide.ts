// The one place where a command becomes an outcome and ledger entries (DESIGN §3): the common
// checks (decider.ts) in front of each command's own rule (rules-*.ts).
import { decider } from './decider.js';
import { allocate, contribute, withdraw } from './rules-money.js';
import { addOwner, approve, cancel, complete, create, markPaid, publish, setGoals } from './rules-bucket.js';
import { join, setPhase } from './rules-round.js';
import { importAllocations } from './rules-import.js';
import { advance, schedule } from './rules-schedule.js';
import { configure, open } from './rules-settings.js';
import { addImage, removeImage } from './rules-images.js';
import { approveExpense, payExpense, recordExpense, rejectExpense } from './rules-expenses.js';
import { defineGuideline, defineTag, raiseFlag, resolveFlag, tagBucket } from './rules-review.js';

/** Decides any command, PURE (see `decider`): what the server sequences. */
export const decide = decider({
	open,
	join,
	create,
	setGoals,
	contribute,
	withdraw,
	publish,
	addOwner,
	complete,
	approve,
	cancel,
	allocate,
	configure,
	setPhase,
	markPaid,
	schedule,
	advance,
	importAllocations,
	addImage,
	removeImage,
	recordExpense,
	approveExpense,
	rejectExpense,
	payExpense,
	defineTag,
	defineGuideline,
	tagBucket,
	raiseFlag,
	resolveFlag
});
