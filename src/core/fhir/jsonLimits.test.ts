import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsonTextLimit, MAX_JSON_NAME_CHARS, MAX_JSON_STRING_CHARS } from './jsonLimits.ts';
import { createFhirRun, ndjsonLines } from './run.ts';
import type { FhirSession } from './validator.ts';

/** Scans `text` cut into pieces at `cuts`; the text over a bound found, if any. */
function scanInPieces(
  text: string,
  cuts: number[],
  limits: { maxStringChars: number; maxNameChars: number },
) {
  const limit = createJsonTextLimit(limits);
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b).concat(text.length)) {
    const found = limit.scan(text.slice(from, cut));
    if (found) return found;
    from = cut;
  }
  return undefined;
}

const limits = { maxStringChars: 10, maxNameChars: 4 };

describe('the bounds of JSON text values and property names', () => {
  const cases: { name: string; text: string; at?: { kind: string; line: number; column: number } }[] = [
    { name: 'values and names at their bounds pass', text: '{"name":"0123456789","list":["0123456789"]}' },
    {
      name: 'a value one character over',
      text: '{"id":"p1",\n "text":"0123456789x"}',
      at: { kind: 'string', line: 2, column: 9 },
    },
    {
      name: 'a property name over its bound',
      text: '{"a":1,\n  "named":2}',
      at: { kind: 'name', line: 2, column: 3 },
    },
    {
      name: 'a long string in a list is a value, not a name',
      text: '{"a":["xxxxx","yyyyyyyyyyy"]}',
      at: { kind: 'string', line: 1, column: 15 },
    },
    {
      name: 'a name after a nested object is still a name',
      text: '{"a":{"b":[1,{"c":2}]},"ddddd":1}',
      at: { kind: 'name', line: 1, column: 24 },
    },
    {
      name: 'escapes count as written',
      text: '{"a":"\\u00e9\\u00e9"}',
      at: { kind: 'string', line: 1, column: 6 },
    },
    {
      name: 'an escaped quote does not end the string',
      text: '{"a":"\\"\\"\\"\\"\\"\\""}',
      at: { kind: 'string', line: 1, column: 6 },
    },
    { name: 'a short escaped quote passes', text: '{"a":"\\"x\\""}' },
  ];

  it.each(cases)('$name', ({ text, at }) => {
    expect(scanInPieces(text, [], limits)).toEqual(at ? expect.objectContaining(at) : undefined);
  });

  it('finds the same place however the text is cut into pieces', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.array(fc.nat({ max: 40 }), { maxLength: 10 }),
        ({ text, at }, cuts) => {
          const found = scanInPieces(
            text,
            cuts.map((c) => Math.min(c, text.length)),
            limits,
          );
          expect(found).toEqual(at ? expect.objectContaining(at) : undefined);
        },
      ),
      { seed: 30, numRuns: 300 },
    );
  });

  it('finds what a character-by-character count finds, on any text cut anywhere', () => {
    // the scanner jumps through strings with native searches: this reference reads every
    // character and is the definition it must match (kind, line, column, bound)
    const reference = (text: string, bounds: { maxStringChars: number; maxNameChars: number }) => {
      let [line, column, inString, escaped, run, cap, kind, runLine, runColumn] = [
        1,
        1,
        false,
        false,
        0,
        0,
        'string',
        1,
        1,
      ] as [number, number, boolean, boolean, number, number, string, number, number];
      const open: number[] = [];
      let expectName = false;
      for (const c of text) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') {
            inString = false;
            column++;
            continue;
          }
          if (++run > cap) return { kind, line: runLine, column: runColumn, max: cap };
          if (c === '\n') [line, column] = [line + 1, 1];
          else column++;
          continue;
        }
        if (c === '"') {
          [inString, run, runLine, runColumn] = [true, 0, line, column];
          [kind, cap] = expectName ? ['name', bounds.maxNameChars] : ['string', bounds.maxStringChars];
          expectName = false;
        } else if (c === '{' || c === '[') {
          open.push(c === '{' ? 1 : 0);
          expectName = c === '{';
        } else if (c === '}' || c === ']' || c === ':') {
          if (c !== ':') open.pop();
          expectName = false;
        } else if (c === ',') expectName = open[open.length - 1] === 1;
        else if (c === '\n') {
          [line, column] = [line + 1, 1];
          continue;
        }
        column++;
      }
      return undefined;
    };
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '\n', 'a', 'b', ' ', 'é'), {
          maxLength: 60,
        }),
        fc.array(fc.nat({ max: 60 }), { maxLength: 6 }),
        fc.nat({ max: 6 }),
        fc.nat({ max: 6 }),
        (chars, cuts, maxStringChars, maxNameChars) => {
          const text = chars.join('');
          const bounds = { maxStringChars, maxNameChars };
          const cutAt = cuts.map((c) => Math.min(c, text.length));
          expect(scanInPieces(text, cutAt, bounds)).toEqual(reference(text, bounds));
        },
      ),
      { seed: 61, numRuns: 2000 },
    );
  });

  it('has bounds far above what a FHIR resource holds', () => {
    expect(MAX_JSON_STRING_CHARS).toBeGreaterThan(1024 * 1024); // FHIR's own bound on a string
    expect(MAX_JSON_NAME_CHARS).toBeGreaterThanOrEqual(1024);
  });
});

describe('NDJSON lines over a bound', () => {
  async function* chunked(text: string, size: number) {
    for (let at = 0; at < text.length; at += size) yield text.slice(at, at + size);
  }
  async function lines(text: string, size: number) {
    const out = [];
    for await (const line of ndjsonLines(chunked(text, size), { ...limits, maxLineChars: 40 }))
      out.push({
        line: line.line,
        text: line.text,
        kind: line.tooLarge?.kind,
        column: line.tooLarge?.column,
      });
    return out;
  }

  it.each([1, 3, 7, 1000])(
    'refuses each line on its own and reads the next ones (chunks of %i)',
    async (size) => {
      const text = [
        '{"a":1}',
        '{"a":"xxxxxxxxxxxxxxxxxxxxxxxx"}',
        '{"a":2}',
        `[${'1,'.repeat(30)}1]`,
        '{"bbbbbbbbb":3}',
        '{"a":4}',
      ].join('\r\n');
      expect(await lines(text, size)).toEqual([
        { line: 1, text: '{"a":1}', kind: undefined, column: undefined },
        { line: 2, text: '', kind: 'string', column: 6 },
        { line: 3, text: '{"a":2}', kind: undefined, column: undefined },
        { line: 4, text: '', kind: 'line', column: 1 },
        { line: 5, text: '', kind: 'name', column: 2 },
        { line: 6, text: '{"a":4}', kind: undefined, column: undefined },
      ]);
    },
  );

  it('reports a refused line as one fatal issue at its line and column, and checks the rest of the run', async () => {
    const validated: unknown[] = [];
    const session = {
      validator: { layers: new Set(), unknownExtensions: 'warning' },
      tryValidate: () => undefined,
      validate: async (value: unknown) => {
        validated.push(value);
        return { issues: [], references: [] };
      },
    } as unknown as FhirSession;
    const run = createFhirRun(session, { limits: { maxStringChars: 10, maxNameChars: 12 } });
    await run.addNdjson('export.ndjson', chunked('{"a":1}\n{"a":"xxxxxxxxxxxxxxx"}\n{"a":2}\n', 5));
    await run.addJsonChunks(
      'one.json',
      chunked('{\n  "resourceType": "Patient",\n  "text": "xxxxxxxxxxxx"\n}', 4),
    );
    const report = run.report({ startedAt: '', generatedAt: '', totalMs: 0, version: 'test' });
    expect(validated).toEqual([{ a: 1 }, { a: 2 }]);
    expect(report.summary).toMatchObject({ records: 4, valid: 2, invalid: 2 });
    const issue = report.issues.find((i) => i.rule === 'fhir-json-too-long');
    expect(issue).toMatchObject({ severity: 'fatal', count: 2 });
    expect(issue?.examples).toEqual([
      { input: 'export.ndjson', row: 2, column: 'line 2, column 6' },
      { input: 'one.json', row: 1, column: 'line 3, column 11' },
    ]);
    expect(issue?.message).not.toContain('xxx');
  });
});
