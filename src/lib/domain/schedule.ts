// The round's schedule (DESIGN §12, PROTOCOL §12): the ids of its system transitions, which of its
// dates come next, the time left, and wall-clock times in a named time zone. Pure: Intl only.
import type { CommandId, Phase, Schedule, Transition } from './types.js';

/** The dates a schedule holds, in the order a round meets them. */
export const MILESTONES = ['proposalsClose', 'fundingOpens', 'fundingCloses'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** The phase a transition moves the round to. */
export const TRANSITION_PHASE: Readonly<Record<Transition, Phase>> = { fundingOpens: 'funding', fundingCloses: 'closed' };

/**
 * The command id of a scheduled transition: the same on every server and after every restart for
 * a given (round, transition, instant), so the sequencer's once-ever command table runs it once.
 * A facilitator who moves the date gets a new id (a new transition); the old one never fires.
 */
export function transitionId(transition: Transition, due: number): CommandId {
	return `sched_${transition}_${due}` as CommandId;
}

/** Whether `zone` is an IANA time zone name this runtime knows (`Europe/Paris`, `UTC`). */
export function isTimeZone(zone: string): boolean {
	if (zone.length === 0 || zone.length > 64) return false;
	try {
		new Intl.DateTimeFormat('en', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

/** Whether `milestone` still lies ahead for a round in `phase`: what has happened is not counted down. */
function ahead(milestone: Milestone, phase: Phase): boolean {
	if (phase === 'closed') return false;
	return milestone !== 'fundingOpens' || phase === 'proposing';
}

/** The schedule's dates still to come at `now` for a round in `phase`, soonest first. */
export function upcoming(schedule: Schedule | null, phase: Phase, now: number): { milestone: Milestone; at: number }[] {
	if (!schedule) return [];
	const list: { milestone: Milestone; at: number }[] = [];
	for (const milestone of MILESTONES) {
		const at = schedule[milestone];
		if (at !== null && at > now && ahead(milestone, phase)) list.push({ milestone, at });
	}
	return list.sort((a, b) => a.at - b.at);
}

export interface TimeLeft {
	days: number;
	hours: number;
	minutes: number;
	seconds: number;
}

/** Whole days, hours, minutes and seconds from `now` to `at` (all 0 once it has passed); rounded up to the second. */
export function timeLeft(at: number, now: number): TimeLeft {
	let s = Math.max(0, Math.ceil((at - now) / 1000));
	const days = Math.floor(s / 86_400);
	s -= days * 86_400;
	const hours = Math.floor(s / 3600);
	s -= hours * 3600;
	const minutes = Math.floor(s / 60);
	return { days, hours, minutes, seconds: s - minutes * 60 };
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of `instant` in `zone`. */
function wall(instant: number, zone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
	let format = wallFormats.get(zone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		});
		wallFormats.set(zone, format);
	}
	const parts: Record<string, number> = {};
	for (const part of format.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
	return { y: parts.year!, mo: parts.month!, d: parts.day!, h: parts.hour!, mi: parts.minute!, s: parts.second! };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `instant` as a `datetime-local` value (`2026-03-14T18:30`, with `:05` seconds when not 0) in `zone`. */
export function toZonedInput(instant: number, zone: string): string {
	const { y, mo, d, h, mi, s } = wall(instant, zone);
	return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}${s === 0 ? '' : `:${pad(s)}`}`;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The UTC instant of a wall-clock time typed in `zone` (a `datetime-local` value), or null when it
 * does not parse or does not exist there (the hour skipped when clocks go forward). A time that
 * happens twice (clocks going back) is the first of the two.
 */
export function fromZonedInput(value: string, zone: string): number | null {
	const match = LOCAL_INPUT.exec(value);
	if (!match || !isTimeZone(zone)) return null;
	const [y, mo, d, h, mi, sec] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
	const asUtc = Date.UTC(y, mo - 1, d, h, mi, sec);
	if (h > 23 || mi > 59 || sec > 59 || new Date(asUtc).getUTCDate() !== d) return null;
	// The zone's offset is at most ±14 h and changes at most once around a given time: trying the
	// offsets seen 14 h before and after finds every instant that reads as the typed time.
	const candidates = new Set<number>();
	for (const probe of [asUtc - 14 * 3_600_000, asUtc, asUtc + 14 * 3_600_000]) {
		const seen = wall(probe, zone);
		const offset = Date.UTC(seen.y, seen.mo - 1, seen.d, seen.h, seen.mi, seen.s) - Math.floor(probe / 1000) * 1000;
		candidates.add(asUtc - offset);
	}
	const typed = toZonedInput(asUtc, 'UTC');
	const matching = [...candidates].filter((instant) => toZonedInput(instant, zone) === typed).sort((a, b) => a - b);
	return matching[0] ?? null;
}

function isInstant(value: unknown): value is number | null {
	return value === null || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);
}

/** A schedule read from a document (the ledger replica): null when it does not parse, never a throw. */
export function readSchedule(value: unknown): Schedule | null {
	if (typeof value !== 'object' || value === null) return null;
	const { zone, proposalsClose, fundingOpens, fundingCloses } = value as Record<string, unknown>;
	if (typeof zone !== 'string' || !isTimeZone(zone)) return null;
	if (!isInstant(proposalsClose) || !isInstant(fundingOpens) || !isInstant(fundingCloses)) return null;
	return { zone, proposalsClose, fundingOpens, fundingCloses };
}

/** The round's current schedule: that of the last `schedule` entry of its ledger (null if none parses). */
export function scheduleOf(entries: readonly { type: string; schedule?: unknown }[]): Schedule | null {
	for (let i = entries.length - 1; i >= 0; i--) {
		if (entries[i]!.type === 'schedule') return readSchedule(entries[i]!.schedule);
	}
	return null;
}
