/**
 * `preflight workflow waits`: the split by cause from a log on disk with no column options (the
 * columns `workflow discover` would choose), as JSON and as a table whose names from the log
 * cannot act on a terminal, and a clear exit 2 for a log it cannot read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cliTestKit.ts';
import { EXIT_OK, EXIT_USAGE } from '../command.ts';

const SIMOD = path.resolve(import.meta.dirname, '../../../tests/fixtures/logs/simod');
const dir = mkdtempSync(path.join(tmpdir(), 'preflight-waits-'));

describe('preflight workflow waits', () => {
  it('--json: Simod’s planted batching, found with no column options', async () => {
    const { code, out, err } = await runCli(
      ['workflow', 'waits', path.join(SIMOD, 'Simple_log_with_batching.csv'), '--json'],
      dir,
    );
    expect(code).toBe(EXIT_OK);
    expect(err).toContain('"start_timestamp"');
    const result = JSON.parse(out) as {
      activities: Array<{
        activity: string;
        waitingHours: number;
        causes: Record<string, number>;
        batchGap: { minutes: number; basis: string; gaps: number };
      }>;
      batchGapUndecided: { activities: number; instances: number };
    };
    const [first] = result.activities;
    expect(first?.activity).toBe('Short-branch');
    expect(Object.keys(first?.causes ?? {})).toEqual([
      'batching',
      'prioritization',
      'contention',
      'unavailability',
      'extraneous',
    ]);
    expect((first?.causes.batching ?? 0) / (first?.waitingHours ?? 1)).toBeGreaterThan(0.92);
    // batch mates start as the previous one ends: no pauses to find, so the floor
    expect(first?.batchGap).toEqual({ minutes: 1, basis: 'no-pauses', gaps: 167 });
    expect(result.batchGapUndecided).toEqual({ activities: 0, instances: 0 });
  });

  it('the table shows names from the log escaped, one line each', async () => {
    const rows = ['case,activity,start,end,resource'];
    for (let c = 0; c < 6; c++) {
      const t = Date.UTC(2026, 0, 5, 8 + c);
      const at = (minutes: number) => new Date(t + minutes * 60_000).toISOString();
      rows.push(`c${c},Register,${at(0)},${at(5)},Clerk`);
      rows.push(`c${c},"Review\u001b[31m\nnow",${at(30 + c * 10)},${at(40 + c * 10)},"Dr \u202eLee"`);
    }
    const log = path.join(dir, 'hostile.csv');
    writeFileSync(log, `${rows.join('\n')}\n`);
    const { code, out } = await runCli(['workflow', 'waits', log], dir);
    expect(code).toBe(EXIT_OK);
    expect(out).toContain('Review\\u{1b}[31m\\u{a}now');
    expect(out).toContain('Dr \\u{202e}Lee');
    expect(out).not.toContain('\u001b');
    expect(out).toMatch(/Activity\s+Waiting h\/case\s+Batching\s+Priority\s+Busy\s+Off hours\s+Other/);
    // six reviews by one person: too few gaps to find the pause between batches, and it says so
    expect(out).toContain('too few cases by one person to find the pause between batches (5 gaps)');
    expect(out).toMatch(/ {2}1 activity \(6 instances\): too few cases by one person to find the pause/);
  });

  it('a log it cannot read: exit 2, saying which file and why', async () => {
    const { code, err } = await runCli(['workflow', 'waits', path.join(dir, 'missing.csv')], dir);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('missing.csv');
  });
});
