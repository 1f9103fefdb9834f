const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A random id of `length` base64url characters (the protocol accepts 10–64 of [A-Za-z0-9_-]).
 * It begins with a letter or digit: an id beginning with `-` would be guarded as a formula in the
 * CSV export and misread by command-line tools.
 */
export function randomId(length = 21): string {
	const bytes = crypto.getRandomValues(new Uint8Array(length));
	let id = '';
	for (const [i, byte] of bytes.entries()) id += ALPHABET[i === 0 ? byte % 62 : byte & 63];
	return id;
}
