/**
 * `concat`: joins the values of a multi-column `from` with `separator` (default ""). Steps
 * before it run on each column's value; steps after it on the joined text. Absent values are
 * skipped, so `first_name` + `middle_name` with a blank middle name gives "Ann", not "Ann ";
 * when every value is absent, so is the result.
 */
import { type MappedValue, ready, type TransformDefinition } from './types.ts';

/** The `concat` transform. */
export const concatTransform: TransformDefinition<'concat'> = {
  id: 'concat',
  describe: 'Joins the values of several columns into one, with a separator between them.',
  codes: {},
  produces: 'text',
  compile(params) {
    const separator = params.separator ?? '';
    const compiled = ready((value) => value);
    if (!compiled.ok) return compiled;
    return {
      ...compiled,
      join(values: readonly MappedValue[]): MappedValue {
        let out: string | undefined;
        for (const value of values) {
          if (value === undefined) continue;
          out = out === undefined ? String(value) : out + separator + String(value);
        }
        return out;
      },
    };
  },
};
