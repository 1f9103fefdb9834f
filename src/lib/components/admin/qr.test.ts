import { describe, expect, it } from 'vitest';
import { qrModules } from './qr';

const squares = (path: string) => path.match(/M\d+ \d+h1v1h-1z/g) ?? [];

describe('qrModules', () => {
	it('uses the smallest version that holds the text (M level, byte mode)', () => {
		// Version 1-M holds 14 bytes, 2-M 26, 3-M 42: sizes 21, 25, 29.
		expect(qrModules('hello').size).toBe(21);
		expect(qrModules('x'.repeat(20)).size).toBe(25);
		expect(qrModules('https://example.org/join#abc.def').size).toBe(29);
	});

	it('draws the three finder patterns and keeps their separators light', () => {
		const { size, path } = qrModules('https://example.org/join#abc.def');
		const dark = new Set(squares(path));
		const at = (col: number, row: number) => dark.has(`M${col} ${row}h1v1h-1z`);
		for (const [col, row] of [
			[0, 0],
			[size - 1, 0],
			[0, size - 1],
			[6, 6],
			[2, 2]
		] as const) {
			expect(at(col, row), `${col},${row}`).toBe(true);
		}
		expect(at(7, 7)).toBe(false);
		expect(at(1, 1)).toBe(false);
		expect(at(size - 8, 0)).toBe(false);
	});

	it('draws only whole modules inside the matrix', () => {
		const { size, path } = qrModules('tirelire');
		const all = squares(path);
		expect(all.join('')).toBe(path);
		for (const square of all) {
			const [col, row] = square.slice(1).split('h')[0]!.split(' ').map(Number) as [number, number];
			expect(col).toBeLessThan(size);
			expect(row).toBeLessThan(size);
		}
	});
});
