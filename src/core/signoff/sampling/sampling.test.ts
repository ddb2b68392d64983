import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CENSUS,
  compareCodePoints,
  createSampler,
  drawSample,
  MAX_PROBLEM_LOCATIONS,
  type SampleInput,
  type SampleResult,
  samplingHash,
} from './sampling.ts';

/** The hash contract, written independently with node:crypto: u32be length + UTF-8 per field. */
function referenceHash(seed: string, stratum: string, key: string): string {
  const hash = createHash('sha256');
  for (const text of [seed, stratum, key]) {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  }
  return hash.digest('hex');
}

/** The reference model: sort every distinct key of the stratum by (hash, key), take the first n. */
function referenceKeys(seed: string, stratum: string, keys: string[], n: number): string[] {
  return [...new Set(keys)]
    .map((key) => ({ key, hash: referenceHash(seed, stratum, key) }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : compareCodePoints(a.key, b.key)))
    .slice(0, n)
    .map((e) => e.key);
}

function rows(keys: (string | undefined)[], stratum: string | undefined = 'a'): SampleInput[] {
  return keys.map((key, i) => ({ key, stratum, row: i + 1 }));
}

const keysOf = (result: SampleResult, stratum = 'a'): string[] =>
  result.strata.find((s) => s.id === stratum)?.records.map((r) => r.key) ?? [];

describe('samplingHash (the contract)', () => {
  it('is SHA-256 of length-prefixed UTF-8 fields, as an independent implementation computes it', () => {
    for (const [seed, stratum, key] of [
      ['9f3c2a7e51d04b86', 'clean', '10104729'],
      ['1', '', ''],
      ['42', 'site=Nord', 'Müller-𝄞'],
    ] as const) {
      expect(samplingHash(seed, stratum, key)).toBe(referenceHash(seed, stratum, key));
    }
  });

  it('pins one value: a change here changes every sample ever drawn', () => {
    expect(samplingHash('9f3c2a7e51d04b86', 'clean', '10104729')).toBe(
      referenceHash('9f3c2a7e51d04b86', 'clean', '10104729'),
    );
    expect(samplingHash('9f3c2a7e51d04b86', 'clean', '10104729')).toBe(
      '074c3873d37055393b34c29a44da116824689c55e7969473ec0838f80b37b835',
    );
  });

  it('separates fields: moving a character between stratum and key changes the hash', () => {
    expect(samplingHash('1', 'ab', 'c')).not.toBe(samplingHash('1', 'a', 'bc'));
    expect(samplingHash('12', '3', 'k')).not.toBe(samplingHash('1', '23', 'k'));
  });

  it('refuses text with a lone surrogate (it has no UTF-8 form)', () => {
    expect(() => samplingHash('1', 'a', '\ud800')).toThrow(TypeError);
    expect(() => createSampler({ seed: '\udc00', sizes: { a: 1 } })).toThrow(TypeError);
  });
});

describe('createSampler: table', () => {
  const cases: {
    description: string;
    sizes: Record<string, number | typeof CENSUS>;
    input: SampleInput[];
    expected: (result: SampleResult) => void;
  }[] = [
    {
      description: 'takes min(n, N): n larger than the stratum takes every record',
      sizes: { a: 10 },
      input: rows(['k1', 'k2', 'k3']),
      expected: (r) => {
        expect(keysOf(r).sort()).toEqual(['k1', 'k2', 'k3']);
        expect(r.strata[0]).toMatchObject({ id: 'a', size: 10, population: 3 });
      },
    },
    {
      description: 'n = 0 draws nothing but still counts the population',
      sizes: { a: 0 },
      input: rows(['k1', 'k2']),
      expected: (r) => expect(r.strata).toEqual([{ id: 'a', size: 0, population: 2, records: [] }]),
    },
    {
      description: 'census takes every record, in rank order',
      sizes: { a: CENSUS },
      input: rows(['k1', 'k2', 'k3', 'k4']),
      expected: (r) => expect(keysOf(r)).toEqual(referenceKeys('7', 'a', ['k1', 'k2', 'k3', 'k4'], 4)),
    },
    {
      description: 'missing and blank keys are reported by row, not sampled, not counted',
      sizes: { a: 5 },
      input: rows(['k1', undefined, '', '  ', 'k2']),
      expected: (r) => {
        expect(keysOf(r).sort()).toEqual(['k1', 'k2']);
        expect(r.strata[0]?.population).toBe(2);
        expect(r.problems).toEqual([
          { code: 'missing-key', count: 3, locations: [2, 3, 4].map((row) => ({ row })) },
        ]);
      },
    },
    {
      description: 'unknown and missing strata are reported with their file and row',
      sizes: { a: 5 },
      input: [
        { key: 'k1', stratum: 'a', row: 1, source: 'x.csv' },
        { key: 'k2', stratum: 'b', row: 2, source: 'x.csv' },
        { key: 'k3', stratum: undefined, row: 3, source: 'x.csv' },
      ],
      expected: (r) =>
        expect(r.problems).toEqual([
          {
            code: 'unknown-stratum',
            count: 2,
            locations: [
              { row: 2, source: 'x.csv' },
              { row: 3, source: 'x.csv' },
            ],
          },
        ]),
    },
    {
      description: 'a duplicated drawn key is drawn once, at its first row, with its copies reported',
      sizes: { a: CENSUS },
      input: rows(['k1', 'k2', 'k1', 'k1']),
      expected: (r) => {
        const k1 = r.strata[0]?.records.find((x) => x.key === 'k1');
        expect(k1).toMatchObject({ row: 1, duplicates: [{ row: 3 }, { row: 4 }] });
        expect(r.strata[0]?.records).toHaveLength(2);
        expect(r.strata[0]?.population).toBe(4);
        expect(r.problems).toEqual([
          { code: 'duplicate-key', stratum: 'a', count: 2, locations: [{ row: 3 }, { row: 4 }] },
        ]);
      },
    },
    {
      description: 'problem locations are capped; counts are complete',
      sizes: { a: 1 },
      input: rows(Array.from({ length: MAX_PROBLEM_LOCATIONS + 5 }, () => '')),
      expected: (r) => {
        expect(r.problems[0]?.count).toBe(MAX_PROBLEM_LOCATIONS + 5);
        expect(r.problems[0]?.locations).toHaveLength(MAX_PROBLEM_LOCATIONS);
      },
    },
    {
      description: 'strata are sampled independently and listed in the order of sizes',
      sizes: { b: 2, a: 2 },
      input: [...rows(['k1', 'k2', 'k3'], 'a'), ...rows(['k1', 'k2', 'k3'], 'b')],
      expected: (r) => {
        expect(r.strata.map((s) => s.id)).toEqual(['b', 'a']);
        expect(keysOf(r, 'a')).toEqual(referenceKeys('7', 'a', ['k1', 'k2', 'k3'], 2));
        expect(keysOf(r, 'b')).toEqual(referenceKeys('7', 'b', ['k1', 'k2', 'k3'], 2));
      },
    },
  ];
  it.each(cases)('$description', ({ sizes, input, expected }) => {
    expected(drawSample({ seed: '7', sizes }, input));
  });

  it('records carry their hash, so anyone can recompute the ranking', () => {
    const r = drawSample({ seed: '7', sizes: { a: 2 } }, rows(['k1', 'k2', 'k3']));
    for (const record of r.strata[0]?.records ?? [])
      expect(record.hash).toBe(referenceHash('7', 'a', record.key));
  });

  it('refuses sizes that are not counts', () => {
    for (const size of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createSampler({ seed: '1', sizes: { a: size } })).toThrow(RangeError);
    }
  });
});

const keyArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((k) => k.trim() !== '');
const populationArb = fc.uniqueArray(keyArb, { minLength: 0, maxLength: 60 });
const seedArb = fc.stringMatching(/^[0-9a-f]{1,16}$/);

describe('createSampler: properties (fast-check prints a replayable seed on failure)', () => {
  it('equals the reference model: the n smallest (hash, key) of the distinct keys', () => {
    fc.assert(
      fc.property(seedArb, populationArb, fc.nat({ max: 20 }), (seed, keys, n) => {
        const result = drawSample({ seed, sizes: { a: n } }, rows(keys));
        expect(keysOf(result)).toEqual(referenceKeys(seed, 'a', keys, n));
      }),
    );
  });

  it('same inputs → same sample; any permutation of the rows → the identical key list', () => {
    fc.assert(
      fc.property(
        seedArb,
        populationArb.chain((keys) =>
          fc.tuple(fc.constant(keys), fc.shuffledSubarray(keys, { minLength: keys.length })),
        ),
        fc.nat({ max: 20 }),
        (seed, [keys, shuffled], n) => {
          const a = drawSample({ seed, sizes: { a: n } }, rows(keys));
          expect(drawSample({ seed, sizes: { a: n } }, rows(keys))).toEqual(a);
          expect(keysOf(drawSample({ seed, sizes: { a: n } }, rows(shuffled)))).toEqual(keysOf(a));
        },
      ),
    );
  });

  it('with duplicate keys: the drawn keys are the reference over distinct keys, in any row order, and every copy of a drawn key is reported', () => {
    const withCopies = fc
      .array(fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'), { maxLength: 40 })
      .chain((keys) => fc.tuple(fc.constant(keys), fc.shuffledSubarray(keys, { minLength: keys.length })));
    fc.assert(
      fc.property(seedArb, withCopies, fc.nat({ max: 6 }), (seed, [keys, shuffled], n) => {
        const expectedKeys = referenceKeys(seed, 'a', keys, n);
        const copies = expectedKeys.reduce((sum, k) => sum + keys.filter((x) => x === k).length - 1, 0);
        for (const order of [keys, shuffled]) {
          const result = drawSample({ seed, sizes: { a: n } }, rows(order));
          expect(keysOf(result)).toEqual(expectedKeys);
          expect(result.strata[0]?.population).toBe(keys.length);
          expect(result.problems.find((p) => p.code === 'duplicate-key')?.count ?? 0).toBe(copies);
        }
      }),
    );
  });

  it('each stratum gets min(n, N) records', () => {
    fc.assert(
      fc.property(
        seedArb,
        populationArb,
        populationArb,
        fc.nat({ max: 30 }),
        fc.nat({ max: 30 }),
        (seed, a, b, na, nb) => {
          const result = drawSample({ seed, sizes: { a: na, b: nb } }, [...rows(a, 'a'), ...rows(b, 'b')]);
          expect(keysOf(result, 'a')).toHaveLength(Math.min(na, a.length));
          expect(keysOf(result, 'b')).toHaveLength(Math.min(nb, b.length));
        },
      ),
    );
  });

  it('changing the seed changes the sample (40 keys, n = 10: equal by chance with p ≈ 1.2e-9)', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `MRN${1000 + i}`);
    fc.assert(
      fc.property(seedArb, seedArb, (s1, s2) => {
        fc.pre(s1 !== s2);
        const a = keysOf(drawSample({ seed: s1, sizes: { a: 10 } }, rows(keys))).sort();
        const b = keysOf(drawSample({ seed: s2, sizes: { a: 10 } }, rows(keys))).sort();
        expect(a).not.toEqual(b);
      }),
    );
  });
});

/**
 * Unbiasedness. Population N = 20, n = 5, T = 2,000 seeds ("1" … "2000"): each record should be
 * drawn E = T·n/N = 500 times. Draws within one seed are without replacement, so the counts are
 * not multinomial: Var(count) = T·f(1−f) with f = n/N and the covariances are −T·f(1−f)/(N−1).
 * The statistic X = (N−1)/N · Σ (O−E)² / (E·(1−f)) is then χ² with N − 1 = 19 degrees of freedom.
 * Threshold: χ²(19) at α = 0.001 is 43.820. The seeds are fixed, so the test is deterministic;
 * α only says how unlucky a correct sampler would have to be to fail it.
 */
const CHI2_19_ALPHA_0_001 = 43.82;

function inclusionStatistic(draw: (seed: string, keys: string[]) => string[]): number {
  const N = 20;
  const n = 5;
  const T = 2000;
  const keys = Array.from({ length: N }, (_, i) => `P${String(i).padStart(6, '0')}`);
  const counts = new Map(keys.map((k) => [k, 0]));
  for (let t = 1; t <= T; t++) {
    for (const key of draw(String(t), keys)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const f = n / N;
  const expected = (T * n) / N;
  let sum = 0;
  for (const observed of counts.values()) sum += (observed - expected) ** 2;
  return ((N - 1) / N) * (sum / (expected * (1 - f)));
}

describe('createSampler: unbiasedness (χ² goodness of fit over 2,000 seeds)', () => {
  it(`inclusion counts are uniform: X below χ²(19, α = 0.001) = ${CHI2_19_ALPHA_0_001}`, () => {
    const x = inclusionStatistic((seed, keys) => keysOf(drawSample({ seed, sizes: { a: 5 } }, rows(keys))));
    console.info(`sampling χ² statistic: ${x.toFixed(3)} (df 19, threshold ${CHI2_19_ALPHA_0_001})`);
    expect(x).toBeLessThan(CHI2_19_ALPHA_0_001);
  });

  it('the test has power: a sampler that ignores part of the hash is caught', () => {
    // a biased scheme: ranks by the hash but always keeps the first key of the population
    const biased = (seed: string, keys: string[]) => [
      keys[0] as string,
      ...keysOf(drawSample({ seed, sizes: { a: 4 } }, rows(keys.slice(1)))),
    ];
    expect(inclusionStatistic(biased)).toBeGreaterThan(CHI2_19_ALPHA_0_001);
  });
});
