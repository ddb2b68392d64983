/**
 * `preflight.reconcile-result/v1`: what `preflight fhir reconcile --json` prints — counts with
 * examples keyed by identifier, the file's row and the server's resource id, never a name, date or
 * other value of a record. Written by `reconcileResultFile` (src/fhir/reconcile.ts); loaded here so
 * that `preflight check` and scripts reading the output get the same rules.
 *
 * The tag was added to an output that had none: a field more, so what read it still reads it.
 */
import { validateReconcileResult } from './generated/validators.js';
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
import type { ReconcileFieldCode } from './reconcileList.ts';

export const RECONCILE_RESULT_FORMAT = 'preflight.reconcile-result/v1';

/** `$id` of the reconcile result JSON Schema (src/formats/reconcileResult.schema.json). */
export const RECONCILE_RESULT_SCHEMA_ID = 'urn:preflight:format:reconcileresult:v1';

/** One example: which patient, where in the file, where on the server. */
export interface ReconcileResultExample {
  identifier: string;
  /** the file's data row (1-based), when the patient is in the file */
  row?: number;
  /** the server's resource id, when the patient is on the server */
  id?: string;
}

/** A count with its first examples. */
export interface ReconcileResultTally {
  count: number;
  examples: ReconcileResultExample[];
}

/** What was read on one side. */
export interface ReconcileResultSide {
  records: number;
  withoutIdentifier: number;
  duplicates: ReconcileResultTally;
}

/** The output of `preflight fhir reconcile --json`. */
export interface ReconcileResultFile {
  format: typeof RECONCILE_RESULT_FORMAT;
  identifierSystem: string;
  extract: ReconcileResultSide;
  server: ReconcileResultSide;
  matched: number;
  missingOnServer: ReconcileResultTally;
  extraOnServer: ReconcileResultTally;
  mismatches: Record<ReconcileFieldCode, ReconcileResultTally>;
}

/** Migrations from older reconcile result tags (none: v1 is the first). */
export const reconcileResultMigrations: readonly Migration[] = [];

/** The schema cannot compare two numbers: never more examples than the count. */
export function checkReconcileResult(file: ReconcileResultFile): FormatProblem[] {
  const tallies: [string[], ReconcileResultTally][] = [
    [['extract', 'duplicates'], file.extract.duplicates],
    [['server', 'duplicates'], file.server.duplicates],
    [['missingOnServer'], file.missingOnServer],
    [['extraOnServer'], file.extraOnServer],
    ...Object.entries(file.mismatches).map(([field, tally]): [string[], ReconcileResultTally] => [
      ['mismatches', field],
      tally,
    ]),
  ];
  return tallies
    .filter(([, tally]) => tally.examples.length > tally.count)
    .map(([path]) =>
      problem(pointer(...path, 'examples'), PROBLEM_CODES.inconsistent, 'lists more examples than its count'),
    );
}

/** How `preflight.reconcile-result/v1` is loaded (used by the format registry). */
export const reconcileResultFormat: FormatDefinition<ReconcileResultFile> = {
  tag: RECONCILE_RESULT_FORMAT,
  title: FORMAT_FAMILIES['reconcile-result'],
  schemaId: RECONCILE_RESULT_SCHEMA_ID,
  validate: validateReconcileResult,
  check: checkReconcileResult,
  migrations: reconcileResultMigrations,
};

/** Loads a reconcile result from parsed JSON. Never throws; problems name paths, not values. */
export function loadReconcileResult(json: unknown): LoadResult<ReconcileResultFile> {
  return loadDocument(reconcileResultFormat, json);
}
