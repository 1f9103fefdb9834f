// Builds only when the build is missing or older than its sources (used before tests that serve it).
import { ensureBuilt } from './sources.mjs';

await ensureBuilt();
