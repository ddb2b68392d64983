import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalSha256Hex } from './canonicalJson.ts';
import { type NonJsonKind, nonJsonValue } from './jsonValue.ts';

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
    { description: '-0 is written 0 (RFC 8785 3.2.2.3)', input: { a: -0 }, expected: '{"a":0}' },
    {
      description: 'an object without a prototype is plain data',
      input: Object.assign(Object.create(null), { b: 1 }),
      expected: '{"b":1}',
    },
    {
      description: 'a shared (non-cyclic) reference is written twice',
      input: ((x) => [x, x])({ a: 1 }),
      expected: '[{"a":1},{"a":1}]',
    },
    { description: 'literals', input: [true, false, null, ''], expected: '[true,false,null,""]' },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  class Point {
    constructor(readonly x: number) {}
  }
  // written with `new Array` rather than `[1, , 3]`: lint (rightly) forbids holes in literals
  const sparse = () => {
    const list: unknown[] = new Array(3);
    list[0] = 1;
    list[2] = 3;
    return list;
  };
  const cyclic = () => {
    const a: Record<string, unknown> = { list: [] };
    (a.list as unknown[]).push({ back: a });
    return a;
  };
  // each of these must be refused, not hashed as something else (a Map as {}, a Date as its string)
  const refusals: { description: string; input: unknown; path: string; kind: NonJsonKind }[] = [
    { description: 'undefined', input: undefined, path: '', kind: 'undefined' },
    {
      description: 'an undefined property value',
      input: { a: undefined, b: 2 },
      path: '/a',
      kind: 'undefined',
    },
    { description: 'an undefined list item', input: [1, undefined], path: '/1', kind: 'undefined' },
    { description: 'a sparse list', input: sparse(), path: '/1', kind: 'sparse-array' },
    { description: 'NaN', input: { a: Number.NaN }, path: '/a', kind: 'not-finite' },
    { description: 'Infinity', input: [Number.POSITIVE_INFINITY], path: '/0', kind: 'not-finite' },
    {
      description: '-Infinity',
      input: { x: { y: Number.NEGATIVE_INFINITY } },
      path: '/x/y',
      kind: 'not-finite',
    },
    { description: 'a lone surrogate', input: ['\ud800'], path: '/0', kind: 'lone-surrogate' },
    { description: 'a Map', input: new Map([['a', 1]]), path: '', kind: 'not-plain-object' },
    { description: 'a Set', input: { s: new Set([1]) }, path: '/s', kind: 'not-plain-object' },
    { description: 'a Date', input: { when: new Date(0) }, path: '/when', kind: 'not-plain-object' },
    { description: 'a class instance', input: [new Point(1)], path: '/0', kind: 'not-plain-object' },
    { description: 'a boxed string', input: { s: Object('x') }, path: '/s', kind: 'not-plain-object' },
    { description: 'a typed array', input: { b: new Uint8Array(2) }, path: '/b', kind: 'not-plain-object' },
    { description: 'a function', input: { f: () => 1 }, path: '/f', kind: 'function' },
    { description: 'a symbol', input: { s: Symbol('s') }, path: '/s', kind: 'symbol' },
    { description: 'a symbol-named property', input: { [Symbol('k')]: 1 }, path: '', kind: 'symbol-key' },
    { description: 'a BigInt', input: { n: 1n }, path: '/n', kind: 'bigint' },
    { description: 'a cycle', input: cyclic(), path: '/list/0/back', kind: 'cycle' },
    {
      description: 'a key needing escapes in the path',
      input: { 'a/b~c': Number.NaN },
      path: '/a~1b~0c',
      kind: 'not-finite',
    },
  ];
  it.each(refusals)('refuses $description, naming where and what kind', ({ input, path, kind }) => {
    expect(nonJsonValue(input)).toMatchObject({ path, kind });
    expect(() => canonicalJson(input)).toThrow(TypeError);
    expect(() => canonicalJson(input)).toThrow(`at "${path}"`);
    expect(() => canonicalSha256Hex(input)).toThrow(TypeError);
  });

  it('names no value in its error', () => {
    expect(() => canonicalJson({ secret: new Date(0), name: 'Ada Lovelace' })).toThrow(
      /^value has no canonical JSON form: at "\/secret" it holds an object that is not plain data/,
    );
    expect(() => canonicalJson({ name: 'Ada Lovelace', x: Number.NaN })).not.toThrow(/Ada/);
  });

  it('refuses any value holding something JSON cannot carry (property; seed printed on failure)', () => {
    class Thing {
      readonly kind = 'thing';
    }
    const notJson = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
      fc.bigInt(),
      fc.func(fc.integer()),
      fc.string().map((s) => Symbol(s)),
      fc.date().map((d) => d as unknown),
      fc.dictionary(fc.string(), fc.jsonValue()).map((d) => new Map(Object.entries(d)) as unknown),
      fc.array(fc.jsonValue()).map((items) => new Set(items) as unknown),
      fc.constant(new Thing() as unknown),
      fc.constantFrom('\ud800', 'a\udc00b'),
      fc.integer({ min: 1, max: 5 }).map((length) => new Array(length) as unknown),
    );
    // a JSON value with one non-JSON value planted at a random depth
    const planted = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        notJson,
        fc
          .tuple(fc.array(fc.jsonValue(), { maxLength: 3 }), tie('value'), fc.nat())
          .map(([items, inner, at]) => {
            const copy: unknown[] = [...items];
            copy.splice(at % (copy.length + 1), 0, inner);
            return copy;
          }),
        fc
          .tuple(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }), fc.string(), tie('value'))
          .map(([entries, key, inner]) => ({ ...entries, [key]: inner })),
      ),
    })).value;
    fc.assert(
      fc.property(planted, (value) => {
        expect(nonJsonValue(value)).not.toBeNull();
        expect(() => canonicalJson(value)).toThrow(TypeError);
      }),
    );
  });

  it('accepts every JSON value, and hashes it equal after a parse/stringify round trip (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(nonJsonValue(value)).toBeNull();
        expect(canonicalSha256Hex(JSON.parse(JSON.stringify(value)))).toBe(canonicalSha256Hex(value));
      }),
    );
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
