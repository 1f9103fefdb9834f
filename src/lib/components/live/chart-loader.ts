import type { Chart } from 'chart.js';

let loading: Promise<typeof Chart> | null = null;

/**
 * chart.js with the bars, doughnut, scales, tooltips and legends the projector draws, fetched on
 * first use only: it must stay out of the round page's initial JavaScript.
 */
export function loadChart(): Promise<typeof Chart> {
	loading ??= import('./chart-setup').then((m) => m.Chart);
	return loading;
}
