// DESIGN §10 domain targets: replay of 10,000 commands < 20 ms; one apply < 5 µs.
// `apply ×N` measures N commands applied from an empty state: divide its mean by N for one apply.
import { bench, describe } from 'vitest';
import { apply, emptyState, replay } from '../src/lib/domain/reducer.js';
import { workload } from './domain-workload.js';

for (const size of [10_000, 100_000]) {
	const { items, ledger } = workload(size);
	const label = size.toLocaleString('en');
	describe(`${label} commands (${ledger.length.toLocaleString('en')} ledger entries)`, () => {
		bench(`replay ledger of ${label} commands`, () => {
			replay(ledger);
		});
		bench(`apply ×${label}`, () => {
			const state = emptyState();
			for (let i = 0; i < items.length; i++) {
				const { command, actor } = items[i] as (typeof items)[number];
				apply(state, command, actor, i);
			}
		});
	});
}
