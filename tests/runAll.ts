/**
 * `npm test`: runs every suite — lint, typecheck, unit, end-to-end — even when an earlier one
 * fails, then prints one closing line that counts every suite that was meant to run. The CLI is
 * built before the unit suite and the app before the end-to-end suite; a build counts only when
 * it fails.
 *
 * Lint and typecheck count as one check each. The vitest suites count their tests from the JSON
 * report each writes; a suite with no report, a suite that counted no test, and a suite that
 * exited non-zero without a failed test (a file that failed to load, an error outside a test) are
 * failures named in the output, so the closing line can never hide a suite that did not run.
 *
 * Reports go to `$PREFLIGHT_TEST_RESULTS` when set (CI keeps them), else to a fresh temp folder;
 * `summary.json` there holds the per-step lines and totals, which `.ci/run` prints again last.
 *
 * A step whose processes use no CPU for five minutes (`$PREFLIGHT_STALL_SECONDS`) has hung, as no
 * test or hook waits that long: it is ended and counted as a failure that names the files it
 * started and did not finish (tests/stepWatch.ts), so a hang never holds the run until CI's limit.
 *
 * Every run also measures what each test file costs: `test-files.tsv` there holds every file's
 * wall and CPU seconds (tests/fileTable.ts), and the 20 that took the most CPU are printed near
 * the end under the machine's processor, its load and a calibration figure (the CPU seconds of a
 * fixed piece of work, tests/calibration.ts), so figures from two machines can be compared. The
 * budget in tests/budget.json is checked on that table (tests/budget.ts): a file or a suite over
 * it fails the run like a failed test.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensurePrerequisites } from '../.ci/prerequisites.mjs';
import { checkBudget, parseBudget, scaleFactor } from './budget.ts';
import { COMPARABLE_FRESH_MEMORY_SECONDS_PER_GB, calibrate, freshMemorySecondsPerGb } from './calibration.ts';
import { FILE_PROGRESS_ENV } from './fileProgressReporter.ts';
import { loadAverage, machineName, readRows, topByCpu, tsvOf } from './fileTable.ts';
import { FILE_CPU_LINES } from './procCpu.ts';
import { outcomeOf, type StepOutcome, type VitestReport } from './runOutcome.ts';
import { runScheduled, type ScheduledStep } from './runSchedule.ts';
import { runStep, stallLimitFromEnv, stallLine } from './stepWatch.ts';
import { CALIBRATION_ENV } from './waits.ts';

/** semver's range check (the package has no types of its own). */
const { satisfies } = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
};

/**
 * One step of the suite. A `report` step is a vitest run that writes `vitest-<report>.json`; a
 * `build` step counts only when it fails. `after`: start order only; `needs`: the steps whose
 * output it tests, without which it is not run (tests/runSchedule.ts).
 */
interface Step extends ScheduledStep {
  command: string[];
  report?: string;
  build?: true;
}

/**
 * The steps, started as soon as what each needs has ended, so the two cores are never left idle
 * while work waits: the end-to-end suite spends about a third of its time waiting on pages,
 * workers and servers, and the unit suite, lint and the typecheck fill that time. All share the
 * cores alike: a suite's bounds (30 s a wait or a test) are far from what any of its steps needs
 * on a machine twice as busy as when it runs alone.
 */
const STEPS: Step[] = [
  // The CLI as `npm run build` ships it: every test that starts `preflight` as a process then runs
  // the bundle instead of transpiling the sources through tsx at each start. A failed build
  // leaves no stamp, so those tests run the sources and the failure is still counted.
  { name: 'CLI build', command: ['node', 'src/cli/buildCli.mjs'], build: true },
  { name: 'lint', command: ['npx', 'biome', 'check', '.'] },
  // One checker thread: the other steps keep both cores busy, and parallel checkers each build
  // their own type cache, so on a busy machine they cost about twice the CPU for no earlier end
  { name: 'typecheck', command: ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit', '--singleThreaded'] },
  // the app as `npm start` builds it, for the end-to-end suite; no unit test reads it
  { name: 'build', command: ['npx', 'vite', 'build', '--logLevel', 'warn'], build: true },
  // after the CLI bundle, so its tests run it; run even when that build failed (they run the sources)
  { name: 'unit', command: ['npx', 'vitest', 'run'], report: 'unit', after: ['CLI build'] },
  // tests the production build: nothing to test when it failed
  {
    name: 'e2e',
    command: ['npx', 'vitest', 'run', '--config', 'tests/e2e/vitest.config.ts'],
    report: 'e2e',
    needs: ['build'],
  },
];

/**
 * CPU seconds used so far by this process's finished children (and theirs), from /proc: the
 * difference around a step is that step's CPU. Undefined where /proc is not there.
 */
function childrenCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    // after the command name: field 14 (cutime) and 15 (cstime) of stat(5), counted from 1 at pid
    const ticks = Number(fields[13]) + Number(fields[14]);
    return ticks / clockTicksPerSecond();
  } catch {
    return undefined;
  }
}
let ticksPerSecond: number | undefined;
function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/** Wall and CPU seconds of a step (or steps run side by side) that began at `start`. */
function timing(start: { wall: number; cpu: number | undefined }): { wall: number; cpu: number | undefined } {
  const cpuNow = childrenCpuSeconds();
  return {
    wall: (performance.now() - start.wall) / 1000,
    cpu: cpuNow !== undefined && start.cpu !== undefined ? cpuNow - start.cpu : undefined,
  };
}
const timingText = ({ wall, cpu }: { wall: number; cpu: number | undefined }) =>
  `wall ${wall.toFixed(1)} s${cpu !== undefined ? `, CPU ${cpu.toFixed(1)} s` : ''}`;

/** How many files the printed table shows. */
const TOP = 20;

/**
 * The per-file table: written whole to `test-files.tsv`, its top {@link TOP} by CPU printed under
 * the machine's name, load and calibration (and kept in `test-files-top.txt` for `.ci/run` to
 * print again last); then the budget checked on it. Returns the budget's outcome lines.
 */
function fileTable(
  out: string,
  machine: { name: string; loadAtStart: string; calibration: number; freshMemory: number },
  allCpu: number | undefined,
): StepOutcome[] {
  const suites = STEPS.flatMap((s) => (s.report ? [s.report] : []));
  const rows = readRows(out, suites, FILE_CPU_LINES, process.cwd());
  writeFileSync(join(out, 'test-files.tsv'), tsvOf(rows));
  // the steps overlap, so only the whole run's CPU is known: each suite's files are named against it
  const counted = suites.map((suite) => {
    const files = rows.filter((r) => r.suite === suite);
    const cpu = files.reduce((sum, r) => sum + (r.cpu ?? 0), 0);
    return `${suite}: ${files.length} files, ${cpu.toFixed(1)} CPU-s in the files${allCpu !== undefined ? ` of all steps' ${allCpu.toFixed(1)}` : ''}`;
  });
  const text = [
    `== test files: the ${TOP} that took the most CPU (all of them: ${join(out, 'test-files.tsv')})`,
    `machine: ${machine.name}; load ${machine.loadAtStart} at start, ${loadAverage()} at end`,
    `calibration: ${machine.calibration.toFixed(2)} CPU-s for the fixed work of tests/calibration.ts (lower is a faster machine); fresh memory ${machine.freshMemory.toFixed(2)} CPU-s a GB`,
    ...counted,
    "not in any file's CPU: the vitest main process (transforms, reporters, the e2e preview server), a worker's start-up, and processes that leave the worker's tree (PostgreSQL once pg_ctl detaches it)",
    ...topByCpu(rows, TOP),
  ];
  const budgetText = existsSync(BUDGET) ? readFileSync(BUDGET, 'utf8') : undefined;
  const budget = budgetText === undefined ? `${BUDGET} is missing` : parseBudget(budgetText);
  const outcomes: StepOutcome[] = [];
  if (typeof budget === 'string') {
    outcomes.push({ passed: 0, failed: 1, skipped: 0, line: `budget: NOT CHECKED (${budget})` });
  } else if (machine.freshMemory > COMPARABLE_FRESH_MEMORY_SECONDS_PER_GB) {
    // said, never passed: the figures stay in the table, but another machine's budget cannot judge them
    const line = `budget: NOT CHECKED - fresh memory costs ${machine.freshMemory.toFixed(2)} CPU-s a GB on this machine (comparable machines: under ${COMPARABLE_FRESH_MEMORY_SECONDS_PER_GB}), so the suites' CPU grows with their memory and cannot be held to ${BUDGET}; the figures are in test-files.tsv`;
    text.push(line);
    outcomes.push({ passed: 0, failed: 0, skipped: 0, line });
  } else {
    const verdict = checkBudget(rows, budget, machine.calibration);
    const scale = `× ${scaleFactor(budget, machine.calibration).toFixed(2)} (reference calibration ${budget.reference.calibrationSeconds} s; never scaled up)`;
    text.push(`budget (${BUDGET}, CPU-s scaled to its reference machine ${scale}):`, ...verdict.totals);
    for (const line of verdict.failures) outcomes.push({ passed: 0, failed: 1, skipped: 0, line });
    for (const line of verdict.warnings) outcomes.push({ passed: 0, failed: 0, skipped: 0, line });
    if (verdict.failures.length === 0)
      outcomes.push({
        passed: 1,
        failed: 0,
        skipped: 0,
        line: `budget: passed (${verdict.totals.join('; ').replaceAll('budget: ', '')})`,
      });
  }
  writeFileSync(join(out, 'test-files-top.txt'), `${text.join('\n')}\n`);
  console.log(`\n${text.join('\n')}`);
  return outcomes;
}

/** The budget `npm test` enforces on the per-file table. */
const BUDGET = 'tests/budget.json';

const now = () => ({ wall: performance.now(), cpu: childrenCpuSeconds() });

async function run(): Promise<number> {
  // Chromium, PostgreSQL, nginx and pdftotext before minutes of lint, typecheck and unit tests: installed
  // here where this is root with apt-get (as .ci/run does), else a stop naming the command
  if (ensurePrerequisites() !== 0) return 1;
  // the suites are proven on the Node that package.json asks for, never on an older one quietly
  const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines
    .node;
  if (!satisfies(process.versions.node, engines)) {
    console.error(
      `npm test: this is Node ${process.versions.node}; Preflight needs ${engines}. Run \`. .ci/node.sh\` in this shell first (README).`,
    );
    return 1;
  }
  const out = resolve(process.env.PREFLIGHT_TEST_RESULTS ?? mkdtempSync(join(tmpdir(), 'preflight-test-')));
  mkdirSync(out, { recursive: true });
  const outcomes: StepOutcome[] = [];
  const times: string[] = [];
  // the machine, before any suite loads it: the calibration is CPU seconds, so load moves it less
  const machine = {
    name: machineName(),
    loadAtStart: loadAverage(),
    calibration: calibrate().seconds,
    freshMemory: freshMemorySecondsPerGb(),
  };
  // the suites scale their waits and hooks' bounds by the same figure as the budget (tests/waits.ts)
  const env = { ...process.env, PREFLIGHT_TEST_RESULTS: out, [CALIBRATION_ENV]: String(machine.calibration) };
  console.log(
    `== machine: ${machine.name}; load ${machine.loadAtStart}; calibration ${machine.calibration.toFixed(2)} CPU-s; fresh memory ${machine.freshMemory.toFixed(2)} CPU-s a GB`,
  );
  rmSync(join(out, FILE_CPU_LINES), { force: true });
  /** each step's outcome, by name: the summary lists them in the order of STEPS, whatever ended first */
  const stepOutcomes = new Map<string, StepOutcome>();
  const settle = (step: Step, exitCode: number) => {
    const reportFile = step.report ? join(out, `vitest-${step.report}.json`) : undefined;
    if (step.build) {
      if (exitCode !== 0)
        stepOutcomes.set(step.name, {
          passed: 0,
          failed: 1,
          skipped: 0,
          line: `${step.name}: FAILED (exit ${exitCode})`,
        });
      return;
    }
    const report =
      reportFile && existsSync(reportFile)
        ? (JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport)
        : undefined;
    stepOutcomes.set(step.name, outcomeOf(step, exitCode, report));
  };
  for (const step of STEPS) if (step.report) rmSync(join(out, `vitest-${step.report}.json`), { force: true });
  // a step whose processes use no CPU this long has hung: it is ended and named (tests/stepWatch.ts)
  const stallLimit = stallLimitFromEnv();
  const runStart = now();
  const ends = await runScheduled(STEPS, async (step) => {
    const from = (performance.now() - runStart.wall) / 1000;
    // a vitest step lists its files as they start and finish, to name the ones a stall left
    const progressFile = step.report ? join(out, `progress-${step.report}.txt`) : undefined;
    if (progressFile) rmSync(progressFile, { force: true });
    const { code, output, stall } = await runStep(
      step.command,
      progressFile ? { ...env, [FILE_PROGRESS_ENV]: progressFile } : env,
      { limitSeconds: stallLimit, progressFile },
    );
    const wall = (performance.now() - runStart.wall) / 1000 - from;
    console.log(`\n== ${step.name}: ${step.command.join(' ')}`);
    process.stdout.write(output);
    times.push(`${step.name}: from ${from.toFixed(1)} s, wall ${wall.toFixed(1)} s`);
    if (stall) {
      const line = stallLine(step.name, stall);
      console.log(`\n${line}`);
      stepOutcomes.set(step.name, { passed: 0, failed: 1, skipped: 0, line });
    } else settle(step, code);
    return code;
  });
  for (const [name, end] of ends)
    if ('notRun' in end)
      stepOutcomes.set(name, {
        passed: 0,
        failed: 1,
        skipped: 0,
        line: `${name}: NOT RUN (it needs ${end.failedNeed}, which failed)`,
      });
  for (const step of STEPS) {
    const outcome = stepOutcomes.get(step.name);
    if (outcome) outcomes.push(outcome);
  }
  const took = timing(runStart);
  times.push(`all steps: ${timingText(took)}`);
  try {
    outcomes.push(...fileTable(out, machine, took.cpu));
  } catch (e) {
    outcomes.push({ passed: 0, failed: 1, skipped: 0, line: `per-file table and budget: FAILED (${e})` });
  }
  console.log('\n== time');
  for (const line of times) console.log(line);
  const total = outcomes.reduce(
    (sum, o) => ({
      passed: sum.passed + o.passed,
      failed: sum.failed + o.failed,
      skipped: sum.skipped + o.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  console.log('\n== summary');
  for (const o of outcomes) console.log(o.line);
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  writeFileSync(
    join(out, 'summary.json'),
    `${JSON.stringify({ ...total, lines: outcomes.map((o) => o.line) }, null, 2)}\n`,
  );
  return total.failed > 0 ? 1 : 0;
}

process.exit(await run());
