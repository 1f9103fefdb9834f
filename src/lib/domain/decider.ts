// The checks common to all commands (DESIGN §3), in front of a table of the commands' own rules.
import { refuse, type Context } from './decision.js';
import type { Actor, Command, CommandType, Decision, RoundState } from './types.js';

const SYSTEM_COMMANDS: ReadonlySet<CommandType> = new Set(['open', 'join', 'create', 'setGoals', 'advance']);
const FACILITATOR_COMMANDS: ReadonlySet<CommandType> = new Set([
	'approve',
	'allocate',
	'configure',
	'setPhase',
	'markPaid',
	'schedule',
	'importAllocations',
	'approveExpense',
	'rejectExpense',
	'payExpense',
	'defineTag',
	'defineGuideline',
	'resolveFlag'
]);
/** Bookkeeping that moves no money and naturally happens after a round closes (spending the money above all). */
const AFTER_CLOSE: ReadonlySet<CommandType> = new Set([
	'complete',
	'markPaid',
	'recordExpense',
	'approveExpense',
	'rejectExpense',
	'payExpense'
]);

/** The rule of one command type. */
export type Rule<T extends CommandType> = (state: RoundState, command: Extract<Command, { type: T }>, ctx: Context) => Decision;
export type Rules = { [T in CommandType]?: Rule<T> };
export type Decide = (state: RoundState, command: Command, actor: Actor, at: number) => Decision;

/**
 * Builds a decide from the commands' rules. It decides a command against the state, PURE: `state`
 * is never modified. Refused commands produce no entries (the server's command table remembers
 * them, so a refused id may be sent again and be judged again). In order:
 * - duplicate: an id that already produced ledger entries is refused, whoever sends it;
 * - nothing but `open` before the round is open (invalid);
 * - system commands need the system actor, member commands a member actor (invalid);
 * - a member must be known, i.e. have an allocate entry (unknown_member);
 * - a closed round refuses member commands (round_closed), except complete, markPaid and expenses;
 * - facilitator commands need the facilitator role (not_facilitator);
 * then the command's own rule from `rules` (a command without one is invalid).
 */
export function decider(rules: Rules): Decide {
	return (state, command, actor, at) => {
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
		const rule = rules[type] as Rule<typeof type> | undefined;
		return rule ? rule(state, command as never, ctx) : refuse('invalid');
	};
}
