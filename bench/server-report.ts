// Percentiles, command-line options and the Markdown rows the server benchmarks print.
import { cpus, loadavg } from 'node:os';

/** Nearest-rank percentile of unsorted `values` (p in 0–100). */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const ms = (value: number): string => (Number.isNaN(value) ? '—' : value < 10 ? value.toFixed(2) : value.toFixed(1));

/** `--name=1,2,3` from the command line, or the default. */
export function numbers(name: string, fallback: number[]): number[] {
	const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
	if (!arg) return fallback;
	const values = arg.slice(name.length + 3).split(',').map(Number);
	if (values.some((v) => !Number.isSafeInteger(v) || v <= 0)) throw new Error(`--${name} takes positive integers`);
	return values;
}

export function number(name: string, fallback: number): number {
	return numbers(name, [fallback])[0]!;
}

export function row(cells: (string | number)[]): void {
	console.log(`| ${cells.join(' | ')} |`);
}

export function table(header: string[]): void {
	row(header);
	row(header.map(() => '---'));
}

/** One line saying on what the figures were measured. */
export function machine(): string {
	const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
	const load = loadavg().map((l) => l.toFixed(2)).join(' ');
	return `Node ${process.version}, ${cpus().length} × ${cpu}, load average ${load}, ${new Date().toISOString()}`;
}

export const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));
