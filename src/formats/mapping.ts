/**
 * `preflight.mapping/v1`: how one legacy extract (CSV) becomes target records.
 * Declarative only: transforms are data, never code (no eval, ever).
 */

import { validateMapping } from './generated/validators.js';
import {
  FORMAT_FAMILIES,
  type FormatDefinition,
  type FormatProblem,
  type LoadResult,
  loadDocument,
  type Migration,
  PROBLEM_CODES,
  pointer,
  problem,
} from './loading.ts';

export const MAPPING_FORMAT = 'preflight.mapping/v1';

export type Transform =
  | { op: 'trim' }
  | { op: 'case'; to: 'upper' | 'lower' | 'title' }
  /** parse with the first matching explicit format (e.g. "MM/DD/YYYY", "YYYY-MM-DD"); output FHIR date or dateTime */
  | { op: 'date'; formats: string[]; output?: 'date' | 'dateTime' }
  /** look the value up; `default` applies when absent from the map (omit it to make unmapped values an error) */
  | { op: 'codeMap'; map: Record<string, string>; default?: string | null; caseSensitive?: boolean }
  | { op: 'number'; decimal?: '.' | ',' }
  | { op: 'boolean'; true: string[]; false: string[] }
  | { op: 'split'; separator: string; index?: number }
  /** joins the values of a multi-column `from` */
  | { op: 'concat'; separator?: string }
  | { op: 'regexReplace'; pattern: string; flags?: string; replacement: string };

export interface FieldMapping {
  /** target path, FHIRPath-style for FHIR targets ("name[0].family"), JSON-pointer-like dotted path otherwise */
  target: string;
  /** source column name, or several for concat */
  from?: string | string[];
  /** a constant instead of `from` */
  const?: string | number | boolean | null;
  transform?: Transform[];
  required?: boolean;
}

export type MappingTarget =
  | { type: 'fhir'; resourceType: string }
  /** a JSON Schema by its $id or a path relative to the mapping file */
  | { type: 'schema'; schema: string };

export interface Mapping {
  format: typeof MAPPING_FORMAT;
  id: string;
  name: string;
  /** increases with every change; review records cite it */
  version: number;
  /** the legacy extract this applies to, e.g. "patients.csv" */
  source: string;
  target: MappingTarget;
  /** source column(s) identifying a record */
  key: string | string[];
  fields: FieldMapping[];
}

// ---- loading ------------------------------------------------------------------------------

/** `$id` of the mapping JSON Schema (src/formats/mapping.schema.json). */
export const MAPPING_SCHEMA_ID = 'urn:preflight:format:mapping:v1';

/** Migrations from older mapping tags (none yet: v1 is the first public version). */
export const mappingMigrations: readonly Migration[] = [];

/**
 * Semantic checks of a mapping (beyond its schema): each target is filled once; a multi-column
 * `from` is joined by exactly one `concat` and `concat` only joins a multi-column `from`; regular
 * expressions compile (they are compiled as data, never evaluated as code); a `boolean`
 * transform does not read one spelling as both true and false.
 */
export function checkMapping(mapping: Mapping): FormatProblem[] {
  const problems: FormatProblem[] = [];
  const targets = new Set<string>();
  mapping.fields.forEach((field, fieldIndex) => {
    if (targets.has(field.target)) {
      problems.push(
        problem(
          pointer('fields', fieldIndex, 'target'),
          PROBLEM_CODES.duplicateId,
          'an earlier field already fills this target',
        ),
      );
    }
    targets.add(field.target);
    const transforms = field.transform ?? [];
    const concats = transforms.filter((t) => t.op === 'concat').length;
    if (Array.isArray(field.from) && concats !== 1) {
      problems.push(
        problem(
          pointer('fields', fieldIndex, concats === 0 ? 'from' : 'transform'),
          PROBLEM_CODES.inconsistent,
          'a field reading several columns needs exactly one "concat" transform to join them',
        ),
      );
    }
    transforms.forEach((transform, index) => {
      const at = pointer('fields', fieldIndex, 'transform', index);
      if (transform.op === 'concat' && !Array.isArray(field.from)) {
        problems.push(
          problem(
            at,
            PROBLEM_CODES.inconsistent,
            '"concat" joins several columns, but "from" names a single column',
          ),
        );
      }
      if (transform.op === 'regexReplace') {
        try {
          new RegExp(transform.pattern, transform.flags ?? '');
        } catch {
          problems.push(
            problem(`${at}/pattern`, PROBLEM_CODES.invalidRegex, 'not a valid regular expression'),
          );
        }
      }
      if (transform.op === 'boolean') {
        const truthy = new Set(transform.true);
        if (transform.false.some((value) => truthy.has(value))) {
          problems.push(
            problem(`${at}/false`, PROBLEM_CODES.inconsistent, 'a spelling is listed as both true and false'),
          );
        }
      }
    });
  });
  return problems;
}

/** How `preflight.mapping/v1` is loaded (used by the format registry). */
export const mappingFormat: FormatDefinition<Mapping> = {
  tag: MAPPING_FORMAT,
  title: FORMAT_FAMILIES.mapping,
  schemaId: MAPPING_SCHEMA_ID,
  validate: validateMapping,
  check: checkMapping,
  migrations: mappingMigrations,
};

/**
 * Loads a mapping from parsed JSON: tag, migrations, schema, then {@link checkMapping}.
 * Never throws; problems name paths, not values.
 */
export function loadMapping(json: unknown): LoadResult<Mapping> {
  return loadDocument(mappingFormat, json);
}
