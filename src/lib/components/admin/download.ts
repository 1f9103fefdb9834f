import type { ExportFormat } from '$lib/sync/api';

/** The name an export is saved under: `tirelire-<roundId>.<ext>`, `tirelire-<roundId>-buckets.csv`. */
export function exportFileName(roundId: string, format: ExportFormat): string {
	return format === 'buckets.csv' || format === 'members.csv' ? `tirelire-${roundId}-${format}` : `tirelire-${roundId}.${format}`;
}

/**
 * Saves a blob as a file. A plain link cannot carry the Bearer token, so the export is fetched
 * first and handed to the browser through a temporary object URL.
 */
export function saveBlob(blob: Blob, fileName: string): void {
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = fileName;
	link.rel = 'noopener';
	document.body.append(link);
	link.click();
	link.remove();
	// Revoking at once can cancel the download in some browsers; a moment later is safe.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
