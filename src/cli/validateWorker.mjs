// Entry of a `preflight validate --workers N` range worker when no bundle can be built: registers
// tsx (as cliBundle.mjs falls back to) so the TypeScript adapter runs as-is. workerData.level picks
// the entry: 0 no mappings, 1 mappings to a target JSON Schema, 2 with the FHIR layers.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const ENTRIES = ['./validateWorkerPlainMain.ts', './validateWorkerMain.ts', './validateWorkerMappedMain.ts'];

register();
await import(ENTRIES[workerData?.level ?? 0] ?? ENTRIES[0]);
