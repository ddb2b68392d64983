/** `trim`: removes white space (Unicode, as `String.prototype.trim`) at both ends. */
import { ready, type TransformDefinition } from './types.ts';

/** The `trim` transform. */
export const trimTransform: TransformDefinition<'trim'> = {
  id: 'trim',
  describe: 'Removes spaces, tabs and line breaks at the start and end of the value.',
  codes: {},
  produces: 'text',
  compile: () => ready((value) => value.trim()),
};
