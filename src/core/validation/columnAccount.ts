/**
 * The column account of one input: every column of its header is used by the run (checked by the
 * contract, a key, a reference, read by a mapping) or said as not used — a column the contract does
 * not name is read but not checked, and the person should know its values passed unseen.
 *
 * Constraint: names only; the caller escapes them for its medium.
 */
import type { ValidationPlan } from '../contract/index.ts';
import type { AccountBuilder } from '../readerAccount/index.ts';

/** What of an input's header a run uses besides its contract. */
export interface ColumnUses {
  plan?: ValidationPlan;
  /** key columns (`*`: the whole row, which uses every column) */
  keys?: readonly string[];
  /** columns checked against another file's keys */
  references?: readonly string[];
  /**
   * columns a mapping reads; undefined with {@link mapped} true: a mapping reads the row and may
   * read any column, so none is said to be unused
   */
  mappedColumns?: readonly string[];
  /** a mapping checks the rows */
  mapped?: boolean;
}

/**
 * Records in `account` each column of `header`: used, or not used (kind `column`, where its
 * 1-based column). A contract that refuses other columns, or is checked in full on every row (a
 * rule over the whole row), uses every column.
 */
export function accountColumns(header: readonly string[], uses: ColumnUses, account: AccountBuilder): void {
  const { plan } = uses;
  const everyColumn =
    plan?.closed === true ||
    plan?.full !== undefined ||
    (uses.keys ?? []).includes('*') ||
    (uses.mapped === true && uses.mappedColumns === undefined);
  const named = new Set<string>([
    ...(plan?.columns ?? []).map((c) => c.column),
    ...(uses.keys ?? []),
    ...(uses.references ?? []),
    ...(uses.mappedColumns ?? []),
  ]);
  for (const [i, name] of header.entries()) {
    if (everyColumn || named.has(name)) account.use(name);
    else
      account.notUsed(
        'column',
        name,
        plan === undefined
          ? 'not checked: the file has no contract, so only its structure is checked'
          : 'not checked: the contract does not name this column, so its values pass unseen',
        { column: i + 1 },
      );
  }
}
