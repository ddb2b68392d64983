/**
 * The shape of a plan check rule (one rule per file, declared as data, registered in one table —
 * {@link ./index.ts}). A rule compiles one JSON Schema keyword of a column's property
 * schema into a {@link PlanCheck}, and tests a (coerced) cell against it exactly as ajv does, so
 * the plan and ajv agree on every row (a property test proves it).
 */
import type { CellValue, PlanCheck } from '../types.ts';

/** The value kinds a check can imply (non-numeric kinds of columnProfile.ts `VALUE_KINDS`). */
export type TextKind = 'text' | 'email' | 'date:YYYY-MM-DD';

/** Why a compile gave up: the keyword's value is one the plan does not express. */
export const CANNOT_EXPRESS = Symbol('cannot-express');

/** One plan check rule. */
export interface PlanCheckRule<C extends PlanCheck = PlanCheck> {
  /** rule id in reports (public: add, never rename) */
  id: string;
  /** the JSON Schema keyword */
  keyword: C['kind'];
  severity: 'error';
  /** OperationOutcome issue type code */
  code: 'required' | 'value' | 'structure';
  /** for the legend and the docs, in a data team's words */
  describe: string;
  /**
   * The check for this keyword's value, or {@link CANNOT_EXPRESS} when the plan cannot run it
   * (the column then needs full validation).
   */
  compile(value: unknown): C | typeof CANNOT_EXPRESS;
  /** Builds the test once per run (regular expressions are made here, not per cell). */
  prepare(check: C): (value: CellValue) => boolean;
  /**
   * The same test for a cell that stays text (its column has no coercion), or its constant answer
   * when the text does not matter (`type: "string"` always holds; `minimum` never applies).
   * Absent: {@link PlanCheckRule.prepare}'s test. Must agree with it on every string.
   */
  prepareText?(check: C): ((text: string) => boolean) | boolean;
  /**
   * The column-profile value kind (columnProfile.ts `VALUE_KINDS`) of every text the check
   * accepts, when one kind covers them all (a `date` format: "date:YYYY-MM-DD"); absent or
   * undefined otherwise. The profile then skips telling the kind of a cell the check accepted: the
   * check read the same characters. Must hold for every string the text test accepts.
   */
  textKind?(check: C): TextKind | undefined;
  /** The issue message: what is wrong, from the contract (never from the data). */
  message(check: C): string;
}

/** ajv's string length: Unicode code points, not UTF-16 units (ajv's ucs2length). */
export function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    length++;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return length;
}

/** A JSON number usable as a limit. */
export function finiteNumber(value: unknown): number | typeof CANNOT_EXPRESS {
  // + 0 turns -0 into 0: the plan must survive JSON (which has no -0) unchanged
  return typeof value === 'number' && Number.isFinite(value) ? value + 0 : CANNOT_EXPRESS;
}

/** A non-negative integer usable as a length limit. */
export function lengthLimit(value: unknown): number | typeof CANNOT_EXPRESS {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : CANNOT_EXPRESS;
}

/** A JSON scalar (enum/const members the plan compares). */
export function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}
