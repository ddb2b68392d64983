import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalSha256Hex } from './canonicalJson.ts';

describe('canonicalJson (RFC 8785)', () => {
  const table: { description: string; input: unknown; expected: string }[] = [
    {
      description: 'keys sorted, no white space',
      input: { b: 1, a: { d: [3, 2], c: null } },
      expected: '{"a":{"c":null,"d":[3,2]},"b":1}',
    },
    {
      description: 'keys sorted by UTF-16 code units',
      input: { '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, '1': 4, A: 5, a: 6 },
      expected: '{"\\r":2,"1":4,"A":5,"a":6,"€":1,"😀":3}',
    },
    {
      description: 'ECMAScript number form',
      input: [1e21, 1e-7, -0, 0.1, 333333333.3333333, 1e308, 5e-324],
      expected: '[1e+21,1e-7,0,0.1,333333333.3333333,1e+308,5e-324]',
    },
    {
      description: 'minimal string escapes',
      input: ['\u0000\u001f"\\/\u007f\u00e9'],
      expected: '["\\u0000\\u001f\\"\\\\/\u007fé"]',
    },
    { description: 'undefined properties are left out', input: { a: undefined, b: 2 }, expected: '{"b":2}' },
    { description: 'literals', input: [true, false, null, ''], expected: '[true,false,null,""]' },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  const refusals: { description: string; input: unknown }[] = [
    { description: 'undefined', input: undefined },
    { description: 'NaN', input: { a: Number.NaN } },
    { description: 'Infinity', input: [Number.POSITIVE_INFINITY] },
    { description: 'a lone surrogate', input: ['\ud800'] },
    {
      description: 'a cycle',
      input: (() => {
        const a: Record<string, unknown> = {};
        a.self = a;
        return a;
      })(),
    },
  ];
  it.each(refusals)('refuses $description', ({ input }) => {
    expect(() => canonicalJson(input)).toThrow(TypeError);
  });

  it('does not depend on key order and is a fixed point of JSON parsing', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        const shuffled = JSON.parse(JSON.stringify(value), (_k, v) =>
          v && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).reverse())
            : v,
        );
        expect(canonicalJson(shuffled)).toBe(text);
      }),
    );
  });
});

describe('canonicalSha256Hex', () => {
  const table: { description: string; input: unknown; expected: string }[] = [
    // sha256 of the two bytes "{}"
    {
      description: 'empty object',
      input: {},
      expected: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    },
    // sha256 of the UTF-8 bytes of '"é"' (5 bytes: 22 c3 a9 22 … ) — independent of key order and spacing
    {
      description: 'same for equal values',
      input: JSON.parse('{ "b": 1,  "a": 2 }'),
      expected: canonicalSha256Hex({ a: 2, b: 1 }),
    },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    expect(canonicalSha256Hex(input)).toBe(expected);
  });

  it('is lowercase hex of 64 digits', () => {
    expect(canonicalSha256Hex({ a: 'é' })).toMatch(/^[0-9a-f]{64}$/);
  });
});
