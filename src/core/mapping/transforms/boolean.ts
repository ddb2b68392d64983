/**
 * `boolean`: reads true or false from the mapping's lists of spellings. Exact comparison (the
 * lists say which spellings count: add "y" and "Y" if both occur); anything else is
 * `boolean-unrecognised`. A spelling listed on both sides is refused by the format's own check.
 */
import { ready, refused, type TransformDefinition, TransformFailure } from './types.ts';

/** The `boolean` transform. */
export const booleanTransform: TransformDefinition<'boolean'> = {
  id: 'boolean',
  describe:
    'Reads yes/no values: each spelling in the "true" list becomes true, each in the "false" list false.',
  codes: { 'boolean-unrecognised': 'the value is in neither the true nor the false list' },
  produces: 'boolean',
  compile(params) {
    const truthy = new Set(params.true);
    const falsy = new Set(params.false);
    const both = params.false.findIndex((spelling) => truthy.has(spelling));
    if (both >= 0) {
      return refused({
        path: `/false/${both}`,
        code: 'inconsistent',
        message: 'a spelling is listed as both true and false',
      });
    }
    const unrecognised = new TransformFailure(
      'boolean-unrecognised',
      `the value is in neither list (true: ${params.true.join(', ')}; false: ${params.false.join(', ')}): add its spelling to the mapping or correct it`,
    );
    return ready((value) => (truthy.has(value) ? true : falsy.has(value) ? false : unrecognised));
  },
};
