/**
 * Entry of a range worker of `preflight validate --workers N` for runs without mappings
 * (rangeWorker.ts has the adapter). Bundled by validateWorkers.ts.
 */
import { serveRanges } from './rangeWorker.ts';

serveRanges();
