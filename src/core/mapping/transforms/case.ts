/**
 * `case`: upper, lower or title case. Locale-independent (`toUpperCase`, not
 * `toLocaleUpperCase`), so a mapping gives the same records on every machine.
 *
 * Title case capitalises the first letter of each word and lower-cases the rest. Words start
 * after white space, a hyphen, or an apostrophe that follows a single leading letter — so
 * "o'brien-smith" becomes "O'Brien-Smith" and "n'diaye" "N'Diaye", while "don't" stays "Don't".
 * Names such as "McDonald" cannot be told apart from "Mcdonald" by rule; map them by hand.
 */
import { ready, type TransformDefinition } from './types.ts';

const SPACE = /\s/u;

/** Title case as described in the file header. */
function titleCase(value: string): string {
  const lower = value.toLowerCase();
  let out = '';
  let wordStart = 0;
  let index = 0;
  // by code point, so a letter outside the BMP is upper-cased whole
  for (const char of lower) {
    const previous = index === 0 ? undefined : lower[index - 1];
    let starts = false;
    if (previous === undefined || previous === '-' || SPACE.test(previous)) {
      starts = true;
      wordStart = index;
    } else if ((previous === "'" || previous === '\u2019') && index - wordStart === 2) {
      starts = true; // O'Brien, D'Angelo, N'Diaye: one letter, an apostrophe, then the name
    }
    out += starts ? char.toUpperCase() : char;
    index += char.length;
  }
  return out;
}

/** The `case` transform. */
export const caseTransform: TransformDefinition<'case'> = {
  id: 'case',
  describe: 'Changes the value to upper case, lower case or Title Case.',
  codes: {},
  produces: 'text',
  compile(params) {
    if (params.to === 'upper') return ready((value) => value.toUpperCase());
    if (params.to === 'lower') return ready((value) => value.toLowerCase());
    return ready(titleCase);
  },
};
