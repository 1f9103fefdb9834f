import qrcode from 'qrcode-generator';

/** The dark modules of a QR code, as the SVG that draws it needs them. */
export interface QrModules {
	/** Modules per side (21 for version 1, +4 per version). */
	size: number;
	/** One SVG path drawing every dark module as a 1×1 square, in module units. */
	path: string;
}

/**
 * Encodes `text` (an invite link: ASCII) with medium error correction, at the smallest version
 * that holds it. Medium survives a glare on a projector screen without growing the code much.
 */
export function qrModules(text: string): QrModules {
	const code = qrcode(0, 'M');
	code.addData(text, 'Byte');
	code.make();
	const size = code.getModuleCount();
	const parts: string[] = [];
	for (let row = 0; row < size; row += 1) {
		for (let col = 0; col < size; col += 1) {
			if (code.isDark(row, col)) parts.push(`M${col} ${row}h1v1h-1z`);
		}
	}
	return { size, path: parts.join('') };
}
