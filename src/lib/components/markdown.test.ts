import { cleanup, render } from '@testing-library/svelte';
import { lexer } from 'marked';
import { afterEach, describe, expect, it } from 'vitest';
import MarkdownBlocks from './MarkdownBlocks.svelte';
import { safeHref } from './markdown';

afterEach(cleanup);

describe('Markdown', () => {
	it('§8 links only to http, https and mailto', () => {
		expect(safeHref('https://example.org/a')).toBe('https://example.org/a');
		expect(safeHref('mailto:a@b.org')).toBe('mailto:a@b.org');
		expect(safeHref('javascript:alert(1)')).toBeNull();
		expect(safeHref('data:text/html,x')).toBeNull();
		expect(safeHref('/relative')).toBeNull();
	});

	it('§8 user text never becomes HTML: raw tags are shown as text, bad links as plain words', () => {
		const source = '**bold** [ok](https://example.org) [bad](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n\n<script>alert(1)</script>';
		const { container } = render(MarkdownBlocks, { props: { tokens: lexer(source) } });
		expect(container.querySelector('strong')?.textContent).toBe('bold');
		const links = [...container.querySelectorAll('a')];
		expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.org/']);
		expect(links[0]?.getAttribute('rel')).toContain('noopener');
		expect(container.querySelector('img, script')).toBeNull();
		expect(container.textContent).toContain('bad');
		expect(container.textContent).toContain('<script>alert(1)</script>');
	});
});
