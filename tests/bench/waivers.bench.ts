/**
 * 200,000 waivers applied to a report and written out (`BENCH_WAIVERS`, default 200,000), in two
 * shapes: every waiver limited to one row of one column of a 2-row CSV (the shape of the attack
 * that once ran for hours), and half at columns, half at extension URLs, over 2,000 problems of two
 * files. Printed: the one-step application, the longest stretch between two looks at a stop when
 * applied in steps (what a SIGTERM or Cancel waits for at most), and each writer. Reference in the
 * same run: `JSON.stringify` of the waiver list alone.
 */
import {
  applyWaivers,
  applyWaiversInSteps,
  failingErrors,
  rehearsalText,
  reportCsv,
  reportHtml,
} from '../../src/core/validation/index.ts';
import type { Report } from '../../src/formats/report.ts';
import { fixtureReport } from '../../src/formats/testing/fixtures.ts';
import type { Waiver } from '../../src/formats/waivers.ts';
import { type BenchEntry, measure } from './bench.ts';

const DEFAULT_WAIVERS = 200_000;
const PROBLEMS = 2_000;
const TODAY = '2026-11-25';
const EXT = 'http://example.org/fhir/StructureDefinition/legacy-';

function rowShape(n: number): { report: Report; waivers: Waiver[] } {
  const waivers: Waiver[] = Array.from({ length: n }, (_, i) => ({
    id: `w${i}`,
    rule: 'contract.pattern',
    column: 'mrn',
    rows: [{ from: i + 10, to: i + 10 }],
    rationale: 'legacy numbers kept until the merge',
    owner: 'Data lead',
    expires: '2099-12-31',
  }));
  const report: Report = {
    ...fixtureReport(),
    inputs: [{ name: 'k.csv', kind: 'csv', records: 2, valid: 0 }],
    summary: { records: 2, valid: 0, invalid: 2, errors: 2, warnings: 0 },
    crossFile: { duplicateKeys: [], orphanReferences: [] },
    issues: [
      {
        rule: 'contract.pattern',
        severity: 'error',
        code: 'pattern',
        location: 'mrn',
        message: 'does not match',
        count: 2,
        examples: [{ row: 1 }, { row: 2 }],
        withinRows: waivers.map((w) => ({ waiver: w.id, count: 0, rows: w.rows ?? [] })),
      },
    ],
  };
  return { report, waivers };
}

function mixedShape(n: number): { report: Report; waivers: Waiver[] } {
  const waivers: Waiver[] = Array.from({ length: n }, (_, i) => ({
    id: `w${i}`,
    rule: i % 2 === 0 ? 'contract.pattern' : 'fhir-unknown-extension',
    ...(i % 2 === 0 ? { column: `c${i}` } : { extension: `${EXT}${i}` }),
    ...(i % 4 === 0 ? { input: 'a.csv' } : {}),
    rationale: 'legacy values kept until the merge',
    owner: 'Data lead',
    expires: i % 10 === 9 ? '2020-01-01' : '2099-12-31',
  }));
  const report: Report = {
    ...fixtureReport(),
    inputs: [
      { name: 'a.csv', kind: 'csv', records: 10_000, valid: 5_000 },
      { name: 'b.csv', kind: 'csv', records: 10_000, valid: 5_000 },
    ],
    summary: { records: 20_000, valid: 10_000, invalid: 10_000, errors: 7_000, warnings: 0 },
    crossFile: { duplicateKeys: [], orphanReferences: [] },
    issues: Array.from({ length: PROBLEMS }, (_, j) => {
      const byColumn = j % 2 === 0;
      const location = byColumn ? `c${2 * j}` : `${EXT}${2 * j + 1}`;
      return {
        rule: byColumn ? 'contract.pattern' : 'fhir-unknown-extension',
        severity: 'error' as const,
        code: 'pattern',
        location,
        message: byColumn ? 'does not match' : `unknown extension "${location}"`,
        count: 3,
        examples: [
          { input: 'a.csv', row: j + 1 },
          { input: j % 3 === 0 ? 'a.csv' : 'b.csv', row: j + 2 },
          { input: 'a.csv', row: j + 3 },
        ],
      };
    }),
  };
  return { report, waivers };
}

/** The longest stretch of work between two pauses of the application in steps. */
async function longestStep(report: Report, waivers: Waiver[]): Promise<number> {
  let longest = 0;
  let since = performance.now();
  await applyWaiversInSteps(report, waivers, TODAY, {
    pause: async () => {
      const now = performance.now();
      longest = Math.max(longest, now - since);
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    },
  });
  return Math.max(longest, performance.now() - since);
}

const ms = (n: number) => Math.round(n);

export const waiversBench: BenchEntry = {
  id: 'waivers',
  title: '200,000 waivers applied to a report and written out',
  async run() {
    const n = Number(process.env.BENCH_WAIVERS ?? DEFAULT_WAIVERS);
    const rows = [];
    for (const [shape, make] of [
      ['one row each, one column, 2-row CSV', rowShape],
      ['columns and URLs, 2,000 problems', mixedShape],
    ] as const) {
      const { report, waivers } = make(n);
      const reference = await measure(async () => JSON.stringify(waivers));
      const apply = await measure(async () => applyWaivers(report, waivers, TODAY));
      const longest = await longestStep(report, waivers);
      const applied = applyWaivers(report, waivers, TODAY);
      const writer = async (write: () => unknown) =>
        ms((await measure(async () => write(), { warmups: 0, repeats: 1 })).bestMs);
      rows.push({
        shape,
        'reference JSON of the list ms': ms(reference.medianMs),
        'apply ms': ms(apply.medianMs),
        'longest step ms': ms(longest),
        'failing errors ms': await writer(() => failingErrors(applied)),
        'run text ms': await writer(() => rehearsalText(applied)),
        'CSV ms': await writer(() => reportCsv(applied)),
        'page ms': await writer(() => reportHtml(applied)),
        'JSON ms': await writer(() => JSON.stringify(applied)),
      });
    }
    return {
      params: { waivers: n },
      columns: Object.keys(rows[0] ?? {}),
      rows,
    };
  },
};
