// `npm run backup -- <file>`: an online copy of DATA_DIR/tirelire.db while the server runs, then
// of the uploaded images (DATA_DIR/blobs/) to `<file>.blobs/`. Images are written (renamed into
// place, whole) before any command names them, so copying them after the database leaves no
// image of the copy missing; a blob never changes once written, so copying it while the server
// runs is safe.
// SQLite's backup API (through better-sqlite3) reads the database and its WAL from a second
// connection, page by page, so the copy is one consistent state of everything committed;
// copying the .db file alone misses what is still in the WAL. Restore: docs/DEPLOY.md.
import Database from 'better-sqlite3';
import { cpSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const target = process.argv[2];
const source = join(resolve(process.env.DATA_DIR ?? './data'), 'tirelire.db');
if (!target) {
	console.error('Usage: npm run backup -- <file>   (reads DATA_DIR/tirelire.db, DATA_DIR defaults to ./data)');
	process.exit(1);
}
if (!existsSync(source)) {
	console.error(`There is no database at ${source}: set DATA_DIR to the server's data folder.`);
	process.exit(1);
}
if (existsSync(target)) {
	console.error(`${resolve(target)} exists already: choose a new file name.`);
	process.exit(1);
}
const db = new Database(source, { readonly: true, fileMustExist: true });
try {
	const { totalPages } = await db.backup(target);
	console.log(`Backed up ${source} to ${resolve(target)} (${totalPages} pages).`);
} finally {
	db.close();
}
const blobs = join(dirname(source), 'blobs');
if (existsSync(blobs)) {
	// Temporary files of uploads under way are left out: only whole blobs have a 64-hex name.
	cpSync(blobs, `${target}.blobs`, { recursive: true, filter: (path) => !path.endsWith('.tmp') });
	console.log(`Backed up the images in ${blobs} to ${resolve(`${target}.blobs`)}.`);
}
