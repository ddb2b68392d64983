/**
 * `preflight.reconcile-list/v1`: the reconcile list the FHIR server panel exports as JSON — what
 * was compared, the count of each problem, and one line per patient and problem. Written by
 * `reconcileExport` (src/fhir/reconcileList.ts), which builds this type; loaded here so that
 * `preflight check` and anyone reading the file get the same rules.
 *
 * The list is never cut short (the app lists every patient), so each count equals its lines; a
 * list written with the values left out carries none.
 */
import { validateReconcileList } from './generated/validators.js';
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

export const RECONCILE_LIST_FORMAT = 'preflight.reconcile-list/v1';

/** `$id` of the reconcile list JSON Schema (src/formats/reconcileList.schema.json). */
export const RECONCILE_LIST_SCHEMA_ID = 'urn:preflight:format:reconcilelist:v1';

/** The fields reconcile compares, as stable codes (also the CLI's `mismatches` keys). */
export const RECONCILE_FIELD_CODES = ['name', 'birthDate', 'gender'] as const;
export type ReconcileFieldCode = (typeof RECONCILE_FIELD_CODES)[number];

/** What is wrong with a patient, as a stable code (the list's `problem`, the counts' keys). */
export type ReconcileProblem =
  | 'missing-on-server'
  | 'extra-on-server'
  | `${ReconcileFieldCode}-differs`
  | 'repeated-in-file'
  | 'repeated-on-server';

/** Every problem code, in the order the list's filter offers them. */
export const RECONCILE_PROBLEMS: readonly ReconcileProblem[] = [
  'missing-on-server',
  'extra-on-server',
  ...RECONCILE_FIELD_CODES.map((f) => `${f}-differs` as const),
  'repeated-in-file',
  'repeated-on-server',
];

/** One line of the list. */
export interface ReconcileLine {
  problem: ReconcileProblem;
  identifier: string;
  /** the extract's data row (1-based), when the patient is in the extract */
  row?: number;
  /** the server's resource id, when the patient is on the server */
  id?: string;
  /** a differing field's value in the file, for people (a name as "family, given") */
  file?: string;
  /** the same field's value on the server */
  server?: string;
}

/** The JSON export: what was compared, the counts per problem, and every line. */
export interface ReconcileExport {
  format: typeof RECONCILE_LIST_FORMAT;
  generatedAt: string;
  /** the server's origin (never a path or query) */
  server: string;
  /** the legacy file's name */
  file: string;
  identifierSystem: string;
  extractRecords: number;
  serverRecords: number;
  matched: number;
  counts: Record<ReconcileProblem, number>;
  /** true when the differing values were left out */
  valuesHidden: boolean;
  lines: ReconcileLine[];
}

/** Migrations from older reconcile list tags (none: v1 is the first). */
export const reconcileListMigrations: readonly Migration[] = [];

/**
 * Checks the schema cannot express: each count equals its lines, values only on a line of a field
 * that differs, and none at all when the list says they were left out.
 */
export function checkReconcileList(list: ReconcileExport): FormatProblem[] {
  const problems: FormatProblem[] = [];
  for (const code of RECONCILE_PROBLEMS) {
    const lines = list.lines.filter((l) => l.problem === code).length;
    if (lines !== list.counts[code])
      problems.push(
        problem(
          pointer('counts', code),
          PROBLEM_CODES.inconsistent,
          'the count differs from the number of lines of this problem',
        ),
      );
  }
  list.lines.forEach((line, index) => {
    for (const side of ['file', 'server'] as const) {
      if (line[side] === undefined) continue;
      if (list.valuesHidden)
        problems.push(
          problem(
            pointer('lines', index, side),
            PROBLEM_CODES.notRedacted,
            'holds a value although the list says values were left out',
          ),
        );
      else if (!line.problem.endsWith('-differs'))
        problems.push(
          problem(
            pointer('lines', index, side),
            PROBLEM_CODES.inconsistent,
            'a value is listed only for a field that differs',
          ),
        );
    }
  });
  return problems;
}

/** How `preflight.reconcile-list/v1` is loaded (used by the format registry). */
export const reconcileListFormat: FormatDefinition<ReconcileExport> = {
  tag: RECONCILE_LIST_FORMAT,
  title: FORMAT_FAMILIES['reconcile-list'],
  schemaId: RECONCILE_LIST_SCHEMA_ID,
  validate: validateReconcileList,
  check: checkReconcileList,
  migrations: reconcileListMigrations,
};

/** Loads a reconcile list from parsed JSON. Never throws; problems name paths, not values. */
export function loadReconcileList(json: unknown): LoadResult<ReconcileExport> {
  return loadDocument(reconcileListFormat, json);
}
