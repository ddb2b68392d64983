import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createColumnProfiler,
  describeMixedDates,
  MAX_TRACKED_VALUES,
  mergeProfiles,
  summarizeProfile,
  textHead,
  valueKind,
} from './columnProfile.ts';

describe('column profiles', () => {
  const kinds: [string, string][] = [
    ['1980-01-02', 'date:YYYY-MM-DD'],
    ['11/09/1938', 'date:MM/DD/YYYY'],
    ['25/09/1938', 'date:DD/MM/YYYY'],
    ['20.09.2017', 'date:DD.MM.YYYY'],
    ['19800102', 'date:YYYYMMDD'],
    ['42', 'integer'],
    ['-3.5', 'decimal'],
    ['TRUE', 'boolean'],
    ['a@b.example', 'email'],
    ['2024-01-01T10:00:00Z', 'datetime:ISO'],
    ['Zoë', 'text'],
    ['fAlSe', 'boolean'],
    ['true ', 'text'],
    ['Tru', 'text'],
    ['555-123-4567', 'text'],
    ['1e5', 'text'],
    ['.5', 'decimal'],
    ['1.5e3', 'decimal'],
    ['2024-01-01 10:00', 'datetime:ISO'],
    ['2024/01/01 10:00', 'text'],
    ['19801302', 'integer'],
  ];
  for (const [value, kind] of kinds)
    it(`tells the kind of "${value}": ${kind}`, () => expect(valueKind(value)).toBe(kind));

  it('describes mixed date formats as the issue shows them', () => {
    expect(
      describeMixedDates('birth_date', {
        'date:YYYY-MM-DD': 61,
        'date:MM/DD/YYYY': 30,
        'date:DD.MM.YYYY': 9,
        text: 3,
      }),
    ).toBe('birth_date: 3 date formats: ISO 61 %, MM/DD/YYYY 30 %, DD.MM.YYYY 9 %');
    expect(describeMixedDates('x', { 'date:YYYY-MM-DD': 5 })).toBeUndefined();
  });

  it('counts exactly while few values, estimates within the stated error beyond, and merges', () => {
    const small = createColumnProfiler('sex');
    for (const v of ['M', 'F', 'F', '', 'U']) small.add(v);
    expect(summarizeProfile(small.state)).toMatchObject({
      count: 5,
      empty: 1,
      distinct: 3,
      distinctExact: true,
      top: [
        { value: 'F', count: 2 },
        { value: 'M', count: 1 },
        { value: 'U', count: 1 },
      ],
      min: 'F',
      max: 'U',
    });
    const parts = [createColumnProfiler('id'), createColumnProfiler('id')];
    const n = 50_000;
    for (let i = 0; i < n; i++) (parts[i % 2] as ReturnType<typeof createColumnProfiler>).add(`P${i}`);
    const merged = summarizeProfile(mergeProfiles(parts.map((p) => p.state)));
    expect(merged.distinctExact).toBe(false);
    expect(n).toBeGreaterThan(MAX_TRACKED_VALUES);
    // 1.6 % standard error: 4 standard errors is a bound no seed-free test run should cross
    expect(Math.abs(merged.distinct - n) / n).toBeLessThan(4 * 0.0163);
  });

  it('orders texts by their heads exactly as by `<`, and keeps the exact text min/max, for any texts', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'b', '1', '-', ' ', 'é', '\uffff', '\u0000'), maxLength: 5 }),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
    );
    fc.assert(
      fc.property(text, text, (x, y) => {
        const [hx, hy] = [textHead(x), textHead(y)];
        if (hx < hy) expect(x < y).toBe(true);
        if (hx > hy) expect(x > y).toBe(true);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 60 }), (cells) => {
        const profiler = createColumnProfiler('c');
        for (const cell of cells) profiler.add(cell);
        const filled = cells.filter((c) => c !== '');
        const sorted = [...filled].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(profiler.state.textMin).toBe(sorted[0]);
        expect(profiler.state.textMax).toBe(sorted[sorted.length - 1]);
      }),
    );
  });
});
