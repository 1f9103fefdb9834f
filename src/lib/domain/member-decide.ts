// The decide of the browser's optimistic preview of a member's pending commands.
import { decider } from './decider.js';
import { allocate, contribute, withdraw } from './rules-money.js';
import { addOwner, approve, cancel, complete, markPaid, publish } from './rules-bucket.js';
import { setPhase } from './rules-round.js';
import { defineGuideline, defineTag, raiseFlag, resolveFlag, tagBucket } from './rules-review.js';

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
	defineTag,
	defineGuideline,
	tagBucket,
	raiseFlag,
	resolveFlag
});
