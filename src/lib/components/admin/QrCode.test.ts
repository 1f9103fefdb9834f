import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import QrCode from './QrCode.svelte';

afterEach(cleanup);

describe('QrCode', () => {
	it('renders an SVG image with the module count of the text and a 4-module quiet zone', () => {
		render(QrCode, { text: 'https://example.org/join#abc.def', label: 'Invite link QR code' });
		const svg = screen.getByRole('img', { name: 'Invite link QR code' });
		expect(svg.tagName.toLowerCase()).toBe('svg');
		expect(svg.getAttribute('data-modules')).toBe('29');
		expect(svg.getAttribute('viewBox')).toBe('-4 -4 37 37');
		const path = svg.querySelector('path')?.getAttribute('d') ?? '';
		expect(path).toMatch(/^M0 0h1v1h-1z/);
	});

	it('redraws when the text changes', async () => {
		const { rerender } = render(QrCode, { text: 'hello', label: 'QR' });
		expect(screen.getByRole('img', { name: 'QR' }).getAttribute('data-modules')).toBe('21');
		await rerender({ text: 'x'.repeat(20), label: 'QR' });
		expect(screen.getByRole('img', { name: 'QR' }).getAttribute('data-modules')).toBe('25');
	});
});
