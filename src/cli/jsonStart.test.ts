import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topLevelSkeleton } from './jsonStart.ts';

describe('topLevelSkeleton', () => {
  const table: { description: string; input: string; expected: Record<string, unknown> | null }[] = [
    {
      description: 'a complete object: strings kept, containers and scalars as placeholders',
      input: '{"format":"preflight.workflow/v1","lanes":[{"id":"a"}],"meta":{"x":"}"},"n":12,"ok":true}',
      expected: { format: 'preflight.workflow/v1', lanes: [], meta: {}, n: null, ok: null },
    },
    {
      description: 'cut inside a later value: the members before it',
      input: '\uFEFF  {\n "format": "preflight.project/v1",\n "project": {"meta": {"name": "Cli',
      expected: { format: 'preflight.project/v1', project: {} },
    },
    {
      description: 'cut inside a key',
      input: '{"format":"preflight.mapping/v1","so',
      expected: { format: 'preflight.mapping/v1' },
    },
    { description: 'cut inside the tag itself', input: '{"format":"preflight.wor', expected: {} },
    {
      description: 'escapes are decoded',
      input: '{"$sch\\u0065ma":"a\\"b", x',
      expected: { $schema: 'a"b' },
    },
    {
      description: 'a stray comma ends the reading',
      input: '{"type":"object",,"properties":{}}',
      expected: { type: 'object' },
    },
    {
      description: 'nested "format" keys are not top-level',
      input: '{"a":{"format":"preflight.workflow/v1"}',
      expected: { a: {} },
    },
    {
      description: 'a later duplicate wins',
      input: '{"type":"string","type":"object"',
      expected: { type: 'object' },
    },
    { description: 'not an object', input: '[{"format":"preflight.workflow/v1"}]', expected: null },
    { description: 'text', input: '# README', expected: null },
    { description: 'empty', input: '', expected: null },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    expect(topLevelSkeleton(input)).toEqual(expected);
  });

  it('never throws, and agrees with JSON.parse on the top-level strings of any valid object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.nat(), (object, cut) => {
        const text = JSON.stringify(object);
        const skeleton = topLevelSkeleton(text) as Record<string, unknown>;
        for (const [key, value] of Object.entries(object)) {
          if (typeof value === 'string') expect(skeleton[key]).toBe(value);
          else expect(key in skeleton).toBe(true);
        }
        expect(() => topLevelSkeleton(text.slice(0, cut % (text.length + 1)))).not.toThrow();
      }),
    );
  });
});
