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
