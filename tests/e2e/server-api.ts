// The server's own figures, read through its HTTP API with a facilitator's token: the tests compare
// what people see with what the server committed, instead of trusting the pages alone.
import { expect } from 'vitest';

export interface ExportedBucket {
	id: string;
	title: string;
	status: string;
	total: number;
	minGoal: number;
	maxGoal: number;
}

export interface ExportedMember {
	id: string;
	name: string;
	role: string;
	allocated: number;
	spent: number;
}

export interface ExportedEntry {
	seq: number;
	type: string;
	bucketId?: string;
	memberId?: string;
	amount: number;
}

export interface RoundExport {
	round: { id: string; name: string; phase: string; currency: string };
	members: ExportedMember[];
	buckets: ExportedBucket[];
	ledger: ExportedEntry[];
}

async function exportOf(baseUrl: string, roundId: string, token: string, format: 'json' | 'csv'): Promise<string> {
	const response = await fetch(`${baseUrl}/api/rounds/${roundId}/export.${format}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	expect(response.status, `export.${format}`).toBe(200);
	return response.text();
}

export async function exportJson(baseUrl: string, roundId: string, token: string): Promise<RoundExport> {
	return JSON.parse(await exportOf(baseUrl, roundId, token, 'json')) as RoundExport;
}

export function bucketIn(exported: RoundExport, title: string): ExportedBucket {
	const bucket = exported.buckets.find((b) => b.title === title);
	if (!bucket) throw new Error(`no bucket "${title}" in the export: ${exported.buckets.map((b) => b.title).join(', ')}`);
	return bucket;
}

export function memberIn(exported: RoundExport, name: string): ExportedMember {
	const member = exported.members.find((m) => m.name === name);
	if (!member) throw new Error(`no member "${name}" in the export`);
	return member;
}

/** The export's formula guard: a text cell that a spreadsheet would run gets a leading `'`. */
const GUARDED = /^'(?=[=+\-@\t\r])/;

/**
 * A CSV of the ledger as rows of cells (RFC 4180 quoting; the export starts with a BOM), read as a
 * spreadsheet shows it: a guarded cell's `'` is a text marker, not part of the value (an id may
 * begin with `-`).
 */
export function parseCsv(text: string): Record<string, string>[] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	const body = text.replace(/^\uFEFF/, '');
	for (let i = 0; i < body.length; i++) {
		const c = body[i];
		if (quoted) {
			if (c === '"' && body[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(cell);
			cell = '';
		} else if (c === '\n') {
			row.push(cell.replace(/\r$/, ''));
			rows.push(row);
			row = [];
			cell = '';
		} else cell += c;
	}
	if (cell !== '' || row.length > 0) rows.push([...row, cell]);
	const [header, ...data] = rows;
	if (!header) return [];
	return data.map((cells) => Object.fromEntries(header.map((name, i) => [name, (cells[i] ?? '').replace(GUARDED, '')])));
}

/** "12.50" (the CSV's major units) → 1250 minor units, without floating point. */
export function minorUnits(major: string): number {
	const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(major);
	if (!match) throw new Error(`not an amount: ${major}`);
	const cents = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
	return match[1] === '-' ? -cents : cents;
}

/**
 * An invitation link made through the API, for files whose subject is not inviting (the invite
 * flow itself is driven through the admin page in round-flow.test.ts).
 */
export async function inviteLink(baseUrl: string, roundId: string, token: string): Promise<string> {
	const response = await fetch(`${baseUrl}/api/rounds/${roundId}/invites`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: '{}'
	});
	expect(response.status, 'create invite').toBe(201);
	const { url } = (await response.json()) as { url: string };
	return new URL(url, baseUrl).href;
}
