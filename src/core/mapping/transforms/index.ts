/**
 * The table of mapping transforms: one entry per `op` of `preflight.mapping/v1`. The compiler,
 * the editor's legend, the docs and the tests iterate over it; the `satisfies` clause makes the
 * type checker refuse a format `op` without a transform (and a transform the format lacks).
 */
import type { Transform } from '../../../formats/mapping.ts';
import { booleanTransform } from './boolean.ts';
import { caseTransform } from './case.ts';
import { codeMapTransform } from './codeMap.ts';
import { concatTransform } from './concat.ts';
import { dateTransform } from './date.ts';
import { numberTransform } from './number.ts';
import { regexReplaceTransform } from './regexReplace.ts';
import { splitTransform } from './split.ts';
import { trimTransform } from './trim.ts';
import type { TransformDefinition } from './types.ts';

/** Every transform, by its `op`. */
export const TRANSFORMS = {
  trim: trimTransform,
  case: caseTransform,
  date: dateTransform,
  codeMap: codeMapTransform,
  number: numberTransform,
  boolean: booleanTransform,
  split: splitTransform,
  concat: concatTransform,
  regexReplace: regexReplaceTransform,
} as const satisfies { [Op in Transform['op']]: TransformDefinition<Op> };

/** The definition of `op` (typed for any op, for code that walks a mapping's transforms). */
export function transformDefinition<Op extends Transform['op']>(op: Op): TransformDefinition<Op> {
  return TRANSFORMS[op] as unknown as TransformDefinition<Op>;
}
