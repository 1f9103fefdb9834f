// How a page names and sizes a stored image (PROTOCOL §9): every width is its own immutable file.
import type { ImageRef } from '$lib/domain/types';

export const blobUrl = (hash: string): string => `/api/blobs/${hash}.webp`;

/** `srcset` listing every stored width, so the browser fetches the one the layout needs. */
export function srcset(image: ImageRef): string {
	return image.variants.map((v) => `${blobUrl(v.hash)} ${v.width}w`).join(', ');
}

/** The smallest width (the `src` fallback, and what a card shows). */
export const smallest = (image: ImageRef) => image.variants[0]!;
export const largest = (image: ImageRef) => image.variants.at(-1)!;

/** The largest upload the server takes by default (IMAGE_MAX_BYTES): checked here first to spare the network. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** "10 MB", "10 Mo": the limit as people read it. */
export const maxUploadLabel = (locale: string): string => `${MAX_UPLOAD_BYTES / 1024 / 1024} ${locale.startsWith('fr') ? 'Mo' : 'MB'}`;
