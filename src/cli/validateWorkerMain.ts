/**
 * Entry of a range worker of `preflight validate --workers N` for runs with mappings to a target
 * JSON Schema and none to FHIR (rangeWorker.ts has the adapter): a mapping is compiled here,
 * without the FHIR layers (core `mapping/schemaRows.ts`). Runs without mappings start the lighter
 * validateWorkerPlainMain.ts. Bundled by validateWorkers.ts.
 */
import { prepareMappedSchemaCheck } from '../core/migration/mapping/schemaRows.ts';
import { serveRanges } from './rangeWorker.ts';
import type { MappedCheckSpec } from './validateWorkers.ts';

serveRanges(async (text) => {
  const spec = JSON.parse(text) as MappedCheckSpec;
  // a programming error: the pool sends mappings to FHIR to the workers with the FHIR layers only
  if (!('targetSchema' in spec)) throw new Error('this validation worker cannot run mappings to FHIR');
  return prepareMappedSchemaCheck(spec.mapping, spec.targetSchema.schema, {
    schemaName: spec.targetSchema.name,
  }).rowCheck;
});
