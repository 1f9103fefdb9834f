// Random identifiers and bearer secrets. Tokens are 256-bit; only their SHA-256 hash is stored.
import { createHash, randomBytes } from 'node:crypto';

/**
 * An id of 16 base64url characters (96 random bits), within the protocol's 10–64 [A-Za-z0-9_-],
 * beginning with a letter or digit (an id beginning with `-` would be guarded as a formula in the
 * CSV export and misread by command-line tools).
 */
export function randomId(): string {
	for (;;) {
		const id = randomBytes(12).toString('base64url');
		if (/^[A-Za-z0-9]/.test(id)) return id;
	}
}

export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('base64url');
}
