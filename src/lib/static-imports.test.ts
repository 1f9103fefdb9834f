// The round page's first download (its JS budget): what its modules import statically, read
// from the sources. Dynamic `import()` and `import type` are not followed: they cost nothing there.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const LIB = join(ROOT, 'src/lib');

const STATIC = [
	/^\s*import\s+(?!type\b)[^'"]*?\sfrom\s+['"]([^'"]+)['"]/gm,
	/^\s*import\s+['"]([^'"]+)['"]/gm,
	/^\s*export\s+(?!type\b)[^'"]*?\sfrom\s+['"]([^'"]+)['"]/gm
];

function code(file: string): string {
	const text = readFileSync(file, 'utf8');
	if (!file.endsWith('.svelte')) return text;
	return [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

function resolveFile(from: string, specifier: string): string | undefined {
	const base = specifier.startsWith('$lib/') ? join(LIB, specifier.slice(5)) : resolve(dirname(from), specifier);
	const stem = base.replace(/\.js$/, '');
	return [base, `${stem}.ts`, `${stem}.svelte.ts`, `${stem}/index.ts`].find((f) => existsSync(f) && statSync(f).isFile());
}

/** Every source file and package reached from `entries` through static imports. */
function closure(entries: string[]): { files: string[]; packages: string[] } {
	const files = new Set<string>();
	const packages = new Set<string>();
	const visit = (file: string) => {
		if (files.has(file)) return;
		files.add(file);
		for (const pattern of STATIC) {
			for (const [, specifier] of code(file).matchAll(pattern)) {
				if (!specifier) continue;
				if (specifier.startsWith('.') || specifier.startsWith('$lib/')) {
					const target = resolveFile(file, specifier);
					if (target) visit(target);
				} else if (!specifier.startsWith('$app/') && !specifier.startsWith('./$types')) {
					packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] as string));
				}
			}
		}
	};
	entries.map((entry) => join(ROOT, entry)).forEach(visit);
	return { files: [...files].map((f) => relative(ROOT, f)).sort(), packages: [...packages].sort() };
}

describe('the round page’s static imports (JS budget)', () => {
	const round = closure(['src/routes/+layout.svelte', 'src/routes/+layout.ts', 'src/routes/r/[roundId]/+layout.svelte', 'src/routes/r/[roundId]/+page.svelte']);

	it('the walk finds the page’s real dependencies (so that the checks below mean something)', () => {
		expect(round.files).toContain('src/lib/state/preview.ts');
		expect(round.files).toContain('src/lib/i18n/i18n.svelte.ts');
		expect(round.packages).toEqual(expect.arrayContaining(['yjs', 'dexie', 'y-websocket']));
	});

	it('no message catalog: the language shown is loaded on demand, the other never', () => {
		expect(round.files.filter((f) => f.startsWith('src/lib/i18n/messages/') && !f.endsWith('/define.ts'))).toEqual([]);
	});

	it('no schema library (only the facilitator’s settings need it), no Markdown lexer, no charts, no QR codes', () => {
		for (const name of ['valibot', 'marked', 'chart.js', 'qrcode-generator']) expect(round.packages).not.toContain(name);
	});
});
