/**
 * A check the CSV engine runs on every row besides the column contract: made once per input for
 * its header, then called with each row's cells: a mapping to a FHIR R4 resource validated by the
 * FHIR layers (`src/core/fhir/mappedRows.ts`), or a mapping to records of a target JSON
 * Schema validated by ajv (`src/core/mapping/schemaRows.ts`). The engine only counts and tallies
 * what it returns, so a check adds no pass over the file.
 *
 * Constraint: a check never throws on a row (it returns issues), and its messages name columns,
 * paths and rules, never a cell value (it may be patient data): values travel in `value`, which reports can
 * redact.
 */
import type { IssueSeverity } from '../../formats/report.ts';

/** One finding of a row check on one row. */
export interface RowIssue {
  rule: string;
  severity: IssueSeverity;
  /** OperationOutcome issue type code, e.g. "required", "value" */
  code?: string;
  /** what issues are grouped by: a column name, or a FHIRPath-style path without list positions */
  location: string;
  /** what is wrong and what to do; never a value */
  message: string;
  /** the source column(s) the finding traces back to (several joined by " + ") */
  column?: string;
  /** the exact FHIRPath-style location in the mapped record, e.g. `Patient.name[0].family` */
  path?: string;
  /**
   * the mapping field (its target as the mapping writes it) that produced the element, or that
   * would have to (with `unfilled`); several joined by " + "
   */
  field?: string;
  /** that field's transform steps, in words */
  transform?: string;
  /** the element is absent: `field` left it empty on this row (`empty`), or no field writes it (`no-field`) */
  unfilled?: 'empty' | 'no-field';
  /** the offending value (cell text or mapped value), for examples; redactable */
  value?: string;
}

/** Checks one row: its 1-based data row number and its cells in header order. */
export type RowChecker = (row: number, cells: readonly string[]) => readonly RowIssue[];

/**
 * Makes the row checker for an input's header. May throw for a check that cannot run on this
 * header (e.g. a mapping that does not compile); the engine lets the error through before any row.
 */
export type RowCheckFactory = (header: readonly string[]) => RowChecker;

/**
 * A mapping that cannot run on an input's header (each problem with its JSON Pointer in the
 * mapping): thrown by a mapped row check's factory, before any row. Its name is what the browser's
 * validator worker recognises it by.
 */
export class MappingCompileError extends Error {
  override name = 'MappingCompileError';
  constructor(
    readonly mappingId: string,
    readonly problems: readonly { path: string; message: string }[],
  ) {
    super(
      `the mapping "${mappingId}" cannot run on this file: ${problems
        .slice(0, 3)
        .map((p) => `${p.path || '/'}: ${p.message}`)
        .join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`,
    );
  }
}
