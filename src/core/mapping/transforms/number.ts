/**
 * `number`: reads a decimal number: an optional sign, digits, and an optional fraction after the
 * mapping's decimal separator (`.` by default, or `,`). Strict on purpose: no thousands
 * separators (is `1,234` one thousand or one point two?), no exponents, no spaces (put `trim`
 * before it), no `NaN` or `Infinity` — anything else is `number-invalid`, never a guess.
 * Scanned by character codes (no regular expression, nothing to backtrack).
 */
import { ready, type TransformDefinition, TransformFailure } from './types.ts';

const DIGIT_0 = 48;
const DIGIT_9 = 57;

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

/** The number in `value` with `decimal` as the separator, or undefined when it is not one. */
function readNumber(value: string, decimal: '.' | ','): number | undefined {
  let at = 0;
  if (value[0] === '+' || value[0] === '-') at = 1;
  const integerStart = at;
  while (at < value.length && isDigit(value.charCodeAt(at))) at++;
  if (at === integerStart) return undefined;
  if (at < value.length) {
    if (value[at] !== decimal) return undefined;
    at++;
    const fractionStart = at;
    while (at < value.length && isDigit(value.charCodeAt(at))) at++;
    if (at === fractionStart || at !== value.length) return undefined;
  }
  const number = Number(decimal === '.' ? value : value.replace(',', '.'));
  // a 400-digit integer is a string of digits, but not a finite number
  return Number.isFinite(number) ? number : undefined;
}

/** The `number` transform. */
export const numberTransform: TransformDefinition<'number'> = {
  id: 'number',
  describe: 'Reads a number such as 12, -3 or 4.5 (or 4,5 when the decimal separator is a comma).',
  codes: { 'number-invalid': 'the value is not a plain decimal number' },
  produces: 'number',
  compile(params) {
    const decimal = params.decimal ?? '.';
    const invalid = new TransformFailure(
      'number-invalid',
      `not a number written with "${decimal}" as the decimal separator (digits, an optional sign and fraction; no thousands separators)`,
    );
    return ready((value) => {
      const number = readNumber(value, decimal);
      // -0 becomes 0: JSON has no negative zero, and records must compare equal across runs
      return number === undefined ? invalid : number === 0 ? 0 : number;
    });
  },
};
