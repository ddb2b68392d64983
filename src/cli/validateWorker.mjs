// Entry of a `preflight validate` worker thread (validateWorkers.ts): the built adapter while the
// CLI's build (`npm run build:cli`) matches the sources, else the TypeScript one through tsx — the
// same choice src/cli/preflight.mjs makes for the command itself.
import { loadEntry } from './loadEntry.mjs';

await loadEntry('validateWorkerMain');
