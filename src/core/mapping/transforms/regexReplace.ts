/**
 * `regexReplace`: replaces matches of a regular expression (JavaScript syntax, flags from
 * `gimsuy`) with the replacement text, where `$1`, `$<name>` and `$&` refer to what matched.
 * The pattern is data: compiled once with `new RegExp` when the mapping compiles, never
 * evaluated as code. Unsafe shapes are refused and long values are not matched
 * (`regexSafety.ts` explains the choice). The result of an empty replacement is absent, which
 * is how a mapping drops a value (e.g. a middle name that starts with a formula character).
 */
import { MAX_REGEX_INPUT_CHARS, unsafeRegexReason } from './regexSafety.ts';
import { ready, refused, type TransformDefinition, TransformFailure } from './types.ts';

/** The `regexReplace` transform. */
export const regexReplaceTransform: TransformDefinition<'regexReplace'> = {
  id: 'regexReplace',
  describe: 'Finds text matching a pattern and replaces it (for example to write phone numbers one way).',
  codes: {
    'regex-input-too-long': `the value is longer than ${MAX_REGEX_INPUT_CHARS} characters, the most a pattern is matched against`,
  },
  produces: 'text',
  compile(params) {
    let regex: RegExp;
    try {
      regex = new RegExp(params.pattern, params.flags ?? '');
    } catch {
      return refused({ path: '/pattern', code: 'invalid-regex', message: 'not a valid regular expression' });
    }
    const unsafe = unsafeRegexReason(params.pattern);
    if (unsafe !== undefined) return refused({ path: '/pattern', code: 'unsafe-regex', message: unsafe });
    const { replacement } = params;
    const tooLong = new TransformFailure(
      'regex-input-too-long',
      `the value is longer than ${MAX_REGEX_INPUT_CHARS} characters, so the pattern was not applied: shorten it in the source or map it without this transform`,
    );
    return ready((value) => {
      if (value.length > MAX_REGEX_INPUT_CHARS) return tooLong;
      // a sticky ("y") pattern without "g" starts at lastIndex: reset it so every row starts alike
      regex.lastIndex = 0;
      return value.replace(regex, replacement);
    });
  },
};
