/**
 * `preflight workflow waits` on the public logs kept in the repository, with no column options:
 * each is read with the columns `workflow discover` would choose and split by cause, exit 0, the
 * causes adding up to the waiting of every activity. A log without start times or resources says
 * what the split cannot tell (contention and prioritization need busy time).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { runCli } from '../cliTestKit.ts';
import { EXIT_OK } from '../command.ts';

const SIMOD = path.resolve(import.meta.dirname, '../../../tests/fixtures/logs/simod');

interface PublicLog {
  description: string;
  file: string;
  cases: number;
  /** start and complete times are read, so busy time is known */
  timed: boolean;
}

const LOGS: PublicLog[] = [
  {
    description: 'eventdataR patients (start and complete rows)',
    file: externalFixture('eventdataR-patients', 'patients.csv'),
    cases: 500,
    timed: true,
  },
  {
    description: 'pm4py running example, CSV (completions only)',
    file: externalFixture('pm4py-running-example', 'running-example.csv'),
    cases: 6,
    timed: false,
  },
  {
    description: 'pm4py running example, XES (completions only)',
    file: externalFixture('pm4py-running-example', 'running-example.xes'),
    cases: 6,
    timed: false,
  },
  ...[
    ['Simod, planted batching', 'Simple_log_with_batching.csv', 1000],
    ['Simod, planted prioritisation', 'Simple_log_with_prioritization.csv', 100],
    ['Simod, insurance claims (train)', 'Insurance_Claims_train.csv', 1000],
    ['Simod, insurance claims (test)', 'Insurance_Claims_test.csv', 1000],
    ['Simod, loan applications (gzipped)', 'LoanApp_simplified.csv.gz', 500],
  ].map(([description, name, cases]) => ({
    description: description as string,
    file: path.join(SIMOD, name as string),
    cases: cases as number,
    timed: true,
  })),
];

interface WaitsJson {
  activities: Array<{
    activity: string;
    waitingHours: number;
    cases: number;
    causes: Record<string, number>;
    shares: Record<string, number>;
  }>;
  timed: boolean;
}

describe('preflight workflow waits on the public logs, with no flags', () => {
  it.each(LOGS.map((log) => [log.description, log] as const))('%s', async (_name, log) => {
    const { code, out, err } = await runCli(
      ['workflow', 'waits', log.file, '--json'],
      path.dirname(log.file),
    );
    expect(code, err).toBe(EXIT_OK);
    expect(err).toContain(`${log.cases} cases`);
    const result = JSON.parse(out) as WaitsJson;
    expect(result.timed).toBe(log.timed);
    if (!log.timed) expect(err).toContain('No activity has both a start and a complete time');
    expect(result.activities.length).toBeGreaterThan(0);
    expect(result.activities.some((a) => a.waitingHours > 0)).toBe(true);
    for (const a of result.activities) {
      const sum = Object.values(a.causes).reduce((x, y) => x + y, 0);
      // each figure is rounded to 4 decimals in the JSON
      expect(Math.abs(sum - a.waitingHours), a.activity).toBeLessThan(1e-3);
      if (!log.timed) expect((a.causes.contention ?? 0) + (a.causes.prioritization ?? 0)).toBe(0);
      if (a.waitingHours > 0) {
        const shares = Object.values(a.shares).reduce((x, y) => x + y, 0);
        expect(Math.abs(shares - 1), a.activity).toBeLessThan(1e-3);
      }
    }
  });
});
