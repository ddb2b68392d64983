/**
 * Waivers limited to rows on FHIR files: the run counts, per problem a waiver names (its rule at
 * its location, or naming its extension URL), the occurrences in the waiver's input and rows —
 * an NDJSON record's row is its line, a whole JSON file (a Bundle too) is row 1 — so the waiver
 * accepts exactly those, as for CSV files: all inside, accepted; some, the problem is split and the
 * occurrences outside still fail.
 */
import { describe, expect, it } from 'vitest';
import { loadReport } from '../../formats/report.ts';
import type { Waiver } from '../../formats/waivers.ts';
import { applyWaivers, failingErrors, fhirRowSetWaivers } from '../validation/index.ts';
import { generatedModules } from './generatedModules.ts';
import { createFhirRun } from './run.ts';
import { createFhirSession } from './validator.ts';

const TODAY = '2026-11-24';
const SHOE = 'http://clinic.test/fhir/ext/shoe-size';

/** A patient with an unknown extension and a gender no value set allows: two errors. */
const patient = (n: number) =>
  JSON.stringify({
    resourceType: 'Patient',
    id: `p${n}`,
    gender: 'x',
    extension: [{ url: SHOE, valueString: 'x' }],
  });

const ndjson = (lines: number) => `${Array.from({ length: lines }, (_, i) => patient(i + 1)).join('\n')}\n`;

const bundle = JSON.stringify({
  resourceType: 'Bundle',
  type: 'collection',
  entry: [1, 2, 3].map((n) => ({ resource: JSON.parse(patient(n)) })),
});

const waiver = (fields: Partial<Waiver>): Waiver => ({
  id: 'w-shoe',
  rule: 'fhir-unknown-extension',
  extension: SHOE,
  rationale: 'the target loads the clinic’s own extensions',
  owner: 'Dana Whitfield',
  expires: '2099-12-31',
  ...fields,
});

async function* chunks(text: string): AsyncIterable<string> {
  yield text;
}

const table: {
  name: string;
  files: { name: string; text: string }[];
  waivers: Waiver[];
  rule: string;
  /** per waiver in order: the occurrences the run counted inside its rows */
  within: [string, number][];
  /** the problem's parts after the waivers: count, accepted by */
  parts: [number, string | undefined][];
  /** waivers' outside counts */
  outside: (number | undefined)[];
}[] = [
  {
    name: 'extension URL, lines 1-25 of 40: split, 15 still fail',
    files: [{ name: 'patients.ndjson', text: ndjson(40) }],
    waivers: [waiver({ rows: [{ from: 1, to: 25 }] })],
    rule: 'fhir-unknown-extension',
    within: [['w-shoe', 25]],
    parts: [
      [25, 'w-shoe'],
      [15, undefined],
    ],
    outside: [15],
  },
  {
    name: 'extension URL, every line inside: accepted whole',
    files: [{ name: 'patients.ndjson', text: ndjson(40) }],
    waivers: [waiver({ rows: [{ from: 1, to: 100 }] })],
    rule: 'fhir-unknown-extension',
    within: [['w-shoe', 40]],
    parts: [[40, 'w-shoe']],
    outside: [undefined],
  },
  {
    name: 'extension URL, no line inside: nothing accepted, all counted outside',
    files: [{ name: 'patients.ndjson', text: ndjson(40) }],
    waivers: [waiver({ rows: [{ from: 100, to: 200 }] })],
    rule: 'fhir-unknown-extension',
    within: [['w-shoe', 0]],
    parts: [[40, undefined]],
    outside: [40],
  },
  {
    name: 'a location: the gender of lines 1-10',
    files: [{ name: 'patients.ndjson', text: ndjson(40) }],
    waivers: [
      waiver({
        id: 'w-gender',
        rule: 'fhir-value-not-allowed',
        extension: undefined,
        column: 'Patient.gender',
        rows: [{ from: 1, to: 10 }],
      }),
    ],
    rule: 'fhir-value-not-allowed',
    within: [['w-gender', 10]],
    parts: [
      [10, 'w-gender'],
      [30, undefined],
    ],
    outside: [30],
  },
  {
    name: 'two files, no input named: the lines 1-5 of each',
    files: [
      { name: 'a.ndjson', text: ndjson(10) },
      { name: 'b.ndjson', text: ndjson(10) },
    ],
    waivers: [waiver({ rows: [{ from: 1, to: 5 }] })],
    rule: 'fhir-unknown-extension',
    within: [['w-shoe', 10]],
    parts: [
      [10, 'w-shoe'],
      [10, undefined],
    ],
    outside: [10],
  },
  {
    name: 'a waiver for each of two files: each file’s lines under its own waiver',
    files: [
      { name: 'p.ndjson', text: ndjson(30) },
      { name: 'q.ndjson', text: ndjson(3) },
    ],
    waivers: [
      waiver({ id: 'w-p', input: 'p.ndjson', rows: [{ from: 1, to: 30 }] }),
      waiver({ id: 'w-q', input: 'q.ndjson', rows: [{ from: 1, to: 3 }] }),
    ],
    rule: 'fhir-unknown-extension',
    within: [
      ['w-p', 30],
      ['w-q', 3],
    ],
    parts: [
      [30, 'w-p'],
      [3, 'w-q'],
    ],
    outside: [undefined, undefined],
  },
  {
    name: 'a waiver of lines 1-5 of one of two files: those accepted, the rest still fail',
    files: [
      { name: 'a.ndjson', text: ndjson(10) },
      { name: 'b.ndjson', text: ndjson(10) },
    ],
    waivers: [waiver({ input: 'b.ndjson', rows: [{ from: 1, to: 5 }] })],
    rule: 'fhir-unknown-extension',
    within: [['w-shoe', 5]],
    parts: [
      [5, 'w-shoe'],
      [15, undefined],
    ],
    outside: [15],
  },
  {
    name: 'two waivers on one URL: each line under the first that holds it',
    files: [{ name: 'patients.ndjson', text: ndjson(40) }],
    waivers: [
      waiver({ rows: [{ from: 1, to: 20 }] }),
      waiver({ id: 'w-shoe-2', rows: [{ from: 11, to: 30 }] }),
    ],
    rule: 'fhir-unknown-extension',
    within: [
      ['w-shoe', 20],
      ['w-shoe-2', 10],
    ],
    parts: [
      [20, 'w-shoe'],
      [10, 'w-shoe-2'],
      [10, undefined],
    ],
    outside: [10, 10],
  },
  {
    name: 'a Bundle is row 1: rows 1-1 of a waiver naming it hold all its entries',
    files: [{ name: 'bundle.json', text: bundle }],
    waivers: [waiver({ input: 'bundle.json', rows: [{ from: 1, to: 1 }] })],
    rule: 'fhir-unknown-extension',
    within: [['w-shoe', 3]],
    parts: [[3, 'w-shoe']],
    outside: [undefined],
  },
  {
    name: 'a Bundle and rows 1-1 of a waiver naming no file: none of its entries',
    files: [{ name: 'bundle.json', text: bundle }],
    waivers: [waiver({ rows: [{ from: 1, to: 1 }] })],
    rule: 'fhir-unknown-extension',
    within: [['w-shoe', 0]],
    parts: [[3, undefined]],
    outside: [3],
  },
  {
    name: 'lines 1-20 of any file, with a Bundle in the run: the NDJSON lines only',
    files: [
      { name: 'patients.ndjson', text: ndjson(30) },
      { name: 'bundle.json', text: bundle },
    ],
    waivers: [waiver({ rows: [{ from: 1, to: 20 }] })],
    rule: 'fhir-unknown-extension',
    within: [['w-shoe', 20]],
    parts: [
      [20, 'w-shoe'],
      [13, undefined],
    ],
    outside: [13],
  },
  {
    name: 'a Bundle and rows that do not hold row 1: none',
    files: [{ name: 'bundle.json', text: bundle }],
    waivers: [waiver({ rows: [{ from: 2, to: 9 }] })],
    rule: 'fhir-unknown-extension',
    within: [['w-shoe', 0]],
    parts: [[3, undefined]],
    outside: [3],
  },
  {
    name: 'an expired waiver is not counted',
    files: [{ name: 'patients.ndjson', text: ndjson(40) }],
    waivers: [waiver({ rows: [{ from: 1, to: 25 }], expires: '2020-01-01' })],
    rule: 'fhir-unknown-extension',
    within: [],
    parts: [[40, undefined]],
    outside: [undefined],
  },
];

describe('a FHIR run counts the occurrences inside each row-set waiver', () => {
  it.each(table)('$name', async ({ files, waivers, rule, within, parts, outside }) => {
    const session = await createFhirSession(generatedModules, {});
    const run = createFhirRun(session, { rowSets: fhirRowSetWaivers(waivers, TODAY) });
    for (const file of files)
      if (file.name.endsWith('.ndjson')) await run.addNdjson(file.name, chunks(file.text));
      else await run.addJson(file.name, file.text);
    const report = run.report({
      startedAt: `${TODAY}T10:00:00Z`,
      generatedAt: `${TODAY}T10:00:01Z`,
      totalMs: 1,
      version: 'test',
    });
    const issue = report.issues.find((i) => i.rule === rule);
    expect(issue?.withinRows?.map((w) => [w.waiver, w.count]) ?? []).toEqual(within);
    // the other problem is named by no waiver: nothing counted on it
    for (const other of report.issues.filter((i) => i.rule !== rule))
      expect(other.withinRows).toBeUndefined();
    const applied = applyWaivers(report, waivers, TODAY);
    expect(loadReport(JSON.parse(JSON.stringify(applied))).ok).toBe(true);
    expect(applied.issues.filter((i) => i.rule === rule).map((i) => [i.count, i.acceptedBy])).toEqual(parts);
    expect(applied.waivers?.map((w) => w.outside)).toEqual(outside);
    const accepted = parts.reduce((n, [count, by]) => n + (by ? count : 0), 0);
    expect(failingErrors(applied)).toBe(report.summary.errors - accepted);
  });
});

describe('waivers limited to rows by the tens of thousands', () => {
  it('count each line under its own waiver in linear time', async () => {
    // one waiver a line: lines 1..20,000, of which the file has 40 (each scanned every waiver before)
    const waivers = Array.from({ length: 20_000 }, (_, i) =>
      waiver({ id: `w${i + 1}`, rows: [{ from: i + 1, to: i + 1 }] }),
    );
    const session = await createFhirSession(generatedModules, {});
    const started = performance.now();
    const run = createFhirRun(session, { rowSets: fhirRowSetWaivers(waivers, TODAY) });
    await run.addNdjson('patients.ndjson', chunks(ndjson(40)));
    const report = run.report({
      startedAt: `${TODAY}T10:00:00Z`,
      generatedAt: `${TODAY}T10:00:01Z`,
      totalMs: 1,
      version: 'test',
    });
    const counts = report.issues.find((i) => i.rule === 'fhir-unknown-extension')?.withinRows ?? [];
    expect(counts).toHaveLength(20_000);
    expect(counts.slice(0, 41).map((w) => w.count)).toEqual([...Array(40).fill(1), 0]);
    expect(failingErrors(applyWaivers(report, waivers, TODAY))).toBe(report.summary.errors - 40);
    // generous for a loaded CI machine: the scan it replaces grew with lines × waivers
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('look up the waivers naming each new problem, not every waiver of its rule', async () => {
    // 50 lines, each with an extension URL of its own (50 problems); 10,000 waivers of that rule,
    // the first 50 naming one problem each. Each waiver's rule, column and extension are counted
    // as read: a scan per new problem reads them problems × waivers times.
    const LINES = 50;
    const reads = { n: 0 };
    const url = (i: number) => `http://clinic.test/fhir/ext/legacy-${i}`;
    const waivers = Array.from({ length: 10_000 }, (_, i) => {
      const out = waiver({ id: `w${i}`, extension: url(i), rows: [{ from: i + 1, to: i + 1 }] });
      for (const key of ['rule', 'extension'] as const) {
        const value = out[key];
        Object.defineProperty(out, key, {
          enumerable: true,
          get: () => {
            reads.n++;
            return value;
          },
        });
      }
      return out;
    });
    const lines = Array.from({ length: LINES }, (_, i) =>
      JSON.stringify({
        resourceType: 'Patient',
        id: `p${i}`,
        extension: [{ url: url(i), valueString: 'x' }],
      }),
    );
    const session = await createFhirSession(generatedModules, {});
    const run = createFhirRun(session, { rowSets: fhirRowSetWaivers(waivers, TODAY) });
    await run.addNdjson('patients.ndjson', chunks(`${lines.join('\n')}\n`));
    expect(reads.n).toBeLessThan(4 * waivers.length);
    const report = run.report({
      startedAt: `${TODAY}T10:00:00Z`,
      generatedAt: `${TODAY}T10:00:01Z`,
      totalMs: 1,
      version: 'test',
    });
    const unknown = report.issues.filter((i) => i.rule === 'fhir-unknown-extension');
    expect(unknown).toHaveLength(LINES);
    // each problem counted inside the rows of the one waiver naming it
    expect(unknown.every((i) => i.withinRows?.length === 1 && i.withinRows[0]?.count === 1)).toBe(true);
    expect(failingErrors(applyWaivers(report, waivers, TODAY))).toBe(report.summary.errors - LINES);
  });
});

describe('a waiver limited to rows judged on the examples (recorded after the run)', () => {
  it.each([
    { name: 'names no file: row 1 of a Bundle is not in its rows', input: undefined, accepted: false },
    { name: 'names the Bundle: its row 1 is', input: 'bundle.json', accepted: true },
  ])('$name', async ({ input, accepted }) => {
    const session = await createFhirSession(generatedModules, {});
    const run = createFhirRun(session, {});
    await run.addJson('bundle.json', bundle);
    const report = run.report({
      startedAt: `${TODAY}T10:00:00Z`,
      generatedAt: `${TODAY}T10:00:01Z`,
      totalMs: 1,
      version: 'test',
    });
    const w = waiver({ rows: [{ from: 1, to: 1 }], ...(input === undefined ? {} : { input }) });
    const applied = applyWaivers(report, [w], TODAY);
    const issue = applied.issues.find((i) => i.rule === 'fhir-unknown-extension');
    expect(issue?.count).toBe(3);
    expect(issue?.acceptedBy).toBe(accepted ? 'w-shoe' : undefined);
  });
});
