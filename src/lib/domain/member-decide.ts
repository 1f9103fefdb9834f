// The decide of the browser's optimistic preview of a member's pending commands.
import { decider } from './decider.js';
import { allocate, contribute, withdraw } from './rules-money.js';
import { addOwner, approve, cancel, complete, markPaid, publish } from './rules-bucket.js';
import { setPhase } from './rules-round.js';
import { addImage, removeImage } from './rules-images.js';
import { approveExpense, payExpense, recordExpense, rejectExpense } from './rules-expenses.js';

/**
 * The same rules as `decide` for every command a member writes, except `configure`: its settings
 * check needs the schemas, whose library the member pages do without. A pending `configure` is
 * previewed as refused (`invalid`), i.e. not applied, until the server's receipt says otherwise.
 */
export const decideMember = decider({
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
	addImage,
	removeImage,
	recordExpense,
	approveExpense,
	rejectExpense,
	payExpense
});
