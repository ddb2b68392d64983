/**
 * The CPU budget `npm test` enforces (tests/budget.ts) and the per-file table it reads
 * (tests/fileTable.ts, tests/setup/fileCpu.ts): pure functions on made-up rows, milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { type Budget, checkBudget, parseBudget } from '../budget.ts';
import { cpuByFileOf, type FileRow, rowsOf, tsvOf } from '../fileTable.ts';
import { parseStat, threadAndChildrenCpuSeconds, treeTicks } from '../procCpu.ts';

const budget: Budget = {
  reference: { calibrationSeconds: 2 },
  suites: {
    unit: {
      fileLimit: 30,
      total: 100,
      exceptions: [{ file: 'src/big.test.ts', cpu: 60, reason: 'runs every migration' }],
    },
    e2e: { fileLimit: 40, total: 200, exceptions: [] },
  },
};
const unit = (file: string, cpu: number | undefined): FileRow => ({
  suite: 'unit',
  file,
  wall: 1,
  cpu,
  tests: 1,
});
const e2e = (file: string, cpu: number): FileRow => ({ suite: 'e2e', file, wall: 1, cpu, tests: 1 });

const cases: {
  description: string;
  rows: FileRow[];
  calibration?: number;
  failures: string[];
  warnings?: string[];
}[] = [
  {
    description: 'files under their limits pass',
    rows: [unit('src/a.test.ts', 29), unit('src/big.test.ts', 45), e2e('tests/e2e/a.spec.ts', 39)],
    failures: [],
  },
  {
    description: 'an over-budget file fails, naming the file, its CPU, its limit and what to do',
    rows: [unit('src/a.test.ts', 31), unit('src/big.test.ts', 45)],
    failures: [
      'src/a.test.ts took 31.0 CPU-s (31.0 measured here), over the unit limit of 30.0 per file: make it cheaper, or list it',
    ],
  },
  {
    description: 'a listed exception passes up to its number, and fails over it',
    rows: [unit('src/big.test.ts', 59), e2e('tests/e2e/a.spec.ts', 41)],
    failures: ['tests/e2e/a.spec.ts took 41.0'],
  },
  {
    description: 'a listed exception over its own number fails',
    rows: [unit('src/big.test.ts', 61)],
    failures: [
      'src/big.test.ts took 61.0 CPU-s (61.0 measured here), over the 60.0 tests/budget.json allows it',
    ],
  },
  {
    description: 'total over budget fails, though every file is under its limit',
    rows: [
      unit('src/a.test.ts', 29),
      unit('src/b.test.ts', 29),
      unit('src/c.test.ts', 29),
      unit('src/big.test.ts', 29),
    ],
    failures: ['unit files took 116.0 CPU-s in all (normalised), budget 100.0: OVER BUDGET'],
    warnings: ['src/big.test.ts took 29.0'],
  },
  {
    description: 'normalisation by calibration: a machine twice as slow may measure twice the CPU',
    rows: [unit('src/a.test.ts', 58), unit('src/big.test.ts', 110)],
    calibration: 4,
    failures: [],
  },
  {
    description: 'a quicker calibration than the reference scales nothing up',
    rows: [unit('src/a.test.ts', 16), unit('src/big.test.ts', 45)],
    calibration: 1,
    failures: [],
  },
  {
    description: 'on a quicker machine a figure is judged as measured',
    rows: [unit('src/a.test.ts', 31), unit('src/big.test.ts', 25)],
    calibration: 1,
    failures: ['src/a.test.ts took 31.0 CPU-s (31.0 measured here)'],
  },
  {
    description: 'an exception no longer needed, and one whose file is gone, are warnings',
    rows: [unit('src/a.test.ts', 1)],
    failures: [],
    warnings: ['src/big.test.ts is listed in tests/budget.json but did not run in unit: gone or renamed?'],
  },
  {
    description: 'an exception far under the limit is said to be unneeded',
    rows: [unit('src/big.test.ts', 10)],
    failures: [],
    warnings: ['its exception in tests/budget.json is no longer needed'],
  },
  {
    description: 'a suite whose files have no CPU figure at all was not checked: a failure',
    rows: [unit('src/a.test.ts', undefined), unit('src/big.test.ts', undefined)],
    failures: ['budget: unit: NOT CHECKED'],
  },
  {
    description: 'a suite that did not run is not judged',
    rows: [],
    failures: [],
  },
];

describe('the CPU budget', () => {
  it.each(cases)('$description', ({ rows, calibration, failures, warnings }) => {
    const verdict = checkBudget(rows, budget, calibration ?? 2);
    expect(verdict.failures).toHaveLength(failures.length);
    for (const [i, text] of failures.entries()) expect(verdict.failures[i]).toContain(text);
    for (const text of warnings ?? []) expect(verdict.warnings.join('\n')).toContain(text);
    if (!warnings && failures.length === 0) expect(verdict.warnings).toEqual([]);
  });

  it('refuses a budget with an exception that gives no reason', () => {
    const text = JSON.stringify({
      ...budget,
      suites: { unit: { ...budget.suites.unit, exceptions: [{ file: 'a', cpu: 50, reason: ' ' }] } },
    });
    expect(parseBudget(text)).toMatch(/each needs file, cpu and a reason/);
    expect(parseBudget(JSON.stringify(budget))).toEqual(budget);
  });
});

describe('the per-file table', () => {
  it('joins the report with the CPU lines; a file with no line has no CPU figure', () => {
    const cpu = cpuByFileOf(
      `${JSON.stringify({ file: '/r/src/a.test.ts', cpu: 1.5, pid: 9 })}\n{"file":"/r/src/a.test.ts","cpu":0.5,"pid":9}\n{"file":"/r/cut`,
    );
    const rows = rowsOf(
      'unit',
      {
        testResults: [
          { name: '/r/src/a.test.ts', startTime: 1_000, endTime: 3_500, assertionResults: [1, 2] },
          { name: '/r/src/b.test.ts', startTime: 0, endTime: 100 },
        ],
      },
      cpu,
      '/r',
    );
    expect(rows).toEqual([
      { suite: 'unit', file: 'src/a.test.ts', wall: 2.5, cpu: 2, tests: 2 },
      { suite: 'unit', file: 'src/b.test.ts', wall: 0.1, cpu: undefined, tests: 0 },
    ]);
    expect(tsvOf(rows).split('\n')).toEqual([
      'suite\tfile\twall s\tCPU s\ttests',
      'unit\tsrc/a.test.ts\t2.5\t2.0\t2',
      'unit\tsrc/b.test.ts\t0.1\t\t0',
      '',
    ]);
  });

  it("sums a process tree's CPU from /proc stat lines, a name with ') ' in it included", () => {
    // pid (comm) state ppid … utime stime cutime cstime: fields 14–17
    const stat = (pid: number, comm: string, ppid: number, ticks: number[]) =>
      parseStat(pid, `${pid} (${comm}) S ${ppid} 0 0 0 0 0 0 0 0 0 ${ticks.join(' ')} 20 0`);
    const list = [
      stat(1, 'init', 0, [500, 500, 0, 0]),
      stat(10, 'node (worker) x', 1, [100, 20, 30, 5]),
      stat(11, 'chromium', 10, [50, 10, 0, 0]),
      stat(12, 'renderer', 11, [40, 0, 0, 0]),
      stat(20, 'other', 1, [70, 0, 0, 0]),
    ].filter((p) => p !== undefined);
    expect(treeTicks(list, 10)).toBe(100 + 20 + 30 + 5 + 60 + 40);
    // a process's own time, apart from its reaped children's: what a worker thread's file leaves
    // to its thread when the process is shared
    expect(list.find((p) => p.pid === 10)?.own).toBe(120);
  });

  it("reads the calling thread's CPU and the children's, and a busy loop here moves it", () => {
    // work on this thread until the reading has moved by five ticks: a reading that never sees
    // this thread's work would spin until the test's time-out
    const before = threadAndChildrenCpuSeconds() as number;
    let spun = 0;
    while ((threadAndChildrenCpuSeconds() as number) - before < 0.05) {
      for (let i = 0; i < 100_000; i++) spun += i % 7;
    }
    expect(spun).toBeGreaterThan(0);
  });
});
