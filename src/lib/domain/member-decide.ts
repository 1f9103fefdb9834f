// The decide of the browser's optimistic preview of a member's pending commands.
import { decider, type Rules } from './decider.js';
import { allocate, contribute, withdraw } from './rules-money.js';
import { addOwner, approve, cancel, complete, markPaid, publish } from './rules-bucket.js';
import { importAllocations } from './rules-import.js';
import { setPhase } from './rules-round.js';
import { addImage, removeImage } from './rules-images.js';
import { approveExpense, payExpense, recordExpense, rejectExpense } from './rules-expenses.js';
import { defineGuideline, defineTag, raiseFlag, resolveFlag, tagBucket } from './rules-review.js';

/**
 * The rule of every command a member writes, except `configure` and `schedule`: their checks need
 * the schemas, whose library the member pages do without. `decide` adds those and the system
 * commands to this table, so a member command is registered here once.
 */
export const MEMBER_RULES = {
	contribute,
	withdraw,
	publish,
	addOwner,
	complete,
	approve,
	cancel,
	allocate,
	setPhase,
	markPaid,
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
} satisfies Rules;

/**
 * The same rules as `decide` for the commands of MEMBER_RULES. `configure` and `schedule` are
 * previewed as refused (`invalid`), i.e. not applied, until the server's receipt says otherwise.
 */
export const decideMember = decider(MEMBER_RULES);
