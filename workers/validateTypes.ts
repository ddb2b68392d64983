/**
 * Plain-data types of the validator worker shared by its API (`validateApi.ts`) and the task files
 * it runs (`findRowsTask.ts`, `mappedSchemaCheck.ts`): types only, so the task files need not import
 * the API that imports them.
 */
import type { FhirLayer } from '../src/core/fhir/index.ts';
import type { InputProblemWords } from '../src/core/validation/index.ts';
import type { Mapping } from '../src/formats/mapping.ts';

/** Something the user can fix, with where and what to do: the core's words of an input problem. */
export type InputProblem = InputProblemWords;

/** A mapping to a target JSON Schema with that schema, as a file's task carries it (plain data). */
export interface MappedSchemaSpec {
  mapping: Mapping;
  /** the schema the mapping's `target.schema` names (a Table Schema converted), and its name for messages */
  targetSchema?: { name: string; schema: Record<string, unknown> };
}

/**
 * A mapping with what its target needs, as a file's task carries it (plain data: cloned to workers): the
 * FHIR layers' options for an R4 resource type, the schema for a JSON Schema target.
 */
export interface MappedFhirSpec extends MappedSchemaSpec {
  mapping: Mapping;
  /** the layers that run (default all) */
  layers?: FhirLayer[];
  /** severity of extensions the specification does not define (default error) */
  unknownExtensions?: 'error' | 'warning';
  /**
   * implementation guide packages whose profiles the records are checked against (each record
   * against those its meta.profile names), read in the worker, as FHIR files' are (the shape of
   * fhirPackages.ts `FhirPackageSpec`: that module imports this one)
   */
  packages?: { name: string; file: Blob }[];
  /** with `packages`: profiles (canonical URLs) applied to every record of their type */
  profiles?: string[];
}
