import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addToSketch,
  type CellVerdicts,
  createColumnProfiler,
  dateValue,
  describeMixedDates,
  HLL_REGISTERS,
  MAX_EXACT_DISTINCT,
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
  const dated = filled
    .map((c) => ({ c, v: dateValue(c, VALUE_KINDS.indexOf(valueKind(c))) }))
    .filter((d) => !Number.isNaN(d.v));
  // the first cell of the least and greatest date (a later equal date does not replace it)
  const dateMin = dated.reduce<(typeof dated)[number] | undefined>(
    (m, d) => (m === undefined || d.v < m.v ? d : m),
    undefined,
  );
  const dateMax = dated.reduce<(typeof dated)[number] | undefined>(
    (m, d) => (m === undefined || d.v > m.v ? d : m),
    undefined,
  );
  const distinct = new Set(filled).size;
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
    dateMin: dateMin?.c,
    dateMax: dateMax?.c,
    exactDistinct: overflowed && distinct <= MAX_EXACT_DISTINCT ? distinct : undefined,
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
    // spreadsheet output: month and day without their leading zero
    ['1/5/1990', 'date:M/D/YYYY'],
    ['12/5/1990', 'date:M/D/YYYY'],
    ['1/15/1990', 'date:M/D/YYYY'],
    ['25/9/1938', 'date:D/M/YYYY'],
    ['0/5/1990', 'text'],
    ['1/5/90', 'text'],
    ['1/5/19901', 'text'],
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
      { numRuns: 200 },
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
      { numRuns: 200 },
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

  const minMax: { description: string; cells: string[]; min: string | number; max: string | number }[] = [
    {
      description: 'non-padded M/D/YYYY dates, by date (text order would give 1/5/2001 and 9/9/1950)',
      cells: ['9/9/1950', '12/31/1999', '1/5/2001', '10/1/1975'],
      min: '9/9/1950',
      max: '1/5/2001',
    },
    {
      description: 'dates of mixed layouts, by date',
      cells: ['1990-01-02', '3/4/1985', '12/25/2003', '20011231'],
      min: '3/4/1985',
      max: '12/25/2003',
    },
    { description: 'numbers, by number', cells: ['9', '10', '-2.5', '100'], min: -2.5, max: 100 },
    { description: 'text, in code-unit order', cells: ['b', 'a', 'c'], min: 'a', max: 'c' },
    {
      description: 'dates with a text among them: text order (not every cell is a date)',
      cells: ['9/9/1950', '1/5/2001', 'unknown'],
      min: '1/5/2001',
      max: 'unknown',
    },
  ];
  for (const { description, cells, min, max } of minMax)
    it(`takes min/max of ${description}`, () => {
      const profiler = createColumnProfiler('c');
      for (const cell of cells) profiler.add(cell);
      expect(summarizeProfile(profiler.state)).toMatchObject({ min, max });
    });

  it('names the date layouts of non-padded dates', () => {
    const profiler = createColumnProfiler('birth_date');
    for (const cell of ['1/5/1990', '12/5/1990', '11/09/1938']) profiler.add(cell);
    expect(summarizeProfile(profiler.state).kinds).toEqual({ 'date:M/D/YYYY': 2, 'date:MM/DD/YYYY': 1 });
  });

  const distinctCases: { description: string; cells: () => string[]; distinct: number; exact: boolean }[] = [
    {
      description: 'an all-unique id of 1,171 rows',
      cells: () => Array.from({ length: 1171 }, (_, i) => `ID-${i}`),
      distinct: 1171,
      exact: true,
    },
    {
      description: '100,000 distinct values, each twice',
      cells: () => Array.from({ length: 200_000 }, (_, i) => `P${i % 100_000}`),
      distinct: 100_000,
      exact: true,
    },
    {
      description: '1,500 values in 1,171 + 329 rows with 12 empty cells',
      cells: () => [...Array.from({ length: 1500 }, (_, i) => `v${i}`), ...Array<string>(12).fill('')],
      distinct: 1500,
      exact: true,
    },
  ];
  for (const { description, cells, distinct, exact } of distinctCases)
    it(`counts distinct values exactly: ${description}`, () => {
      const profiler = createColumnProfiler('c');
      for (const cell of cells()) profiler.add(cell);
      const summary = summarizeProfile(profiler.state);
      expect(summary.distinct).toBe(distinct);
      expect(summary.distinctExact).toBe(exact);
    });

  it('estimates beyond 100,000 distinct values, says so, and never counts more values than cells', () => {
    const profiler = createColumnProfiler('id');
    const n = MAX_EXACT_DISTINCT + 5000;
    for (let i = 0; i < n; i++) profiler.add(`P${i}`);
    const summary = summarizeProfile(profiler.state);
    expect(summary.distinctExact).toBe(false);
    expect(summary.distinct).toBeLessThanOrEqual(n);
    expect(Math.abs(summary.distinct - n) / n).toBeLessThan(4 * 0.0163);
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
    // past the values kept as text, still exact (by fingerprint), with top values partial
    expect(n).toBeGreaterThan(MAX_TRACKED_VALUES);
    expect(merged).toMatchObject({ distinct: n, distinctExact: true, topExact: false });
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

  it('gives the same profile from each value counted once, in the order the cells first hold it', () => {
    // few distinct values, or more than are tracked (the overflow in the middle of the values)
    const cell = fc.oneof(
      fc.constantFrom('', 'M', 'F', '1.5', '2024-01-02', '01/02/2024', 'a@b.co', '00123'),
      fc.integer({ min: -50, max: 1500 }).map(String),
      fc.integer({ min: 0, max: 3000 }).map((n) => `P${n}`),
      fc.string({ unit: fc.constantFrom('a', '1', '.', 'é'), maxLength: 5 }),
    );
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 4000, size: 'max' }), (cells) => {
        const byCell = createColumnProfiler('c');
        for (const c of cells) byCell.add(c);
        // the cell that overflows the column: the first of the value after the tracked ones
        const firsts = [...new Set(cells.filter((c) => c !== ''))];
        const overflowValue = firsts[MAX_TRACKED_VALUES];
        const overflowAt = overflowValue === undefined ? cells.length : cells.indexOf(overflowValue);
        const counts = new Map<string, { count: number; tracked: number }>();
        for (const [i, c] of cells.entries()) {
          const entry = counts.get(c) ?? { count: 0, tracked: 0 };
          entry.count++;
          if (i < overflowAt) entry.tracked++;
          counts.set(c, entry);
        }
        const byValue = createColumnProfiler('c');
        for (const [value, { count, tracked }] of counts) byValue.addCounted(value, count, tracked);
        expect(byValue.state).toEqual(byCell.state);
      }),
      { numRuns: 40, seed: 24 },
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
      { numRuns: 200 },
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
