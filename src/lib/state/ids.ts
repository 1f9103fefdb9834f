const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A random id of `length` base64url characters (the protocol accepts 10–64 of [A-Za-z0-9_-]). */
export function randomId(length = 21): string {
	const bytes = crypto.getRandomValues(new Uint8Array(length));
	let id = '';
	for (const byte of bytes) id += ALPHABET[byte & 63];
	return id;
}
