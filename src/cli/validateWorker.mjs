// Entry of a `preflight validate` worker thread (validateWorkers.ts): the built adapter when the
// CLI has been built (`npm run build:cli`), else the TypeScript one through tsx — the same choice
// src/cli/preflight.mjs makes for the command itself.
import { loadEntry } from './loadEntry.mjs';

await loadEntry('validateWorkerMain');
