/**
 * Properties of transforms and the mapping engine over open-ended input (fast-check prints the
 * seed and path of a failure; pin a failing seed as a case in transforms.test.ts):
 * - no transform throws on any text: it converts or returns a failure;
 * - the date transform reads every real ISO date back unchanged, and writes every real date
 *   given in another format as that ISO date;
 * - mapping a row is deterministic and does not depend on which rows were mapped before it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadMapping, type Mapping, type Transform } from '../../formats/mapping.ts';
import { compileMapping } from './compileMapping.ts';
import { formatTargetPath, parseTargetPath } from './targetPath.ts';
import { daysInMonth } from './transforms/date.ts';
import { transformDefinition } from './transforms/index.ts';
import { unsafeRegexReason } from './transforms/regexSafety.ts';
import { TransformFailure } from './transforms/types.ts';

const SAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'samples');
const demo = (() => {
  const loaded = loadMapping(
    JSON.parse(readFileSync(join(SAMPLES, 'mappings', 'patients-to-fhir-patient.json'), 'utf8')),
  );
  if (!loaded.ok) throw new Error('demo mapping does not load');
  return loaded.value as Mapping;
})();

const TRANSFORMS: Transform[] = [
  { op: 'trim' },
  { op: 'case', to: 'upper' },
  { op: 'case', to: 'lower' },
  { op: 'case', to: 'title' },
  { op: 'date', formats: ['YYYY-MM-DD', 'MM/DD/YYYY', 'DD.MM.YYYY', 'M/D/YYYY', 'YYYYMMDD', 'YYYY-MM'] },
  { op: 'date', formats: ['YYYY-MM-DDTHH:mm:ssZ', 'DD.MM.YYYY H:mm Z'], output: 'dateTime' },
  { op: 'codeMap', map: { M: 'male', F: 'female' }, caseSensitive: false, default: null },
  { op: 'codeMap', map: { M: 'male', F: 'female' } },
  { op: 'number' },
  { op: 'number', decimal: ',' },
  { op: 'boolean', true: ['Y', 'true'], false: ['N', 'false'] },
  { op: 'split', separator: ';', index: 1 },
  { op: 'split', separator: ', ' },
  { op: 'concat', separator: ' ' },
  { op: 'regexReplace', pattern: '\\s*\\r?\\n\\s*', flags: 'g', replacement: ', ' },
  {
    op: 'regexReplace',
    pattern: '^(?:\\+?1[ .-]?)?\\(?(\\d{3})\\)?[ .-]?(\\d{3})[ .-]?(\\d{4})$',
    replacement: '$1-$2-$3',
  },
  { op: 'regexReplace', pattern: '^(?<a>\\p{L}+)', flags: 'giu', replacement: '[$<a>]' },
];

/** Text that looks like the cells transforms see: digits, separators, letters, anything. */
const cellText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'0123456789-/.:+ TZ'.split('')), maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

describe('transforms on arbitrary text', () => {
  it('never throw: a value, absent, or a failure with a known code', () => {
    const compiled = TRANSFORMS.map((t) => {
      const c = transformDefinition(t.op).compile(t as never);
      if (!c.ok) throw new Error(`${t.op} refused`);
      return { definition: transformDefinition(t.op), apply: c.apply };
    });
    fc.assert(
      fc.property(cellText, (text) => {
        for (const { definition, apply } of compiled) {
          const out = apply(text);
          if (out instanceof TransformFailure) expect(Object.keys(definition.codes)).toContain(out.code);
          else expect(['string', 'number', 'boolean', 'undefined']).toContain(typeof out);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

const realDate = fc
  .record({
    year: fc.integer({ min: 1, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
  })
  .map(({ year, month, day }) => ({ year, month, day: Math.min(day, daysInMonth(year, month)) }));
const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('date transform', () => {
  const compile = (formats: string[]) => {
    const c = transformDefinition('date').compile({ op: 'date', formats });
    if (!c.ok) throw new Error('refused');
    return c.apply;
  };
  const iso = compile(['YYYY-MM-DD']);
  const all = compile(['YYYY-MM-DD', 'MM/DD/YYYY', 'DD.MM.YYYY']);

  it('reads every real ISO date back unchanged', () => {
    fc.assert(
      fc.property(realDate, ({ year, month, day }) => {
        const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
        expect(iso(text)).toBe(text);
        expect(all(text)).toBe(text);
      }),
    );
  });

  it('writes a real date in MM/DD/YYYY or DD.MM.YYYY as the same ISO date', () => {
    fc.assert(
      fc.property(realDate, ({ year, month, day }) => {
        const want = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
        expect(all(`${pad(month, 2)}/${pad(day, 2)}/${pad(year, 4)}`)).toBe(want);
        expect(all(`${pad(day, 2)}.${pad(month, 2)}.${pad(year, 4)}`)).toBe(want);
      }),
    );
  });

  it('refuses every day past the end of its month instead of rolling over', () => {
    fc.assert(
      fc.property(realDate, fc.integer({ min: 1, max: 68 }), ({ year, month }, extra) => {
        const day = daysInMonth(year, month) + extra;
        const out = all(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`);
        const twoDigits = day <= 99;
        expect(out).toBeInstanceOf(TransformFailure);
        expect((out as TransformFailure).code).toBe(twoDigits ? 'date-impossible' : 'date-unrecognised');
      }),
    );
  });
});

describe('mapping engine', () => {
  const header = [
    'patient_id',
    'mrn',
    'last_name',
    'first_name',
    'middle_name',
    'birth_date',
    'sex',
    'ssn',
    'phone',
    'email',
    'address_line',
    'city',
    'state',
    'postal_code',
    'insurance_member_id',
    'primary_care_provider',
    'allergies',
    'last_visit',
  ];
  const cell = fc.oneof(
    fc.constantFrom('', ' ', 'f', 'M', 'X', '2023-02-30', '11/09/1938', '(401) 555-0137', '=1+2', 'a\nb'),
    cellText,
  );
  const row = fc.array(cell, { minLength: 0, maxLength: header.length + 2 });

  it('is deterministic and independent of row order', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 20 }), fc.integer(), (rows, seed) => {
        const first = compileMapping(demo, header);
        const second = compileMapping(demo, header);
        if (!first.ok || !second.ok) throw new Error('demo mapping does not compile');
        const forward = rows.map((cells, i) => JSON.stringify(first.compiled.mapRow(cells, i + 1)));
        // a shuffled order through a second compilation gives each row the same result
        const order = rows.map((_, i) => i);
        let state = seed;
        for (let i = order.length - 1; i > 0; i--) {
          state = (Math.imul(state, 1103515245) + 12345) | 0;
          const j = Math.abs(state) % (i + 1);
          [order[i], order[j]] = [order[j] as number, order[i] as number];
        }
        for (const i of order) {
          expect(JSON.stringify(second.compiled.mapRow(rows[i] as string[], i + 1))).toBe(forward[i]);
        }
        // and the same compilation again, reversed
        for (let i = rows.length - 1; i >= 0; i--) {
          expect(JSON.stringify(first.compiled.mapRow(rows[i] as string[], i + 1))).toBe(forward[i]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, never writes an empty string, and keeps values out of messages', () => {
    const compiled = compileMapping(demo, header);
    if (!compiled.ok) throw new Error('demo mapping does not compile');
    fc.assert(
      fc.property(row, (cells) => {
        const { record, problems } = compiled.compiled.mapRow(cells, 7);
        const stack: unknown[] = [record];
        while (stack.length > 0) {
          const node = stack.pop();
          expect(node === '' || node === null).toBe(false);
          if (typeof node === 'object' && node !== null) stack.push(...Object.values(node));
        }
        for (const p of problems) {
          expect(p.row).toBe(7);
          if (p.value !== undefined && p.value.trim().length > 3) expect(p.message).not.toContain(p.value);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('pattern scan and target paths', () => {
  it('the safety scan never throws, and refuses any valid pattern nested inside (…+)+', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ab()[]{}|*+?\\\\^$.,0123:<>=!k'.split('')), maxLength: 24 }),
        (source) => {
          const reason = unsafeRegexReason(source);
          expect(reason === undefined || typeof reason === 'string').toBe(true);
          let valid = true;
          try {
            new RegExp(`(?:${source}x+)+`);
          } catch {
            valid = false;
          }
          if (valid) expect(unsafeRegexReason(`(?:${source}x+)+`)).toBeDefined();
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a parsed target path prints back as written', () => {
    const name = fc.string({ unit: fc.constantFrom(...'abcXYZ_09-é'.split('')), minLength: 1, maxLength: 6 });
    const step = fc.tuple(name, fc.array(fc.integer({ min: 0, max: 999 }), { maxLength: 2 }));
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 5 }), (steps) => {
        const path = steps.map(([n, positions]) => n + positions.map((p) => `[${p}]`).join('')).join('.');
        const segments = parseTargetPath(path);
        expect(typeof segments).not.toBe('string');
        expect(formatTargetPath(segments as Exclude<typeof segments, string>)).toBe(path);
      }),
    );
  });
});
