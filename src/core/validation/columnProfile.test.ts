import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addToSketch,
  type CellVerdicts,
  createColumnProfiler,
  describeMixedDates,
  HLL_REGISTERS,
  MAX_TRACKED_VALUES,
  type ProfileState,
  summarizeProfile,
  textHead,
  VALUE_KINDS,
  valueKind,
} from './columnProfile.ts';

/**
 * The profile as the file header defines it, cell by cell with no cache: every cell classified,
 * the first {@link MAX_TRACKED_VALUES} distinct values counted until a further one overflows the
 * column (counts stop there), the sketch holding every distinct value.
 */
function referenceProfile(column: string, cells: readonly string[]): ProfileState {
  const filled = cells.filter((c) => c !== '');
  const values = new Map<string, number>();
  let overflowed = false;
  for (const cell of filled) {
    if (overflowed) break;
    const seen = values.get(cell);
    if (seen !== undefined) values.set(cell, seen + 1);
    else if (values.size < MAX_TRACKED_VALUES) values.set(cell, 1);
    else overflowed = true;
  }
  const numbers = filled
    .filter((c) => ['integer', 'decimal'].includes(valueKind(c)))
    .map(Number)
    .filter(Number.isFinite);
  const sorted = [...filled].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // the sketch of every distinct value
  const sketch = new Uint8Array(HLL_REGISTERS);
  for (const value of new Set(filled)) addToSketch(sketch, value);
  return {
    column,
    count: cells.length,
    empty: cells.length - filled.length,
    kindCounts: VALUE_KINDS.map((kind) => filled.filter((c) => valueKind(c) === kind).length),
    values,
    overflowed,
    registers: overflowed ? sketch : new Uint8Array(sketch.length),
    numericMin: Math.min(Number.POSITIVE_INFINITY, ...numbers),
    numericMax: Math.max(Number.NEGATIVE_INFINITY, ...numbers),
    numericCount: numbers.length,
    textMin: sorted[0],
    textMax: sorted[sorted.length - 1],
  };
}

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

  it('tells e-mail-like texts exactly as /^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/ does, for any text', () => {
    const emailLike = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
    const unit = fc.constantFrom(
      'a',
      '@',
      '.',
      ' ',
      '\t',
      '\u00a0',
      '\u2028',
      '\u3000',
      '\ufeff',
      '\u180e',
      'é',
      '😀',
    );
    // texts starting with a letter: no number, date or boolean kind comes first
    const text = fc
      .tuple(fc.constantFrom('x', 'Q'), fc.string({ unit, maxLength: 10 }))
      .map(([a, b]) => a + b);
    fc.assert(
      fc.property(fc.oneof(text, fc.emailAddress()), (t) => {
        expect(valueKind(t) === 'email').toBe(emailLike.test(t));
      }),
      { numRuns: 5000 },
    );
  });

  it('tells integers, decimals and YYYYMMDD dates as their regular expressions do, for any number-like text', () => {
    // the kinds a text of these characters can have besides text: checked before e-mail and boolean
    const integer = /^[+-]?\d+$/;
    const decimal = /^[+-]?(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
    const yyyymmdd = /^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/;
    const unit = fc.constantFrom('0', '1', '2', '9', '.', '+', '-', 'e', 'E', ' ', 'x');
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 12 }), (t) => {
        const kind = valueKind(t);
        // a ten-character text may be a date of another layout: those are told apart above
        if (kind.startsWith('date:') && kind !== 'date:YYYYMMDD') return;
        const expected = yyyymmdd.test(t)
          ? 'date:YYYYMMDD'
          : integer.test(t)
            ? 'integer'
            : decimal.test(t)
              ? 'decimal'
              : undefined;
        if (expected !== undefined) expect(kind).toBe(expected);
        else expect(['integer', 'decimal', 'date:YYYYMMDD']).not.toContain(kind);
      }),
      { numRuns: 5000 },
    );
  });

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

  it('counts exactly while few values, estimates within the stated error beyond', () => {
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
    const many = createColumnProfiler('id');
    const n = 50_000;
    for (let i = 0; i < n; i++) many.add(`P${i}`);
    const merged = summarizeProfile(many.state);
    expect(merged.distinctExact).toBe(false);
    expect(n).toBeGreaterThan(MAX_TRACKED_VALUES);
    // 1.6 % standard error: 4 standard errors is a bound no seed-free test run should cross
    expect(Math.abs(merged.distinct - n) / n).toBeLessThan(4 * 0.0163);
  });

  it('profiles as defined, caches aside, and returns each cell’s verdict, for any cells (also past the overflow)', () => {
    // few distinct values, or more than are tracked: repeats before and after the overflow
    const cell = fc.oneof(
      fc.constantFrom('', 'M', 'F', 'true', '1.5', '2024-01-02', 'a@b.co', 'Zoë', '00123'),
      fc.integer({ min: -50, max: 1500 }).map(String),
      // digits only, with leading zeros: text min/max rebuilt from numbers per length
      fc
        .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 6 }))
        .map(([n, width]) => String(n).padStart(width, '0')),
      fc.integer({ min: 0, max: 3000 }).map((n) => `P${n}`),
      fc.string({ unit: fc.constantFrom('a', 'b', '1', '-', '.', '@', 'é'), maxLength: 6 }),
      // digits around the length read without `Number` (15), and 8 digits that may be YYYYMMDD
      fc.string({ unit: fc.constantFrom('0', '1', '9'), minLength: 13, maxLength: 18 }),
      fc.string({ unit: fc.constantFrom('0', '1', '2', '9'), minLength: 8, maxLength: 8 }),
    );
    const verdicts: CellVerdicts = {
      empty: 4,
      of: (text) => (text.length % 3) + (text.includes('1') ? 8 : 0),
    };
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 4000, size: 'max' }), (cells) => {
        const profiler = createColumnProfiler('c', verdicts);
        const returned = cells.map((c) => profiler.add(c));
        expect(returned).toEqual(cells.map((c) => (c === '' ? verdicts.empty : verdicts.of(c))));
        expect(profiler.state).toEqual(referenceProfile('c', cells));
      }),
      { numRuns: 40 },
    );
  });

  it('takes the kind the verdicts imply for cells they accept, and gives the same profile', () => {
    // verdicts that accept exactly the ISO date layout, and say so: the profile must not differ
    const verdicts: CellVerdicts = {
      empty: 0,
      of: (text) => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? 0 : 1),
      kind: 'date:YYYY-MM-DD',
    };
    const cell = fc.oneof(
      fc
        .tuple(
          fc.integer({ min: 1900, max: 2030 }),
          fc.integer({ min: 1, max: 12 }),
          fc.integer({ min: 1, max: 28 }),
        )
        .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
      fc.constantFrom('', '1980-1-02', '19800102', 'x', '12/01/1990'),
      fc.integer({ min: 0, max: 3000 }).map(String),
    );
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 4000, size: 'max' }), (cells) => {
        const profiler = createColumnProfiler('c', verdicts);
        for (const c of cells) profiler.add(c);
        expect(profiler.state).toEqual(referenceProfile('c', cells));
      }),
      { numRuns: 30 },
    );
  });

  it('orders texts by their heads exactly as by `<`, and keeps the exact text min/max, for any texts', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'b', '1', '-', ' ', 'é', '\uffff', '\u0000'), maxLength: 5 }),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
      // a shared prefix longer than the head (ids, dates): the next units, then the whole text decide
      fc
        .string({ unit: fc.constantFrom('0', '1', '9', '\u0000', '\uffff'), maxLength: 6 })
        .map((tail) => `P00${tail}`),
      // digits only, with leading zeros (their min/max is rebuilt from numbers per length)
      fc
        .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 5 }))
        .map(([n, width]) => String(n).padStart(width, '0')),
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
