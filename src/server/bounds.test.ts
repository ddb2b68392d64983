import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseBoundedJson } from './index.ts';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('parseBoundedJson', () => {
  it.each([
    { description: 'a body at the depth limit', text: nested(MAX_JSON_DEPTH), ok: true },
    { description: 'a body one level deeper', text: nested(MAX_JSON_DEPTH + 1), ok: false },
    {
      description: 'brackets inside strings do not count',
      text: JSON.stringify({ a: '[[[[{{{{'.repeat(20) }),
      ok: true,
    },
    {
      description: 'an escaped quote does not end a string',
      text: JSON.stringify({ a: `\\"${'['.repeat(40)}` }),
      ok: true,
    },
    {
      description: 'objects count like lists',
      text: `${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${'}'.repeat(MAX_JSON_DEPTH + 1)}`,
      ok: false,
    },
  ])('$description', ({ text, ok }) => {
    if (ok) expect(parseBoundedJson(text)).toEqual(JSON.parse(text));
    else expect(() => parseBoundedJson(text)).toThrow(`nested more than ${MAX_JSON_DEPTH} levels deep`);
  });

  it('still refuses text that is not JSON', () => {
    expect(() => parseBoundedJson('{"a":')).toThrow(SyntaxError);
  });
});
