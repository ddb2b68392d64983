/**
 * `preflight.waivers/v1`: accepted issues. A data lead accepts a known problem — a rule at one
 * column, or at one FHIR extension URL, optionally only in some rows — with a rationale, an owner
 * and an expiry date. The CLI reads a waivers file (`validate --waivers`); a project keeps its
 * list under `meta.settings.waivers` (the same waiver objects, `#/$defs/waiver` of
 * waivers.schema.json), so it travels with a project export.
 *
 * Nothing is accepted silently: rationale, owner and expiry are all required and non-blank.
 * What a waiver covers in a report is decided in `src/core/validation` (`applyWaivers`).
 */

import { validateWaiver as validateWaiverObject, validateWaivers } from './generated/validators.js';
import {
  duplicateIdProblems,
  FORMAT_FAMILIES,
  type FormatDefinition,
  type FormatProblem,
  isPlainObject,
  type LoadResult,
  loadDocument,
  type Migration,
  PROBLEM_CODES,
  pointer,
  problem,
  schemaProblems,
} from './loading.ts';

export const WAIVERS_FORMAT = 'preflight.waivers/v1';

/** Rows from `from` to `to`, both included (1-based). */
export interface RowRange {
  from: number;
  to: number;
}

/** One accepted problem. Exactly one of `column` and `extension`. */
export interface Waiver {
  id: string;
  /** the check id, as in a report issue's `rule` */
  rule: string;
  /** the location (a column, or a FHIR location); '' for problems of a whole row */
  column?: string;
  /** a FHIR extension URL named by the location or message */
  extension?: string;
  /** only in this input (file name) */
  input?: string;
  /** only in these rows */
  rows?: RowRange[];
  rationale: string;
  owner: string;
  /** last day it applies, YYYY-MM-DD */
  expires: string;
  /** when it was recorded or last changed */
  acceptedAt?: string;
}

export interface WaiversFile {
  format: typeof WAIVERS_FORMAT;
  waivers: Waiver[];
}

/** `$id` of the waivers JSON Schema (src/formats/waivers.schema.json). */
export const WAIVERS_SCHEMA_ID = 'urn:preflight:format:waivers:v1';

/** Where a project keeps its waivers: `meta.settings[PROJECT_WAIVERS_KEY]`. */
export const PROJECT_WAIVERS_KEY = 'waivers';

/** Migrations from older waivers tags (none: v1 is the first). */
export const waiversMigrations: readonly Migration[] = [];

/** True for a real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDay(day: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Checks of waivers the schema cannot express: exactly one of column and extension, real expiry
 * days, row ranges in order.
 */
export function waiverProblems(waivers: readonly Waiver[], basePath: string): FormatProblem[] {
  const problems: FormatProblem[] = [...duplicateIdProblems(waivers, basePath, 'waiver')];
  waivers.forEach((waiver, index) => {
    if ((waiver.column === undefined) === (waiver.extension === undefined))
      problems.push(
        waiver.column === undefined
          ? problem(
              `${basePath}${pointer(index)}`,
              PROBLEM_CODES.missingField,
              'needs the column (or the FHIR extension URL) of the accepted problem',
            )
          : problem(
              `${basePath}${pointer(index)}`,
              PROBLEM_CODES.conflictingFields,
              'has both a column and an extension URL; keep exactly one',
            ),
      );
    if (!isCalendarDay(waiver.expires))
      problems.push(
        problem(
          `${basePath}${pointer(index, 'expires')}`,
          PROBLEM_CODES.outOfRange,
          'the expiry is not a day of the calendar',
        ),
      );
    (waiver.rows ?? []).forEach((range, at) => {
      if (range.to < range.from)
        problems.push(
          problem(
            `${basePath}${pointer(index, 'rows', at)}`,
            PROBLEM_CODES.inconsistent,
            'the last row of a range comes before its first',
          ),
        );
    });
  });
  return problems;
}

/** Semantic checks of a waivers file. */
export function checkWaivers(file: WaiversFile): FormatProblem[] {
  return waiverProblems(file.waivers, '/waivers');
}

/** How `preflight.waivers/v1` is loaded (used by the format registry). */
export const waiversFormat: FormatDefinition<WaiversFile> = {
  tag: WAIVERS_FORMAT,
  title: FORMAT_FAMILIES.waivers,
  schemaId: WAIVERS_SCHEMA_ID,
  validate: validateWaivers,
  check: checkWaivers,
  migrations: waiversMigrations,
};

/** Loads a waivers file from parsed JSON. Never throws; problems name paths, not values. */
export function loadWaivers(json: unknown): LoadResult<WaiversFile> {
  return loadDocument(waiversFormat, json);
}

/** A waivers file holding `waivers`. */
export function createWaiversFile(waivers: readonly Waiver[]): WaiversFile {
  return { format: WAIVERS_FORMAT, waivers: [...waivers] };
}

/** Problems of one waiver as an editor would save it (schema, then the semantic checks). */
export function checkWaiver(value: unknown): FormatProblem[] {
  if (!validateWaiverObject(value)) return schemaProblems(validateWaiverObject.errors ?? []);
  return waiverProblems([value as Waiver], '').map((p) => ({ ...p, path: p.path.replace(/^\/0/, '') }));
}

/**
 * The waivers a project keeps in its settings. A list that is not an array, or a waiver that does
 * not check, is reported (at its JSON Pointer under `basePath`) and left out: it accepts nothing.
 * Never throws.
 */
export function readProjectWaivers(
  settings: Readonly<Record<string, unknown>>,
  basePath = '/meta/settings',
): { waivers: Waiver[]; problems: FormatProblem[] } {
  const input = settings[PROJECT_WAIVERS_KEY];
  const at = `${basePath}${pointer(PROJECT_WAIVERS_KEY)}`;
  if (input === undefined) return { waivers: [], problems: [] };
  if (!Array.isArray(input))
    return {
      waivers: [],
      problems: [problem(at, PROBLEM_CODES.wrongType, 'the accepted issues must be a list; none apply')],
    };
  const waivers: Waiver[] = [];
  const problems: FormatProblem[] = [];
  input.forEach((value, index) => {
    const found = isPlainObject(value)
      ? checkWaiver(value)
      : [problem('', PROBLEM_CODES.wrongType, 'not an object')];
    if (found.length === 0) waivers.push(value as Waiver);
    else problems.push(...found.map((p) => ({ ...p, path: `${at}/${index}${p.path}` })));
  });
  return { waivers, problems };
}
