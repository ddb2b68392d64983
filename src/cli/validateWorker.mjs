// Entry of a `preflight validate --workers N` range worker: registers tsx (as preflight.mjs does)
// so the TypeScript adapter runs as-is (workerData.mapped: the entry with the FHIR layers).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData?.mapped ? './validateWorkerMappedMain.ts' : './validateWorkerMain.ts');
