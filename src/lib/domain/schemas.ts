// Valibot schemas for everything that crosses a boundary: commands read from member docs, ledger
// entries and receipts read back from storage, and the HTTP bodies of DESIGN §5. Input is parsed
// once here; the rest of the code trusts its types.
import * as v from 'valibot';
import { isKnownCurrency } from './currency.js';
import { ID_PATTERN, isId } from './id.js';
import { isTimeZone } from './schedule.js';
import { REVIEW_LIMITS, TAG_COLOURS } from './review.js';
import {
	BUCKET_STATUSES,
	ENTRY_TYPES,
	EXPENSE_STATUSES,
	PHASES,
	REASONS,
	ROLES,
	TRANSITIONS,
	TRANSPARENCIES,
	type AllocationRow,
	type Amount,
	type BlobHash,
	type BucketId,
	type BudgetItem,
	type ExpenseId,
	type ImageRef,
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
	type Schedule,
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
export const expenseIdSchema = id<ExpenseId>();
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
/**
 * ISO 3166-1 alpha-2: the 249 officially assigned codes. Intl knows more region codes (EU, UN,
 * XK, 419…) that name no country, which is why the list is written out.
 */
export const COUNTRY_CODES: ReadonlySet<string> = new Set(
	(
		'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
		'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
		'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
		'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
		'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
		'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
		'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
	).split(' ')
);
const countrySchema = v.pipe(
	v.string(),
	v.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as BE'),
	v.check((code) => COUNTRY_CODES.has(code), 'is not an assigned ISO 3166-1 country code')
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
	requireApproval: v.boolean(),
	country: v.optional(v.nullable(countrySchema))
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

const instantSchema = v.nullable(timeSchema);
/** A round's dates (PROTOCOL §12): UTC instants or null, and the IANA zone they were set in. */
export const scheduleSchema: v.GenericSchema<unknown, Schedule> = v.strictObject({
	zone: v.pipe(v.string(), v.check(isTimeZone, 'must be a time zone name such as Europe/Paris')),
	proposalsClose: instantSchema,
	fundingOpens: instantSchema,
	fundingCloses: instantSchema
});

const allocationRowSchema: v.GenericSchema<unknown, AllocationRow> = v.object({
	memberId: memberIdSchema,
	amount: amountSchema,
	mode: v.picklist(['add', 'set'])
});

export const budgetItemSchema: v.GenericSchema<unknown, BudgetItem> = v.object({
	label: v.string(),
	min: amountSchema,
	max: v.optional(v.nullable(amountSchema))
});

/** A stored file's name (PROTOCOL §9). */
export const blobHashSchema = v.pipe(
	v.string(),
	v.regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lowercase hex'),
	v.transform((s) => s as BlobHash)
);
/** The longest alt text of an image; empty means the bucket's title. */
export const ALT_MAX = 300;
const pixels = v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(10_000));
/** An image reference as the upload answered it (widths smallest first); the sequencer checks the round stored each hash. */
export const imageRefSchema: v.GenericSchema<unknown, ImageRef> = v.object({
	alt: v.pipe(v.string(), v.maxLength(ALT_MAX)),
	variants: v.pipe(
		v.array(v.object({ width: pixels, height: pixels, hash: blobHashSchema })),
		v.minLength(1, 'must hold at least one width'),
		v.maxLength(4, 'must hold at most 4 widths'),
		v.check((variants) => variants.every((variant, i) => i === 0 || variants[i - 1]!.width < variant.width), 'must be ordered by width')
	)
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
const onExpense = <T extends string>(type: T) =>
	v.object({ ...base, type: v.literal(type), bucketId: bucketIdSchema, expenseId: expenseIdSchema });
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
	v.object({ ...base, type: v.literal('schedule'), schedule: scheduleSchema }),
	// The row count and the members are the rule's to judge (invalid), with a receipt.
	v.object({ ...base, type: v.literal('importAllocations'), rows: v.pipe(v.array(allocationRowSchema), v.maxLength(10_000)) }),
	v.object({ ...base, type: v.literal('addImage'), bucketId: bucketIdSchema, image: imageRefSchema }),
	v.object({ ...base, type: v.literal('removeImage'), bucketId: bucketIdSchema, hash: blobHashSchema }),
	v.object({
		...base,
		type: v.literal('recordExpense'),
		bucketId: bucketIdSchema,
		expenseId: expenseIdSchema,
		label: text(200),
		amount: positiveAmountSchema,
		receipt: v.optional(imageRefSchema)
	}),
	onExpense('approveExpense'),
	v.object({ ...base, type: v.literal('rejectExpense'), bucketId: bucketIdSchema, expenseId: expenseIdSchema, note: text(500) }),
	onExpense('payExpense'),
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
	v.object({ ...base, type: v.literal('setGoals'), bucketId: bucketIdSchema, minGoal: amountSchema, maxGoal: amountSchema }),
	v.object({ ...base, type: v.literal('advance'), transition: v.picklist(TRANSITIONS), due: timeSchema })
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
	schedule: v.optional(scheduleSchema),
	image: v.optional(imageRefSchema),
	hash: v.optional(blobHashSchema),
	expense: v.optional(v.object({ id: expenseIdSchema, label: v.string(), receipt: v.optional(imageRefSchema) })),
	expenseId: v.optional(expenseIdSchema),
	expenseStatus: v.optional(v.picklist(EXPENSE_STATUSES)),
	note: v.optional(v.string()),
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

/** POST /api/groups/:gid/rounds (PROTOCOL §Groups): a new round of the group. */
export const createGroupRoundBodySchema = v.object({
	name: text(120),
	/** Without it, the new round's allocation is the previous round's. */
	defaultAllocation: v.optional(amountSchema),
	/** Take the previous round's cap, transparency and approval rule (default: the defaults of a new round). */
	copySettings: v.optional(v.boolean())
});
export type CreateGroupRoundBody = v.InferOutput<typeof createGroupRoundBodySchema>;

/** POST /api/groups/:gid/device-links/redeem: the one-time secret of a device link. */
export const redeemDeviceLinkBodySchema = v.object({
	secret: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/, 'must be a device link secret')),
	deviceId: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be a device id')))
});

export const parseCreateGroupRoundBody = (input: unknown) => parseWith(createGroupRoundBodySchema, input);
export const parseRedeemDeviceLinkBody = (input: unknown) => parseWith(redeemDeviceLinkBodySchema, input);
