/**
 * `preflight workflow waits` on the public logs kept in the repository, with no column options:
 * each is read with the columns `workflow discover` would choose and split by cause, exit 0, the
 * causes adding up to the waiting of every activity. A log without start times or resources says
 * what the split cannot tell (contention and prioritization need busy time).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { accountWords, type ReaderAccount } from '../../core/readerAccount/index.ts';
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
  account: ReaderAccount;
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
    // the reader's account: in the JSON, and the same lines in the reading report
    expect(result.account.reader).toBe(/\.xes$/.test(log.file) ? 'xes' : 'csv-log');
    expect(result.account.used.length).toBeGreaterThan(0);
    for (const line of accountWords(result.account)) expect(err).toContain(line);
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

describe('the reader account in the reading report', () => {
  it('names what the log holds and does not use, escaped, never its values', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'preflight-account-'));
    const file = path.join(dir, 'log.csv');
    // a column name with a terminal escape in it, and a value that must never be printed
    writeFileSync(
      file,
      [
        'case,activity,time,org:group,ward\u001b[31m',
        ...Array.from({ length: 6 }, (_, i) => `c${i},Triage,2025-01-0${i + 1}T08:00:00Z,Team A,SECRET-${i}`),
        ...Array.from({ length: 6 }, (_, i) => `c${i},Visit,2025-01-0${i + 1}T09:00:00Z,Team A,SECRET-${i}`),
      ].join('\n'),
    );
    const { code, out, err } = await runCli(['workflow', 'waits', file, '--json'], dir);
    expect(code, err).toBe(EXIT_OK);
    expect(err).toContain('Not used: column org:group');
    expect(err).toContain('lanes come from who did the work');
    expect(err).not.toContain('\u001b');
    expect(err).not.toContain('SECRET');
    const account = (JSON.parse(out) as WaitsJson).account;
    expect(account.lines.map((line) => line.name)).toEqual(['org:group', 'ward\u001b[31m']);
    expect(out).not.toContain('SECRET');
  });
});
