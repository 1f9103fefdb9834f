import { describe, expect, it } from 'vitest';
import { readExpenses, readImages } from './document.js';

const HASH = 'a'.repeat(64);
const image = { alt: 'Beds', variants: [{ width: 320, height: 240, hash: HASH }] };
const expense = { id: 'expense-00001', memberId: 'member-alice', label: 'Seeds', amount: 1250, status: 'paid', at: 1, receipt: image };

describe('readers of images and expenses (PROTOCOL §9, §10)', () => {
	it('§12 a page keeps the images and expenses that parse and drops the rest, never throwing', () => {
		expect(readImages([image, { alt: 'x', variants: [{ width: 320, height: 240, hash: 'javascript:alert(1)' }] }, { alt: 'y', variants: [] }, null, 'x'])).toEqual([image]);
		expect(readImages({ not: 'an array' })).toEqual([]);
		expect(
			readExpenses([
				expense,
				{ ...expense, id: 'expense-00002', amount: -5 },
				{ ...expense, id: 'expense-00003', status: 'stolen' },
				{ ...expense, id: 'expense-00004', receipt: { alt: 1 } },
				7
			])
		).toEqual([expense, { ...expense, id: 'expense-00004', receipt: undefined }].map(({ receipt, ...rest }) => (receipt ? { ...rest, receipt } : rest)));
	});
});
