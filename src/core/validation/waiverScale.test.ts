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
import { applyWaivers, failingErrors, rowSetWatches } from './index.ts';
import {
  createIssueTally,
  firstHoldingList,
  indexRowSets,
  inRows,
  ROW_SET_INDEX_STEP,
} from './issueTally.ts';

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
