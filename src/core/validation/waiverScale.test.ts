/**
 * Waivers at scale: 20,000 waivers limited to rows on one column cost a fraction of a second
 * (they cost the square of their number before: 20,000 took 20 s, 200,000 hours), the index
 * that finds the first waiver holding a row answers as a scan of every waiver would, and a stop
 * while they are indexed ends the index at its next step, not at its end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureReport } from '../../formats/testing/fixtures.ts';
import type { RowRange, Waiver } from '../../formats/waivers.ts';
import { JobCancelledError } from '../jobs/errors.ts';
import { APPLY_STEP, applyWaivers, applyWaiversInSteps, failingErrors, rowSetWatches } from './index.ts';
import {
  createIssueTally,
  firstHoldingList,
  indexRowSets,
  inRows,
  ROW_SET_INDEX_STEP,
} from './issueTally.ts';
import { rehearsalText } from './rehearsalRun.ts';
import { reportCsv, reportHtml } from './reportExports.ts';
import { summaryText } from './reportText.ts';

const WAIVERS = 20_000;

function waiver(i: number, rows: RowRange[]): Waiver {
  return {
    id: `w${i}`,
    rule: 'contract.pattern',
    column: 'mrn',
    rows,
    rationale: 'legacy numbers kept until the merge',
    owner: 'Data lead',
    expires: '2099-12-31',
  };
}

describe('waivers limited to rows, by the tens of thousands', () => {
  it('are counted in the pass and applied in linear time', () => {
    // every waiver on the same rule and column, one row each: rows 3.. (rows 1 and 2 fail outside)
    const waivers = Array.from({ length: WAIVERS }, (_, i) => waiver(i, [{ from: i + 3, to: i + 3 }]));
    const started = performance.now();
    const tally = createIssueTally(rowSetWatches(waivers, 'patients.csv', '2026-11-25'));
    for (const row of [1, 2, 3, WAIVERS + 2]) tally.add('contract.pattern', 'error', 'mrn', { row }, {});
    const [entry] = tally.entries();
    expect(entry?.withinRows).toHaveLength(WAIVERS);
    expect(entry?.withinRows?.[0]?.count).toBe(1);
    expect(entry?.withinRows?.[WAIVERS - 1]?.count).toBe(1);
    const { withinRows, ...group } = entry as NonNullable<typeof entry>;
    const report = applyWaivers(
      {
        ...fixtureReport(),
        inputs: [{ name: 'patients.csv', kind: 'csv', records: WAIVERS + 2, valid: WAIVERS - 2 }],
        summary: { records: WAIVERS + 2, valid: WAIVERS - 2, invalid: 4, errors: 4, warnings: 0 },
        crossFile: { duplicateKeys: [], orphanReferences: [] },
        issues: [
          {
            ...group,
            examples: group.examples.map((e) => ({ row: e.row as number })),
            withinRows: (withinRows ?? []).map((w) => ({ ...w, rows: [...w.rows] })),
          },
        ],
      },
      waivers,
      '2026-11-25',
    );
    // rows 3 and WAIVERS + 2 accepted by their waivers; rows 1 and 2 still fail
    expect(failingErrors(report)).toBe(2);
    expect(report.issues.filter((i) => i.acceptedBy !== undefined).map((i) => i.acceptedBy)).toEqual([
      'w0',
      `w${WAIVERS - 1}`,
    ]);
    // generous for a loaded CI machine: the quadratic cost it replaces took minutes here
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('the first list holding a row is the one a scan of every list finds', () => {
    const ranges = fc
      .array(
        fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 15 })).map(([from, length]) => ({
          from,
          to: from + length,
        })),
        { maxLength: 3 },
      )
      .map((list): RowRange[] => list);
    fc.assert(
      fc.asyncProperty(fc.array(ranges, { maxLength: 12 }), async (lists) => {
        const first = firstHoldingList(lists);
        // the same index built in steps of one range, with a pause between any two
        const watches = lists.map((rows, i) => ({ waiver: `w${i}`, rule: 'r', location: 'c', rows }));
        const stepped = (await indexRowSets(watches, { step: 1, pause: async () => {} })).get('r\u0000c');
        for (let row = 0; row <= 80; row++) {
          const scan = lists.findIndex((list) => inRows(row, list));
          expect(first(row)).toBe(scan);
          if (lists.length > 0) expect(stepped?.(row)).toBe(scan);
        }
      }),
      { seed: 20261125, numRuns: 100 },
    );
  });

  it('a stop while 40,000 waivers are indexed ends the index at its next step', async () => {
    const watches = rowSetWatches(
      Array.from({ length: 40_000 }, (_, i) => waiver(i, [{ from: i + 3, to: i + 3 }])),
      'patients.csv',
      '2026-11-25',
    );
    const stop = new AbortController();
    // the gate: the index waits at its second pause until the test lets it go
    let pauses = 0;
    let reached: () => void = () => {};
    let release: () => void = () => {};
    const atGate = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const indexing = indexRowSets(watches, {
      signal: stop.signal,
      pause: () => {
        pauses++;
        if (pauses !== 2) return Promise.resolve();
        reached();
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    // (a read that never reaches the gate ends the wait too, and fails below)
    await Promise.race([atGate, indexing.catch(() => undefined)]);
    // mid-index: two steps of ROW_SET_INDEX_STEP ranges done, several to go
    expect(watches.length / ROW_SET_INDEX_STEP).toBeGreaterThan(8);
    stop.abort();
    release();
    await expect(indexing).rejects.toBeInstanceOf(JobCancelledError);
    // no step ran after the stop: the one in progress was the last
    expect(pauses).toBe(2);
  });
});

/**
 * A waiver whose rule, column, extension, input and id count how often they are read: a step that
 * looks each waiver up through the index reads each a few times whatever the number of problems;
 * one that scans every waiver per problem reads them problems × waivers times.
 */
function countedWaiver(fields: Waiver, reads: { n: number }): Waiver {
  const out = { ...fields };
  for (const key of ['rule', 'column', 'extension', 'input', 'id'] as const) {
    if (!(key in fields)) continue;
    const value = fields[key];
    Object.defineProperty(out, key, {
      enumerable: true,
      get: () => {
        reads.n++;
        return value;
      },
    });
  }
  return out;
}

describe('waivers by the tens of thousands applied to a report and written out', () => {
  // the reads are counted, not timed: 10,000 show the cost's shape as 200,000 would (the timings
  // of 200,000 are `npm run bench -- waivers`)
  const WAIVER_COUNT = 10_000;
  const PROBLEMS = 1_000;
  const EXT = 'http://example.org/fhir/StructureDefinition/legacy-';

  it('look each waiver up a few times, not once per problem', () => {
    const reads = { n: 0 };
    // half at columns (the first few name problems, with their folded messages), half at extension URLs
    const waivers = Array.from({ length: WAIVER_COUNT }, (_, i) =>
      countedWaiver(
        {
          id: `w${i}`,
          rule: i % 2 === 0 ? 'contract.pattern' : 'fhir-unknown-extension',
          ...(i % 2 === 0 ? { column: `c${i}` } : { extension: `${EXT}${i}` }),
          ...(i % 4 === 0 ? { input: 'a.csv' } : {}),
          rationale: 'legacy values kept until the merge',
          owner: 'Data lead',
          expires: i % 10 === 9 ? '2020-01-01' : '2099-12-31',
        },
        reads,
      ),
    );
    const issues = Array.from({ length: PROBLEMS }, (_, j) => {
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
        // a folded message of another column, named by a waiver of its own
        ...(byColumn
          ? {
              derived: [
                {
                  rule: 'contract.pattern',
                  severity: 'error' as const,
                  code: 'pattern',
                  location: `c${2 * j + 2}`,
                  message: 'follows',
                  count: 1,
                },
              ],
            }
          : {}),
      };
    });
    const base = {
      ...fixtureReport(),
      inputs: [
        { name: 'a.csv', kind: 'csv' as const, records: 10_000, valid: 5_000 },
        { name: 'b.csv', kind: 'csv' as const, records: 10_000, valid: 5_000 },
      ],
      summary: { records: 20_000, valid: 10_000, invalid: 10_000, errors: 7_000, warnings: 0 },
      crossFile: { duplicateKeys: [], orphanReferences: [] },
      issues,
    };
    const bound = 8 * WAIVER_COUNT;

    const report = applyWaivers(base, waivers, '2026-11-25');
    expect(reads.n).toBeLessThan(bound);
    // the waivers did their work: expired ones accept nothing, the others their problem
    const accepted = report.issues.filter((i) => i.acceptedBy !== undefined).length;
    expect(accepted).toBeGreaterThan(PROBLEMS / 2);
    expect(accepted).toBeLessThan(PROBLEMS);

    // each writer and summary: a few reads of each waiver at most, whatever the number of problems
    const writers: [string, () => unknown][] = [
      ['failing errors', () => failingErrors(report)],
      ['the run text', () => rehearsalText(report)],
      ['the summary', () => summaryText(report)],
      ['the CSV', () => reportCsv(report)],
      ['the printable page', () => reportHtml(report)],
      ['the JSON', () => JSON.stringify(report)],
    ];
    for (const [what, write] of writers) {
      reads.n = 0;
      write();
      expect({ what, few: reads.n < bound }).toEqual({ what, few: true });
    }
  });
});

describe('waivers applied in steps', () => {
  const rowWaivers = (n: number) =>
    Array.from({ length: n }, (_, i) => waiver(i, [{ from: i + 3, to: i + 3 }]));
  const reportOf = (waivers: Waiver[]) => ({
    ...fixtureReport(),
    inputs: [{ name: 'k.csv', kind: 'csv' as const, records: 2, valid: 0 }],
    summary: { records: 2, valid: 0, invalid: 2, errors: 2, warnings: 0 },
    crossFile: { duplicateKeys: [], orphanReferences: [] },
    issues: [
      {
        rule: 'contract.pattern',
        severity: 'error' as const,
        code: 'pattern',
        location: 'mrn',
        message: 'does not match',
        count: 2,
        examples: [{ row: 1 }, { row: 2 }],
        withinRows: waivers.map((w) => ({ waiver: w.id, count: 0, rows: w.rows ?? [] })),
      },
    ],
  });

  it('make the report the one step makes', async () => {
    const waivers = rowWaivers(3_000);
    const report = reportOf(waivers);
    const stepped = await applyWaiversInSteps(report, waivers, '2026-11-25', {
      step: 7,
      pause: async () => {},
    });
    expect(stepped).toEqual(applyWaivers(report, waivers, '2026-11-25'));
  });

  it('a stop while 40,000 waivers are applied ends the application at its next step', async () => {
    const waivers = rowWaivers(40_000);
    const stop = new AbortController();
    // the gate: the application waits at its second pause until the test lets it go
    let pauses = 0;
    let reached: () => void = () => {};
    let release: () => void = () => {};
    const atGate = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const applying = applyWaiversInSteps(reportOf(waivers), waivers, '2026-11-25', {
      signal: stop.signal,
      pause: () => {
        pauses++;
        if (pauses !== 2) return Promise.resolve();
        reached();
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    await Promise.race([atGate, applying.catch(() => undefined)]);
    // mid-way: two steps of APPLY_STEP done, several to go (the list, its index, the problem's)
    expect((3 * waivers.length) / APPLY_STEP).toBeGreaterThan(8);
    stop.abort();
    release();
    await expect(applying).rejects.toBeInstanceOf(JobCancelledError);
    expect(pauses).toBe(2);
  });
});
