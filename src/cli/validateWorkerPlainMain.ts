/**
 * Entry of a range worker of `preflight validate --workers N` for runs without mappings, the usual
 * run (rangeWorker.ts has the adapter). It carries no mapping code: the mapping compiler brought
 * the formats' precompiled validators with it, so this bundle is 0.5 MB instead of 1.2 MB and a
 * worker is ready in about half the time (measured from `new Worker` to its first message: 95
 * against 182 ms, medians of 8, loaded machine) — time on the path of the range that ends last.
 * Bundled by validateWorkers.ts; runs with mappings start validateWorkerMain.ts (target JSON
 * Schemas) or validateWorkerMappedMain.ts (FHIR).
 */
import { serveRanges } from './rangeWorker.ts';

serveRanges();
