/**
 * The shape every mapping transform shares (one transform per file, declared as data
 * and registered in one table, `transforms/index.ts`).
 *
 * Constraints:
 * - A transform never throws on a value: whatever text arrives, `apply` returns the new value or
 *   a {@link TransformFailure} (property-tested). Only `compile` may refuse, and it refuses the
 *   mapping's parameters (a bad pattern, an unknown date token) before any row is read.
 * - Failures are created once per compiled transform, not per row: mapping a row allocates
 *   nothing for a value that converts, and a failing value costs only the problem record that the
 *   mapping engine builds around the shared failure.
 * - Messages come from the mapping and this code, never from a cell (it may be patient data): the cell text
 *   travels separately, as the problem's `value`, which reports may redact.
 */
import type { Transform } from '../../../formats/mapping.ts';

/**
 * A value between transforms. `undefined` is "absent": an empty cell, text trimmed to nothing, a
 * code mapped to `null`. Absent values pass through every transform unchanged.
 */
export type MappedValue = string | number | boolean | undefined;

/** What kind of value a transform produces; the compiler checks that each step can read the last. */
export type ValueKind = 'text' | 'number' | 'boolean';

/** Why a value could not be transformed (shared by every row that fails the same way). */
export class TransformFailure {
  constructor(
    /** stable code, e.g. "date-impossible"; one of the transform's `codes` */
    readonly code: string,
    /** what is wrong and what to do, in a data team's words; never contains the value */
    readonly message: string,
  ) {}
}

/** One transform step made ready for rows: converts a present value. */
export type ApplyTransform = (value: string) => string | number | boolean | undefined | TransformFailure;

/** A problem with a transform's parameters, found before any row is mapped. */
export interface TransformParamProblem {
  /** JSON Pointer relative to the transform object, e.g. "/formats/1" ("" = the whole transform) */
  path: string;
  /** stable code (the format's codes where one fits: "invalid-regex", "inconsistent", …) */
  code: string;
  /** what is wrong; may quote the mapping (it is configuration, not patient data) */
  message: string;
}

/** {@link TransformDefinition.compile}'s outcome. */
export type CompiledTransform =
  | {
      ok: true;
      apply: ApplyTransform;
      /**
       * Only `concat`: joins the values of a multi-column `from` (absent values are skipped; all
       * absent → absent). Steps before it run on each column's value, steps after it on the join.
       */
      join?: (values: readonly MappedValue[]) => MappedValue;
    }
  | { ok: false; problems: TransformParamProblem[] };

/**
 * A transform declared as data: its id (the format's `op`), what it does in a data team's words,
 * the failure codes it can report, what it reads and makes, and `compile`, which checks the
 * parameters once and returns the `apply` function used on every row.
 */
export interface TransformDefinition<Op extends Transform['op'] = Transform['op']> {
  /** the `op` of the transform in `preflight.mapping/v1` */
  readonly id: Op;
  /** one sentence for the editor and the docs */
  readonly describe: string;
  /** failure codes `apply` may return, each with what it means (docs, UI legend, tests) */
  readonly codes: Readonly<Record<string, string>>;
  /** the kind of value it produces */
  readonly produces: ValueKind;
  /** checks the parameters (compiles patterns, parses formats) and returns the row function */
  compile(params: Extract<Transform, { op: Op }>): CompiledTransform;
}

/** Shorthand for an ok {@link CompiledTransform}. */
export function ready(apply: ApplyTransform): CompiledTransform {
  return { ok: true, apply };
}

/** Shorthand for a refused {@link CompiledTransform}. */
export function refused(...problems: TransformParamProblem[]): CompiledTransform {
  return { ok: false, problems };
}
