// Closing a round ends every bucket that was not funded, whatever stage it reached (PROTOCOL §5):
// an `idea` waiting for approval must not stay an idea in a closed round.
import { describe, expect, it } from 'vitest';
import { apply, emptyState, replay } from './reducer.js';
import type { Actor, Amount, BucketId, Command, CommandId, LedgerEntry, MemberId } from './types.js';

const F = 'facilitator-1' as MemberId;
const A = 'member-alice' as MemberId;
const IDEA = 'bucket-idea-01' as BucketId;
const SYSTEM: Actor = { kind: 'system' };

describe('closing a round with approval required', () => {
	it('§3 an idea bucket (published, not approved) becomes unfunded at close, in the state and in the ledger', () => {
		const state = emptyState();
		const ledger: LedgerEntry[] = [];
		let n = 0;
		const run = (body: Record<string, unknown>, actor: Actor) => {
			const command = { ...body, id: `command-${String(++n).padStart(4, '0')}` as CommandId, at: 0 } as Command;
			const result = apply(state, command, actor, 1_000 + n);
			ledger.push(...result.entries);
			return result;
		};
		const member = (memberId: MemberId): Actor => ({ kind: 'member', memberId, role: memberId === F ? 'facilitator' : 'member' });
		run(
			{
				type: 'open',
				settings: {
					name: 'Fête',
					currency: 'EUR',
					locale: 'fr-FR',
					phase: 'proposing',
					defaultAllocation: 10_000 as Amount,
					maxPerMemberPerBucket: null,
					transparency: 'named',
					requireApproval: true
				}
			},
			SYSTEM
		);
		for (const m of [F, A]) run({ type: 'join', memberId: m }, SYSTEM);
		run({ type: 'create', bucketId: IDEA, memberId: A }, SYSTEM);
		run({ type: 'setGoals', bucketId: IDEA, minGoal: 3_000, maxGoal: 3_000 }, SYSTEM);
		run({ type: 'publish', bucketId: IDEA }, member(A));
		expect(state.buckets.get(IDEA)?.status).toBe('idea');
		run({ type: 'setPhase', phase: 'funding' }, member(F));

		const closed = run({ type: 'setPhase', phase: 'closed' }, member(F));
		expect(closed.outcome).toEqual({ ok: true });
		expect(closed.entries).toContainEqual(expect.objectContaining({ type: 'status', bucketId: IDEA, status: 'unfunded' }));
		expect(state.buckets.get(IDEA)?.status).toBe('unfunded');
		expect(replay(ledger).buckets.get(IDEA)?.status).toBe('unfunded');
	});
});
