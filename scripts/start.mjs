// `npm start`: build what is missing or out of date, then run the server in this process.
import { ensureBuilt } from './sources.mjs';

await ensureBuilt();
await import('../dist/server/index.js');
