// The one place where a command becomes an outcome and ledger entries (DESIGN §3). Checks common
// to all commands live here; each command's own rule lives in rules-*.ts.
import { refuse, type Context } from './decision.js';
import { allocate, contribute, withdraw } from './rules-money.js';
import { addOwner, approve, cancel, complete, create, markPaid, publish, setGoals } from './rules-bucket.js';
import { configure, join, open, setPhase } from './rules-round.js';
import type { Actor, Command, CommandType, Decision, RoundState } from './types.js';

const SYSTEM_COMMANDS: ReadonlySet<CommandType> = new Set(['open', 'join', 'create', 'setGoals']);
const FACILITATOR_COMMANDS: ReadonlySet<CommandType> = new Set(['approve', 'allocate', 'configure', 'setPhase', 'markPaid']);
/** Bookkeeping that moves no money and naturally happens after a round closes. */
const AFTER_CLOSE: ReadonlySet<CommandType> = new Set(['complete', 'markPaid']);

/**
 * Decides a command against the state, PURE: `state` is never modified. Refused commands produce
 * no entries (the server's command table remembers them, so a refused id may be sent again and be
 * judged again). In order:
 * - duplicate: an id that already produced ledger entries is refused, whoever sends it;
 * - nothing but `open` before the round is open (invalid);
 * - system commands need the system actor, member commands a member actor (invalid);
 * - a member must be known, i.e. have an allocate entry (unknown_member);
 * - a closed round refuses member commands (round_closed), except complete and markPaid;
 * - facilitator commands need the facilitator role (not_facilitator);
 * then the command's own rule.
 */
export function decide(state: RoundState, command: Command, actor: Actor, at: number): Decision {
	if (state.applied.has(command.id)) return refuse('duplicate');
	const type = command.type;
	if (state.seq === 0 && type !== 'open') return refuse('invalid');
	const ctx: Context = { commandId: command.id, at, memberId: undefined, facilitator: false };
	if (SYSTEM_COMMANDS.has(type)) {
		if (actor.kind !== 'system') return refuse('invalid');
	} else {
		if (actor.kind !== 'member') return refuse('invalid');
		if (!state.members.has(actor.memberId)) return refuse('unknown_member');
		if (state.settings.phase === 'closed' && !AFTER_CLOSE.has(type)) return refuse('round_closed');
		ctx.memberId = actor.memberId;
		ctx.facilitator = actor.role === 'facilitator';
		if (FACILITATOR_COMMANDS.has(type) && !ctx.facilitator) return refuse('not_facilitator');
	}
	switch (command.type) {
		case 'open':
			return open(state, command, ctx);
		case 'join':
			return join(state, command, ctx);
		case 'create':
			return create(state, command, ctx);
		case 'setGoals':
			return setGoals(state, command, ctx);
		case 'contribute':
			return contribute(state, command, ctx);
		case 'withdraw':
			return withdraw(state, command, ctx);
		case 'publish':
			return publish(state, command, ctx);
		case 'addOwner':
			return addOwner(state, command, ctx);
		case 'complete':
			return complete(state, command, ctx);
		case 'approve':
			return approve(state, command, ctx);
		case 'cancel':
			return cancel(state, command, ctx);
		case 'allocate':
			return allocate(state, command, ctx);
		case 'configure':
			return configure(state, command, ctx);
		case 'setPhase':
			return setPhase(state, command, ctx);
		case 'markPaid':
			return markPaid(state, command, ctx);
		default:
			return refuse('invalid');
	}
}
