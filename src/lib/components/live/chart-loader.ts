import type { Chart } from 'chart.js';

let loading: Promise<typeof Chart> | null = null;

/**
 * chart.js, fetched on first use only (it must stay out of the round page's initial JavaScript),
 * with just the pieces the projector draws registered: bars, a doughnut, their scales, tooltips
 * and legends.
 */
export function loadChart(): Promise<typeof Chart> {
	loading ??= import('chart.js').then((m) => {
		m.Chart.register(
			m.BarController,
			m.BarElement,
			m.CategoryScale,
			m.LinearScale,
			m.DoughnutController,
			m.ArcElement,
			m.Tooltip,
			m.Legend
		);
		return m.Chart;
	});
	return loading;
}
