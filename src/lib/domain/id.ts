// The id format of the protocol (rounds, members, buckets, commands, comments), in a module of its
// own so that readers that only check ids do not pull in the schema library.
export const ID_PATTERN = /^[A-Za-z0-9_-]{10,64}$/;

export function isId(value: unknown): value is string {
	return typeof value === 'string' && ID_PATTERN.test(value);
}
