/**
 * Every `error.code` the HTTP API answers with (PROTOCOL §2). The server's `HttpError` accepts only
 * these, and the app has one sentence per code in each language: a new code is added here first.
 */
export const HTTP_ERROR_CODES = [
	'bad_path',
	'bad_json',
	'invalid',
	'invalid_name',
	'unauthorized',
	'forbidden',
	'revoked',
	'invite_disabled',
	'invite_expired',
	'invite_used_up',
	'not_found',
	'unknown_round',
	'unknown_invite',
	'unknown_member',
	'method_not_allowed',
	'name_taken',
	'last_facilitator',
	'too_large',
	'upgrade_required',
	'rate_limited',
	'unknown_group',
	'unknown_device_link',
	'device_link_expired',
	'no_previous_round',
	'unknown_bucket',
	'upload_budget',
	'not_an_image',
	'unsupported_type',
	'too_many_pixels',
	'broken_image',
	'not_published',
	'unknown_publication',
	'publication_revoked',
	'store_unavailable',
	'internal'
] as const;

export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

export function isHttpErrorCode(code: string): code is HttpErrorCode {
	return (HTTP_ERROR_CODES as readonly string[]).includes(code);
}
