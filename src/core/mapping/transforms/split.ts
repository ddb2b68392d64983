/**
 * `split`: cuts the value at each `separator` and keeps part `index` (0-based, default 0). A
 * value with fewer parts leaves the target absent (like an empty cell: `required` reports it when
 * the target must be filled), since "no second part" is a fact about the value, not an error.
 */
import { ready, type TransformDefinition } from './types.ts';

/** The `split` transform. */
export const splitTransform: TransformDefinition<'split'> = {
  id: 'split',
  describe: 'Cuts the value at a separator and keeps one part (the first unless another is chosen).',
  codes: {},
  produces: 'text',
  compile(params) {
    const { separator } = params;
    const index = params.index ?? 0;
    return ready((value) => {
      // walk to the part instead of String.split: no array per value
      let start = 0;
      for (let part = 0; part < index; part++) {
        const next = value.indexOf(separator, start);
        if (next < 0) return undefined;
        start = next + separator.length;
      }
      const end = value.indexOf(separator, start);
      return end < 0 ? value.slice(start) : value.slice(start, end);
    });
  },
};
