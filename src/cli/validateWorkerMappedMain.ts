/**
 * Entry of a range worker of `preflight validate --workers N --mapping …`: the adapter of
 * rangeWorker.ts plus the FHIR layers, so each worker prepares a mapped file's row check itself
 * (once per mapping, as it compiles a contract once) — a prepared check holds functions, which
 * cannot be sent between threads. A mapping to a target JSON Schema is compiled here the same way
 * (core `mapping/schemaRows.ts`). Bundled by validateWorkers.ts only for runs with a mapping.
 *
 * The generated FHIR modules (plain JavaScript) are imported natively from their folder, named by
 * the spec, not bundled: the core's loader imports them by a pattern, which a bundler expands to
 * all 148 of them — an 11 MB script per worker, measured at ~70 MB of RSS per worker, where
 * importing the digest and the one target type's module costs a few MB.
 */
import type { FhirPathEngine } from '../core/migration/fhir/invariants.ts';
import { prepareMappedFhirCheck } from '../core/migration/fhir/mappedRows.ts';
import type { StructureValidator } from '../core/migration/fhir/structure.ts';
import type { FhirModuleLoader } from '../core/migration/fhir/validator.ts';
import { prepareMappedSchemaCheck } from '../core/migration/mapping/schemaRows.ts';
import { serveRanges } from './rangeWorker.ts';
import type { MappedCheckSpec } from './validateWorkers.ts';

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/** The loader of the generated modules in `folder` (a file URL ending in "/"). */
function modulesIn(folder: string): FhirModuleLoader {
  // a variable specifier: the bundler leaves these imports to Node
  const load = (file: string): Promise<unknown> => import(new URL(file, folder).href);
  return {
    digest: async () =>
      ((await load('digest.js')) as { default: Awaited<ReturnType<FhirModuleLoader['digest']>> }).default,
    structure: async (resourceType) => {
      // the name comes from the data: only a plain type name may become part of a module path
      if (!RESOURCE_TYPE.test(resourceType)) throw new Error('not a resource type name');
      return ((await load(`structure/${resourceType}.js`)) as { validate: StructureValidator }).validate;
    },
    fhirPath: async (): Promise<FhirPathEngine> =>
      (await import('../core/migration/fhir/fhirPathEngine.ts')).fhirPathEngine,
  };
}

serveRanges(async (text) => {
  const spec = JSON.parse(text) as MappedCheckSpec;
  if ('targetSchema' in spec)
    return prepareMappedSchemaCheck(spec.mapping, spec.targetSchema.schema, {
      schemaName: spec.targetSchema.name,
    }).rowCheck;
  return (await prepareMappedFhirCheck(spec.mapping, modulesIn(spec.modules), spec.options)).rowCheck;
});
