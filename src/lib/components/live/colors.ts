/**
 * The projector's colours, one meaning each, shared by the bars, the badges and the charts:
 * green is money collected (whether or not the goal is reached), orange what a bucket still needs
 * to reach its goal, dark teal the stretch room above it, blue-grey the money members still hold.
 * A reached goal is said in words and a check mark, not by a change of colour.
 */
export const LIVE_COLORS = {
	collected: '#5fd3a8',
	needed: '#f59a62',
	stretch: '#4d7a6e',
	left: '#9db4c8',
	background: '#0f2621'
} as const;

/** The same colours as CSS custom properties, for the projector's root element. */
export const liveColorVars = Object.entries(LIVE_COLORS)
	.map(([name, value]) => `--live-${name}: ${value}`)
	.join('; ');
