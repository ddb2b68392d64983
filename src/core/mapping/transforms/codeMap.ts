/**
 * `codeMap`: looks the value up in the mapping's table of codes.
 *
 * - `default` decides what happens to a value missing from the table: omitted → the value is a
 *   `code-unmapped` problem; `null` → the target is left absent (as for an empty cell); a string →
 *   that code.
 * - `caseSensitive: false` compares case-insensitively (locale-independent lower case), so `f`
 *   finds `F`. Two table entries that differ only in case but map to different codes are refused
 *   then, since a value could not say which one it means.
 * - The table is copied into a `Map` once: a code such as `constructor` or `__proto__` in a cell
 *   finds nothing, where a plain object lookup would find JavaScript's own properties.
 */
import { ready, refused, type TransformDefinition, TransformFailure } from './types.ts';

/** The `codeMap` transform. */
export const codeMapTransform: TransformDefinition<'codeMap'> = {
  id: 'codeMap',
  describe:
    'Replaces each legacy code by the target code from a table; values not in the table get the default, are left out, or are reported.',
  codes: { 'code-unmapped': 'the value is not in the code table and the transform has no default' },
  produces: 'text',
  compile(params) {
    const caseSensitive = params.caseSensitive ?? true;
    const table = new Map<string, string>();
    for (const [from, to] of Object.entries(params.map)) {
      const key = caseSensitive ? from : from.toLowerCase();
      const earlier = table.get(key);
      if (earlier !== undefined && earlier !== to) {
        return refused({
          path: '/map',
          code: 'inconsistent',
          message: `"${from}" and another code differ only in case but map to different codes; the lookup ignores case`,
        });
      }
      table.set(key, to);
    }
    const unmapped = new TransformFailure(
      'code-unmapped',
      'the code is not in the mapping’s code table: add it to the table, or give the transform a default',
    );
    const fallback = params.default === undefined ? unmapped : (params.default ?? undefined);
    // an empty target code means "absent", as everywhere in a mapping
    const normalise = (code: string | undefined) => (code === '' ? undefined : code);
    if (caseSensitive)
      return ready((value) => normalise(table.get(value)) ?? (table.has(value) ? undefined : fallback));
    return ready((value) => {
      const key = value.toLowerCase();
      return normalise(table.get(key)) ?? (table.has(key) ? undefined : fallback);
    });
  },
};
