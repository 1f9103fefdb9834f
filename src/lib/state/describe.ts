import type { HistoryRow } from '$lib/domain/history';
import type { MemberCommand } from '$lib/domain/types';
import type { I18n } from '$lib/i18n/i18n.svelte';
import type { Notice } from './notices.svelte';
import type { RoundView } from './round.svelte';

/** Everything needed to put a command or a notice into words. */
export interface Wording {
	i18n: I18n;
	round: RoundView;
	currency: string;
}

function bucketTitle(w: Wording, id: string): string {
	return w.round.bucketById.get(id as never)?.title || w.i18n.t('receipt.unknownBucket');
}

function memberName(w: Wording, id: string): string {
	return w.round.memberName(id) ?? w.i18n.t('receipt.unknownMember');
}

/** "give 12,00 € to “Stage lights”": what a command asks, in lower case to fit in sentences. */
export function describeCommand(w: Wording, command: MemberCommand): string {
	const { t } = w.i18n;
	const money = (amount: number) => w.i18n.amount(amount, w.currency);
	switch (command.type) {
		case 'contribute':
		case 'withdraw':
			return t(`cmd.${command.type}`, { amount: money(command.amount), bucket: bucketTitle(w, command.bucketId) });
		case 'addOwner':
			return t('cmd.addOwner', { member: memberName(w, command.memberId), bucket: bucketTitle(w, command.bucketId) });
		case 'allocate':
			return t(`cmd.allocate.${command.mode}`, { member: memberName(w, command.memberId), amount: money(command.amount) });
		case 'configure':
			return t('cmd.configure');
		case 'setPhase':
			return t('cmd.setPhase', { phase: t(`phase.${command.phase}`) });
		case 'schedule':
			return t('cmd.schedule');
		case 'importAllocations':
			return t('cmd.importAllocations', { count: command.rows.length });
		case 'defineTag':
			return t('cmd.defineTag', { tag: command.tag.name });
		case 'defineGuideline':
			return t('cmd.defineGuideline', { guideline: command.guideline.title });
		case 'resolveFlag':
			return t('cmd.resolveFlag');
		default:
			return t(`cmd.${command.type}`, { bucket: bucketTitle(w, command.bucketId) });
	}
}

/**
 * A notice as one plain sentence, e.g. "12,00 € of your 20,00 € were accepted for “Stage
 * lights”: the bucket filled up while you were offline."
 */
export function describeNotice(w: Wording, notice: Notice): string {
	const { t } = w.i18n;
	switch (notice.kind) {
		case 'unknownRoom':
			return t('sync.unknownRoom');
		case 'budget':
			return t('receipt.budgetRefused', { bucket: bucketTitle(w, notice.bucketId), reason: t(`reason.${notice.reason}`) });
		case 'slowDown':
			return t('sync.slowDown', { why: t(`close.${notice.code}`) });
		case 'dropped': {
			const what =
				notice.room === 'round' || notice.commands.length === 0
					? t('sync.droppedRound')
					: notice.commands.map((c) => describeCommand(w, c)).join(', ');
			return t('sync.dropped', { what, why: t(`close.${notice.code}`) });
		}
		case 'receipt': {
			const { command, receipt } = notice;
			const offline = notice.offline ? t('receipt.offline') : '';
			if (!receipt.ok) {
				return t('receipt.refused', {
					action: describeCommand(w, command),
					reason: t(`reason.${receipt.reason ?? 'invalid'}`),
					offline
				});
			}
			if (command.type === 'contribute' || command.type === 'withdraw') {
				const accepted = receipt.accepted ?? command.amount;
				const bucket = bucketTitle(w, command.bucketId);
				if (accepted < command.amount) {
					return t('receipt.partial', {
						accepted: w.i18n.amount(accepted, w.currency),
						amount: w.i18n.amount(command.amount, w.currency),
						bucket,
						reason: t(`reason.${receipt.reason ?? 'bucket_full'}`),
						offline
					});
				}
				const key = command.type === 'contribute' ? 'receipt.contributed' : 'receipt.withdrew';
				return t(key, { amount: w.i18n.amount(accepted, w.currency), bucket });
			}
			return t('receipt.done', { action: describeCommand(w, command) });
		}
	}
}

/** A "my money" line in words: what moved, and the server's answer (its receipt). */
export function describeHistoryLine(w: Wording, row: HistoryRow): { what: string; answer: string } {
	const { t } = w.i18n;
	const money = (amount: number) => w.i18n.amount(amount, w.currency);
	const bucket = row.bucketId ? bucketTitle(w, row.bucketId) : '';
	const what =
		row.kind === 'allocation'
			? t(row.amount < 0 ? 'money.kind.allocationDown' : 'money.kind.allocation')
			: row.kind === 'refund'
				? t(`money.kind.refund.${row.cause ?? 'cancelled'}`, { bucket })
				: t(`money.kind.${row.kind}`, { bucket });
	const reason = t(`reason.${row.reason ?? 'invalid'}`);
	const asked = money(row.asked ?? row.amount);
	const answer =
		row.outcome === 'partial'
			? row.reason === 'nothing_to_withdraw'
				? t('money.outcome.partialAll', { amount: money(row.amount), asked })
				: t('money.outcome.partial', { amount: money(row.amount), asked, reason })
			: row.outcome === 'refused'
				? t('money.outcome.refused', { reason })
				: t(`money.outcome.${row.outcome}`);
	return { what, answer };
}
