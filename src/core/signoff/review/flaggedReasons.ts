/**
 * Why validation put a record in the flagged stratum, for the review screen: the column contract's
 * checks that fail on the record's row (which rule, which column), so the clinician checks the
 * thing that was flagged.
 *
 * The sampling pass flags a row when the migration engine counted an error on it (the contract's
 * checks, or the row's CSV structure) or when its record key occurs more than once in its file
 * (validationStrata.ts). From the row alone this finds the contract's failures and a row whose
 * number of cells differs from the header's; a repeated key or a quoting problem cannot be seen in
 * one row, so when nothing is found that is said instead of a guess.
 *
 * Constraint: no cell value leaves this function (rule ids, column names and the rules' own words only).
 */
import {
  createPlanRunner,
  describeContractRule,
  ROW_NEEDS_FULL,
  ROW_VALID,
  type ValidationPlan,
} from '../../contract/index.ts';

/** One failed check of the contract on the row. */
interface FlaggedReason {
  /** rule id, `contract.<keyword>` */
  rule: string;
  /** the column (the contract's property or the header's name) */
  column: string;
  /** the rule in words */
  describe: string;
}

/** What the row alone says about why it was flagged. */
export interface FlaggedReasons {
  /** failed checks, one per rule and column, in the order the contract checks them */
  reasons: FlaggedReason[];
  /** the row has a different number of cells than the header */
  cellCount?: { header: number; row: number };
  /** some of the contract's checks run only in the full validation, not here: there may be more */
  incomplete: boolean;
}

/** The contract's failures on one row of `header`'s file (see the file header). */
export function flaggedReasons(
  plan: ValidationPlan,
  header: readonly string[],
  cells: readonly string[],
): FlaggedReasons {
  const runner = createPlanRunner(plan, header);
  const verdict = runner.check(cells);
  const seen = new Set<string>();
  const reasons: FlaggedReason[] = [];
  if (verdict !== ROW_VALID) {
    for (const f of runner.failures) {
      const id = `${f.rule}\u001f${f.column}`;
      if (seen.has(id)) continue;
      seen.add(id);
      reasons.push({ rule: f.rule, column: f.column, describe: describeContractRule(f.rule) });
    }
  }
  return {
    reasons,
    ...(cells.length === header.length ? {} : { cellCount: { header: header.length, row: cells.length } }),
    incomplete: verdict === ROW_NEEDS_FULL,
  };
}
