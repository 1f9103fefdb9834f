/** A message catalog: English and French with exactly the same keys. */
export type Catalog<K extends string> = { en: Record<K, string>; fr: Record<K, string> };

/**
 * Declares an area's catalog. The keys come from `en`; the type refuses a `fr` that misses a key
 * or has an extra one, so no string can stay untranslated.
 */
export function defineCatalog<const K extends string>(catalog: {
	en: Record<K, string>;
	fr: Record<NoInfer<K>, string>;
}): Catalog<K> {
	return catalog;
}

/** A translation of an English catalog: every key, and no other (object literals are checked). */
export type Translation<T> = { [K in keyof T]: string };
