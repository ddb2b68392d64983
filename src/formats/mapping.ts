/**
 * `preflight.mapping/v1`: how one legacy extract (CSV) becomes target records.
 * Declarative only: transforms are data, never code (no eval, ever).
 */

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
