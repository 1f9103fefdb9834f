import type { Token, Tokens } from 'marked';

/** Only these link targets become links; anything else (javascript:, data:, relative…) stays text. */
export function safeHref(href: string): string | null {
	try {
		const url = new URL(href);
		return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
	} catch {
		return null;
	}
}

/** The inline tokens of a block-level token, if it has any. */
export function inlineOf(token: Token): Token[] | undefined {
	return 'tokens' in token ? (token.tokens as Token[] | undefined) : undefined;
}

export type { Token, Tokens };
