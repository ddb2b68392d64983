import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLE_PLAN_FORMAT, type SamplePlan } from '../../../formats/samplePlan.ts';
import { compilePlan } from '../../contract/index.ts';
import { MAX_DUPLICATE_GROUPS } from '../../validation/index.ts';
import { drawBytesToRead, drawPlanSample } from './drawPlan.ts';
import type { CsvInput } from './sampleCsv.ts';
import { CENSUS, type SampleSize } from './sampling.ts';
import { planSampleSizes } from './statistics.ts';
import { outcomeClassifier, ValidationStrataError, validationStrataIds } from './validationStrata.ts';

/** A contract: id required, code two upper-case letters, sex M/F/U. */
const CONTRACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['id', 'code'],
  properties: {
    id: { type: 'string' },
    code: { type: 'string', pattern: '^[A-Z]{2}$' },
    sex: { enum: ['M', 'F', 'U'] },
  },
};
const CONTRACT_PLAN = compilePlan(CONTRACT);

function plan(strata: SamplePlan['population']['strata'] = STRATA): SamplePlan {
  return {
    format: SAMPLE_PLAN_FORMAT,
    id: 'p',
    name: 'P',
    population: { dataset: 'data.csv', stratifyBy: 'validation', strata },
    targetErrorRate: 0.05,
    confidence: 0.95,
    acceptanceNumber: 0,
    seed: 'seed-1',
    createdAt: '2024-07-08T09:00:00-04:00',
  };
}
const STRATA = [
  { id: 'ok', label: 'Clean', size: 0 },
  { id: 'bad', label: 'Flagged', size: 0, flagged: true, census: true },
];

function csv(name: string, text: string): CsvInput {
  const bytes = new TextEncoder().encode(text);
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}

/** Every record's stratum, by drawing both strata as a census: key → stratum. */
async function strataOf(text: string, sizes: Record<string, SampleSize> = { ok: CENSUS, bad: CENSUS }) {
  const result = await drawPlanSample(plan(), [csv('data.csv', text)], {
    sizes,
    keyColumn: 'id',
    contract: { plan: CONTRACT_PLAN },
    chunkBytes: 7,
  });
  const out: Record<string, string> = {};
  for (const s of result.sample.strata) for (const r of s.records) out[r.key] = s.id;
  return { strata: out, result };
}

describe('validation strata: which records validation flags', () => {
  const cases: { description: string; input: string; expected: Record<string, string> }[] = [
    {
      description: 'a row that meets the contract is clean',
      input: 'id,code,sex\r\nA1,AB,M\r\n',
      expected: { A1: 'ok' },
    },
    {
      description: 'a contract error (pattern) flags the row',
      input: 'id,code,sex\r\nA1,AB,M\r\nA2,ab,F\r\n',
      expected: { A1: 'ok', A2: 'bad' },
    },
    {
      description: 'a missing required cell flags the row',
      input: 'id,code,sex\r\nA1,,M\r\nA2,CD,U\r\n',
      expected: { A1: 'bad', A2: 'ok' },
    },
    {
      description: 'an enum error flags the row',
      input: 'id,code,sex\nA1,AB,X\nA2,CD,F\n',
      expected: { A1: 'bad', A2: 'ok' },
    },
    {
      description: 'a duplicated key flags every copy, the first too (the engine counts it an error)',
      input: 'id,code,sex\r\nA1,AB,M\r\nA2,CD,F\r\nA1,EF,M\r\n',
      expected: { A1: 'bad', A2: 'ok' },
    },
    {
      description: 'too few cells (structure) flag the row',
      input: 'id,code,sex\r\nA1,AB\r\nA2,CD,F\r\n',
      expected: { A1: 'bad', A2: 'ok' },
    },
    {
      description: 'a quoted line break stays one record, and row numbers stay aligned after it',
      input: 'id,code,sex\r\nA1,"A\nB",M\r\nA2,CD,F\r\nA3,cd,F\r\n',
      expected: { A1: 'bad', A2: 'ok', A3: 'bad' },
    },
  ];
  it.each(cases)('$description', async ({ input, expected }) => {
    expect((await strataOf(input)).strata).toEqual(expected);
  });

  it('the demo-like plan: the flagged stratum is a census, the clean one sampled to n', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `K${i},${i % 5 === 0 ? 'x' : 'AB'},M`);
    const { result } = await strataOf(`id,code,sex\n${rows.join('\n')}\n`, { ok: 5, bad: CENSUS });
    const byId = Object.fromEntries(result.sample.strata.map((s) => [s.id, s]));
    expect(byId.ok?.population).toBe(32);
    expect(byId.ok?.records).toHaveLength(5);
    expect(byId.bad?.population).toBe(8);
    expect(byId.bad?.records).toHaveLength(8);
  });

  it('a flagged stratum that is not a census is sampled to its own n', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `K${i},${i % 2 === 0 ? 'x' : 'AB'},M`);
    const { result } = await strataOf(`id,code,sex\n${rows.join('\n')}\n`, { ok: CENSUS, bad: 4 });
    const byId = Object.fromEntries(result.sample.strata.map((s) => [s.id, s]));
    expect(byId.bad?.population).toBe(15);
    expect(byId.bad?.records).toHaveLength(4);
    expect(byId.ok?.records).toHaveLength(15);
  });

  it('needs exactly one flagged and one other stratum', () => {
    expect(validationStrataIds(plan())).toEqual({ flagged: 'bad', clean: 'ok' });
    expect(() => validationStrataIds(plan([STRATA[0] as never]))).toThrow(ValidationStrataError);
    expect(() =>
      validationStrataIds(plan([...STRATA, { id: 'more', label: 'More', size: 1, flagged: true }])),
    ).toThrow(/exactly two strata/);
  });

  it(`finds every duplicated key when more than ${MAX_DUPLICATE_GROUPS} are (an extra pass by hash)`, async () => {
    const rows: string[] = ['U0,AB,M'];
    for (let i = 0; i <= MAX_DUPLICATE_GROUPS; i++) rows.push(`D${i},AB,M`, `U${i + 1},AB,F`, `D${i},AB,M`);
    rows.push('U-last,zz,M');
    const { strata } = await strataOf(`id,code,sex\n${rows.join('\n')}\n`);
    const flagged = Object.entries(strata)
      .filter(([, s]) => s === 'bad')
      .map(([k]) => k);
    expect(flagged).toHaveLength(MAX_DUPLICATE_GROUPS + 2);
    expect(flagged.filter((k) => k.startsWith('U'))).toEqual(['U-last']);
    expect(strata[`D${MAX_DUPLICATE_GROUPS}`]).toBe('bad');
    expect(strata.U0).toBe('ok');
  });

  it('counts the bytes it reads: a sniff, then two passes', () => {
    expect(drawBytesToRead(plan(), [100, 200_000])).toBe(2 * 200_100 + 100 + 65_536);
    expect(drawBytesToRead({ population: { ...plan().population, stratifyBy: 'file' } }, [100])).toBe(100);
  });

  it('the classifier answers the same for rows met in any order', () => {
    const classify = outcomeClassifier({
      file: 'f',
      rows: 10,
      failingRows: Uint32Array.from([2, 5, 9]),
      duplicatedKeys: ['dup'],
    });
    const order = [1, 2, 3, 9, 4, 5, 10, 2, 6];
    expect(order.map((row) => classify(row, 'k'))).toEqual(
      order.map((row) => ([2, 5, 9].includes(row) ? 'flagged' : 'clean')),
    );
    expect(classify(1, 'dup')).toBe('flagged');
  });
});

describe('validation strata: properties', () => {
  const record = fc.record({
    key: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L'),
    valid: fc.boolean(),
  });

  it('a record’s stratum does not depend on the order of the rows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 30 }),
        fc.integer(),
        async (rows, seed) => {
          const line = (r: { key: string; valid: boolean }) => `${r.key},${r.valid ? 'AB' : 'a'},M`;
          const shuffled = fc.sample(fc.shuffledSubarray(rows, { minLength: rows.length }), {
            seed,
            numRuns: 1,
          })[0];
          const a = await strataOf(`id,code,sex\n${rows.map(line).join('\n')}\n`, { ok: 3, bad: CENSUS });
          const b = await strataOf(`id,code,sex\n${(shuffled ?? rows).map(line).join('\n')}\n`, {
            ok: 3,
            bad: CENSUS,
          });
          const keys = (r: typeof a) =>
            r.result.sample.strata.map((s) => [s.id, s.population, s.records.map((x) => x.key)]);
          expect(keys(b)).toEqual(keys(a));
          // the rule itself: flagged ⇔ some copy of the key is invalid or the key occurs twice
          for (const [key, stratum] of Object.entries(a.strata)) {
            const copies = rows.filter((r) => r.key === key);
            const flagged = copies.length > 1 || copies.some((r) => !r.valid);
            expect(stratum).toBe(flagged ? 'bad' : 'ok');
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the allocation sums to the plan’s n, and the drawn sample holds min(n, population) per stratum', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 12 }),
        async (rows, n) => {
          const unique = rows.map((r, i) => ({ ...r, key: `${r.key}${i}` }));
          const text = `id,code,sex\n${unique.map((r) => `${r.key},${r.valid ? 'AB' : 'a'},M`).join('\n')}\n`;
          const { result } = await strataOf(text, { ok: n, bad: CENSUS });
          const valid = unique.filter((r) => r.valid).length;
          const byId = Object.fromEntries(result.sample.strata.map((s) => [s.id, s]));
          expect(byId.ok?.population).toBe(valid);
          expect(byId.bad?.population).toBe(unique.length - valid);
          expect(byId.ok?.records).toHaveLength(Math.min(n, valid));
          expect(byId.bad?.records).toHaveLength(unique.length - valid);
          // the plan's sizes: the total is the sum over strata
          const sized = planSampleSizes(
            plan([
              { id: 'ok', label: 'Clean', size: valid },
              { id: 'bad', label: 'Flagged', size: unique.length - valid, flagged: true, census: true },
            ]),
          );
          expect(sized.total).toBe(sized.strata.reduce((sum, s) => sum + s.n, 0));
          expect(sized.strata[1]?.n).toBe(unique.length - valid);
        },
      ),
      { numRuns: 60 },
    );
  });
});
