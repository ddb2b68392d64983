/**
 * Entry of a range worker of `preflight validate --workers N --mapping …`: the adapter of
 * rangeWorker.ts plus the FHIR layers, so each worker prepares a mapped file's row check itself
 * (once per mapping, as it compiles a contract once) — a prepared check holds functions, which
 * cannot be sent between threads. Bundled by validateWorkers.ts only for runs with a mapping.
 */
import { generatedModules } from '../core/migration/fhir/generatedModules.ts';
import { prepareMappedFhirCheck } from '../core/migration/fhir/mappedRows.ts';
import { serveRanges } from './rangeWorker.ts';
import type { MappedCheckSpec } from './validateWorkers.ts';

serveRanges(async (text) => {
  const spec = JSON.parse(text) as MappedCheckSpec;
  return (await prepareMappedFhirCheck(spec.mapping, generatedModules, spec.options)).rowCheck;
});
