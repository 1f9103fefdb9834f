// Valibot schemas for everything that crosses a boundary: commands read from member docs, ledger
// entries and receipts read back from storage, and the HTTP bodies of DESIGN §5. Input is parsed
// once here; the rest of the code trusts its types.
import * as v from 'valibot';
import { isKnownCurrency } from './currency.js';
import { ID_PATTERN, isId } from './id.js';
import { REVIEW_LIMITS, TAG_COLOURS } from './review.js';
import {
	BUCKET_STATUSES,
	ENTRY_TYPES,
	PHASES,
	REASONS,
	ROLES,
	TRANSPARENCIES,
	type Amount,
	type BucketId,
	type BudgetItem,
	type Command,
	type CommandId,
	type Configurable,
	type FlagId,
	type Guideline,
	type GuidelineId,
	type Tag,
	type TagId,
	type LedgerEntry,
	type MemberCommand,
	type MemberId,
	type Receipt,
	type RoundSettings,
	type SystemCommand
} from './types.js';

const idMessage = 'must be 10 to 64 characters of A-Z, a-z, 0-9, _ or -';

export { isId };

const id = <T extends string>() =>
	v.pipe(
		v.string(),
		v.regex(ID_PATTERN, idMessage),
		v.transform((s) => s as T)
	);
export const commandIdSchema = id<CommandId>();
export const memberIdSchema = id<MemberId>();
export const bucketIdSchema = id<BucketId>();
const tagIdSchema = id<TagId>();
const guidelineIdSchema = id<GuidelineId>();
const flagIdSchema = id<FlagId>();

/** Money in a command or a body: a safe, non-negative integer of minor units. */
export const amountSchema = v.pipe(
	v.number(),
	v.safeInteger('must be a whole number of minor units'),
	v.minValue(0, 'must not be negative'),
	v.transform((n) => n as Amount)
);
/** Only `allocate` ledger entries carry a signed amount. */
const signedAmountSchema = v.pipe(
	v.number(),
	v.safeInteger('must be a whole number of minor units'),
	v.transform((n) => n as Amount)
);
const positiveAmountSchema = v.pipe(amountSchema, v.minValue(1 as Amount, 'must be at least 1'));
const timeSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

const currencySchema = v.pipe(
	v.string(),
	v.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
	v.check(isKnownCurrency, 'is not a currency this runtime knows')
);
const localeSchema = v.pipe(
	v.string(),
	v.check((tag) => {
		try {
			return Intl.getCanonicalLocales(tag).length === 1;
		} catch {
			return false;
		}
	}, 'must be a BCP 47 language tag such as fr-FR')
);
const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max));
/** A person's name as typed: bounded here, then judged by `normalizeName` (names.ts) where it is used. */
const typedName = v.pipe(v.string(), v.maxLength(400));

const configurableEntries = {
	name: text(120),
	currency: currencySchema,
	locale: localeSchema,
	defaultAllocation: amountSchema,
	maxPerMemberPerBucket: v.nullable(amountSchema),
	transparency: v.picklist(TRANSPARENCIES),
	requireApproval: v.boolean()
};

export const configurableSchema: v.GenericSchema<unknown, Configurable> = v.object(configurableEntries);
export const roundSettingsSchema: v.GenericSchema<unknown, RoundSettings> = v.object({
	...configurableEntries,
	phase: v.picklist(PHASES)
});
/** A `configure` patch: known keys only (the phase moves with `setPhase`), at least one. */
export const settingsPatchSchema: v.GenericSchema<unknown, Partial<Configurable>> = v.pipe(
	v.partial(v.strictObject(configurableEntries)),
	v.check((patch) => Object.keys(patch).length > 0, 'must change at least one setting')
);

export const budgetItemSchema: v.GenericSchema<unknown, BudgetItem> = v.object({
	label: v.string(),
	min: amountSchema,
	max: v.optional(v.nullable(amountSchema))
});

const tagSchema: v.GenericSchema<unknown, Tag> = v.object({
	id: tagIdSchema,
	name: text(REVIEW_LIMITS.tagName),
	colour: v.picklist(TAG_COLOURS)
});
const guidelineSchema: v.GenericSchema<unknown, Guideline> = v.object({
	id: guidelineIdSchema,
	title: text(REVIEW_LIMITS.guidelineTitle),
	text: v.pipe(v.string(), v.maxLength(REVIEW_LIMITS.guidelineText))
});

const base = { id: commandIdSchema, at: timeSchema };
const onBucket = <T extends string>(type: T) => v.object({ ...base, type: v.literal(type), bucketId: bucketIdSchema });
const moveMoney = <T extends string>(type: T) =>
	v.object({ ...base, type: v.literal(type), bucketId: bucketIdSchema, amount: positiveAmountSchema });

const memberCommandOptions = [
	moveMoney('contribute'),
	moveMoney('withdraw'),
	onBucket('publish'),
	v.object({ ...base, type: v.literal('addOwner'), bucketId: bucketIdSchema, memberId: memberIdSchema }),
	onBucket('complete'),
	onBucket('approve'),
	onBucket('cancel'),
	v.object({
		...base,
		type: v.literal('allocate'),
		memberId: memberIdSchema,
		amount: amountSchema,
		mode: v.picklist(['add', 'set'])
	}),
	v.object({ ...base, type: v.literal('configure'), settings: settingsPatchSchema }),
	v.object({ ...base, type: v.literal('setPhase'), phase: v.picklist(PHASES) }),
	onBucket('markPaid'),
	v.object({ ...base, type: v.literal('defineTag'), tag: tagSchema }),
	v.object({ ...base, type: v.literal('defineGuideline'), guideline: guidelineSchema }),
	v.object({
		...base,
		type: v.literal('tagBucket'),
		bucketId: bucketIdSchema,
		tags: v.pipe(v.array(tagIdSchema), v.maxLength(REVIEW_LIMITS.bucketTags))
	}),
	v.object({
		...base,
		type: v.literal('raiseFlag'),
		bucketId: bucketIdSchema,
		guidelineId: guidelineIdSchema,
		text: text(REVIEW_LIMITS.flagText)
	}),
	v.object({ ...base, type: v.literal('resolveFlag'), flagId: flagIdSchema, text: v.pipe(v.string(), v.maxLength(REVIEW_LIMITS.flagText)) })
] as const;

const systemCommandOptions = [
	v.object({ ...base, type: v.literal('open'), settings: roundSettingsSchema }),
	v.object({ ...base, type: v.literal('join'), memberId: memberIdSchema }),
	v.object({ ...base, type: v.literal('create'), bucketId: bucketIdSchema, memberId: memberIdSchema }),
	// A stretch below the needed amount is the rule's to refuse (stretch_below_needed), with a receipt.
	v.object({ ...base, type: v.literal('setGoals'), bucketId: bucketIdSchema, minGoal: amountSchema, maxGoal: amountSchema })
] as const;

export const memberCommandSchema: v.GenericSchema<unknown, MemberCommand> = v.variant('type', memberCommandOptions);
export const systemCommandSchema: v.GenericSchema<unknown, SystemCommand> = v.variant('type', systemCommandOptions);
export const commandSchema: v.GenericSchema<unknown, Command> = v.variant('type', [
	...memberCommandOptions,
	...systemCommandOptions
]);

export const ledgerEntrySchema: v.GenericSchema<unknown, LedgerEntry> = v.object({
	seq: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
	at: timeSchema,
	type: v.picklist(ENTRY_TYPES),
	bucketId: v.optional(bucketIdSchema),
	memberId: v.optional(memberIdSchema),
	amount: signedAmountSchema,
	commandId: v.optional(commandIdSchema),
	status: v.optional(v.picklist(BUCKET_STATUSES)),
	phase: v.optional(v.picklist(PHASES)),
	minGoal: v.optional(amountSchema),
	maxGoal: v.optional(amountSchema),
	settings: v.optional(v.partial(v.object({ ...configurableEntries, phase: v.picklist(PHASES) }))),
	tag: v.optional(tagSchema),
	guideline: v.optional(guidelineSchema),
	tags: v.optional(v.array(tagIdSchema)),
	guidelineId: v.optional(guidelineIdSchema),
	flagId: v.optional(flagIdSchema),
	text: v.optional(v.string())
});

export const receiptSchema: v.GenericSchema<unknown, Receipt> = v.object({
	commandId: commandIdSchema,
	ok: v.boolean(),
	accepted: v.optional(amountSchema),
	reason: v.optional(v.picklist(REASONS)),
	seq: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
	bucketId: v.optional(bucketIdSchema)
});

/** POST /api/rounds (DESIGN §5). */
export const createRoundBodySchema = v.object({
	name: text(120),
	currency: currencySchema,
	defaultAllocation: amountSchema,
	facilitatorName: typedName,
	transparency: v.optional(v.picklist(TRANSPARENCIES)),
	locale: v.optional(localeSchema),
	maxPerMemberPerBucket: v.optional(v.nullable(amountSchema)),
	requireApproval: v.optional(v.boolean())
});
export type CreateRoundBody = v.InferOutput<typeof createRoundBodySchema>;

/** POST /api/rounds/:rid/invites. */
export const createInviteBodySchema = v.object({
	role: v.optional(v.picklist(ROLES)),
	uses: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1, 'must be at least 1'))),
	expiresAt: v.optional(timeSchema)
});
export type CreateInviteBody = v.InferOutput<typeof createInviteBodySchema>;

/** POST /api/rounds/:rid/join. */
export const joinBodySchema = v.object({
	code: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be an invite code')),
	name: typedName,
	/** The joining browser's own random id (kept on the device), to recognise it when it joins again. */
	deviceId: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be a device id')))
});

/** PATCH /api/rounds/:rid/invites/:code. */
export const inviteChangeBodySchema = v.object({ disabled: v.boolean() });
export type JoinBody = v.InferOutput<typeof joinBodySchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: { code: 'invalid'; message: string } };

/** Parses untrusted input; the error message names each offending field so a person can fix it. */
export function parseWith<T>(schema: v.GenericSchema<unknown, T>, input: unknown): Parsed<T> {
	const result = v.safeParse(schema, input);
	if (result.success) return { ok: true, value: result.output };
	const message = result.issues
		.map((issue) => {
			const path = v.getDotPath(issue);
			return path ? `${path}: ${issue.message}` : issue.message;
		})
		.join('; ');
	return { ok: false, error: { code: 'invalid', message } };
}

/** A command read from a member doc (member commands only: system commands come from the server). */
export function parseCommand(
	input: unknown
): { ok: true; command: MemberCommand } | { ok: false; error: { code: 'invalid'; message: string } } {
	const parsed = parseWith(memberCommandSchema, input);
	return parsed.ok ? { ok: true, command: parsed.value } : parsed;
}

export const parseCreateRoundBody = (input: unknown) => parseWith(createRoundBodySchema, input);
export const parseCreateInviteBody = (input: unknown) => parseWith(createInviteBodySchema, input);
export const parseJoinBody = (input: unknown) => parseWith(joinBodySchema, input);
export const parseInviteChangeBody = (input: unknown) => parseWith(inviteChangeBodySchema, input);
export const parseLedgerEntry = (input: unknown) => parseWith(ledgerEntrySchema, input);
export const parseReceipt = (input: unknown) => parseWith(receiptSchema, input);
