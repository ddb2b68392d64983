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
 * Every run also measures what each test file costs: `test-files.tsv` there holds every file's
 * wall and CPU seconds (tests/fileTable.ts), and the 20 that took the most CPU are printed near
 * the end under the machine's processor, its load and a calibration figure (the CPU seconds of a
 * fixed piece of work, tests/calibration.ts), so figures from two machines can be compared. The
 * budget in tests/budget.json is checked on that table (tests/budget.ts): a file or a suite over
 * it fails the run like a failed test.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkBudget, parseBudget, scaleFactor } from './budget.ts';
import { calibrate } from './calibration.ts';
import { loadAverage, machineName, readRows, topByCpu, tsvOf } from './fileTable.ts';
import { FILE_CPU_LINES } from './procCpu.ts';
import { outcomeOf, type StepOutcome, type VitestReport } from './runOutcome.ts';

/**
 * One step of the suite. A `report` step is a vitest run that writes `vitest-<report>.json`; a
 * `build` step counts only when it fails.
 */
interface Step {
  name: string;
  command: string[];
  report?: string;
  build?: true;
  /** runs at the same time as the steps next to it that are also `together` (output kept in order) */
  together?: true;
}

const STEPS: Step[] = [
  // The CLI as `npm run build` ships it: every test that starts `preflight` as a process then runs
  // the bundle instead of transpiling the sources through tsx at each start. A failed build
  // leaves no stamp, so those tests run the sources and the failure is still counted. First and
  // alone, so no unit file starts before the bundle is there.
  { name: 'CLI build', command: ['node', 'src/cli/buildCli.mjs'], build: true },
  // The checks and the app's build beside the unit suite: the suite leaves about a tenth of the
  // two cores idle (files waiting on the main thread's transforms, on servers and processes they
  // started), which lint, the typecheck and the build fill instead of running before it.
  { name: 'lint', command: ['npx', 'biome', 'check', '.'], together: true },
  { name: 'typecheck', command: ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit'], together: true },
  // the app as `npm start` builds it, for the end-to-end suite; no unit test reads it
  { name: 'build', command: ['npx', 'vite', 'build', '--logLevel', 'warn'], build: true, together: true },
  { name: 'unit', command: ['npx', 'vitest', 'run'], report: 'unit', together: true },
  {
    name: 'e2e',
    command: ['npx', 'vitest', 'run', '--config', 'tests/e2e/vitest.config.ts'],
    report: 'e2e',
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
  machine: { name: string; loadAtStart: string; calibration: number },
  stepCpu: ReadonlyMap<string, number | undefined>,
): StepOutcome[] {
  const suites = STEPS.flatMap((s) => (s.report ? [s.report] : []));
  const rows = readRows(out, suites, FILE_CPU_LINES, process.cwd());
  writeFileSync(join(out, 'test-files.tsv'), tsvOf(rows));
  const counted = suites.map((suite) => {
    const files = rows.filter((r) => r.suite === suite);
    const cpu = files.reduce((sum, r) => sum + (r.cpu ?? 0), 0);
    const step = STEPS.find((s) => s.report === suite);
    // a step run beside others is counted with them: the figure names the whole group
    const group = [...stepCpu.keys()].find((names) => step && names.split(' + ').includes(step.name));
    const whole = group !== undefined ? stepCpu.get(group) : undefined;
    const of = group?.includes(' + ') ? `of ${group}'s` : "of the step's";
    return `${suite}: ${files.length} files, ${cpu.toFixed(1)} CPU-s in the files${whole !== undefined ? ` ${of} ${whole.toFixed(1)}` : ''}`;
  });
  const text = [
    `== test files: the ${TOP} that took the most CPU (all of them: ${join(out, 'test-files.tsv')})`,
    `machine: ${machine.name}; load ${machine.loadAtStart} at start, ${loadAverage()} at end`,
    `calibration: ${machine.calibration.toFixed(2)} CPU-s for the fixed work of tests/calibration.ts (lower is a faster machine)`,
    ...counted,
    "not in any file's CPU: the vitest main process (transforms, reporters, the e2e preview server), a worker's start-up, and processes that leave the worker's tree (PostgreSQL once pg_ctl detaches it)",
    ...topByCpu(rows, TOP),
  ];
  const budgetText = existsSync(BUDGET) ? readFileSync(BUDGET, 'utf8') : undefined;
  const budget = budgetText === undefined ? `${BUDGET} is missing` : parseBudget(budgetText);
  const outcomes: StepOutcome[] = [];
  if (typeof budget === 'string') {
    outcomes.push({ passed: 0, failed: 1, skipped: 0, line: `budget: NOT CHECKED (${budget})` });
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

/** Runs steps side by side, each one's output kept and printed whole, in order, when all end. */
async function runTogether(steps: Step[], env: NodeJS.ProcessEnv): Promise<number[]> {
  const runs = steps.map(
    (step) =>
      new Promise<{ code: number; output: string }>((done) => {
        const child = spawn(step.command[0] as string, step.command.slice(1), {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const chunks: Buffer[] = [];
        child.stdout.on('data', (c: Buffer) => chunks.push(c));
        child.stderr.on('data', (c: Buffer) => chunks.push(c));
        child.on('error', (e) => done({ code: 1, output: `${e.message}\n` }));
        child.on('close', (code) =>
          done({ code: code ?? 1, output: Buffer.concat(chunks).toString('utf8') }),
        );
      }),
  );
  const results = await Promise.all(runs);
  results.forEach((result, i) => {
    console.log(`\n== ${steps[i]?.name}: ${steps[i]?.command.join(' ')}`);
    process.stdout.write(result.output);
  });
  return results.map((r) => r.code);
}

async function run(): Promise<number> {
  const out = resolve(process.env.PREFLIGHT_TEST_RESULTS ?? mkdtempSync(join(tmpdir(), 'preflight-test-')));
  mkdirSync(out, { recursive: true });
  const env = { ...process.env, PREFLIGHT_TEST_RESULTS: out };
  const outcomes: StepOutcome[] = [];
  const times: string[] = [];
  const stepCpu = new Map<string, number | undefined>();
  // the machine, before any suite loads it: the calibration is CPU seconds, so load moves it less
  const machine = { name: machineName(), loadAtStart: loadAverage(), calibration: calibrate().seconds };
  console.log(
    `== machine: ${machine.name}; load ${machine.loadAtStart}; calibration ${machine.calibration.toFixed(2)} CPU-s`,
  );
  rmSync(join(out, FILE_CPU_LINES), { force: true });
  let buildFailed = false;
  const settle = (step: Step, exitCode: number) => {
    const reportFile = step.report ? join(out, `vitest-${step.report}.json`) : undefined;
    if (step.build) {
      if (step.name === 'build') buildFailed = exitCode !== 0;
      if (exitCode !== 0)
        outcomes.push({ passed: 0, failed: 1, skipped: 0, line: `${step.name}: FAILED (exit ${exitCode})` });
      return;
    }
    const report =
      reportFile && existsSync(reportFile)
        ? (JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport)
        : undefined;
    outcomes.push(outcomeOf(step, exitCode, report));
  };
  for (let i = 0; i < STEPS.length; ) {
    const step = STEPS[i] as Step;
    const group = [step];
    while (step.together && STEPS[i + group.length]?.together) group.push(STEPS[i + group.length] as Step);
    i += group.length;
    for (const s of group) if (s.report) rmSync(join(out, `vitest-${s.report}.json`), { force: true });
    if (step.name === 'e2e' && buildFailed) {
      outcomes.push({ passed: 0, failed: 1, skipped: 0, line: 'e2e: NOT RUN (the production build failed)' });
      continue;
    }
    const start = now();
    let codes: number[];
    if (group.length > 1) codes = await runTogether(group, env);
    else {
      console.log(`\n== ${step.name}: ${step.command.join(' ')}`);
      codes = [
        spawnSync(step.command[0] as string, step.command.slice(1), { stdio: 'inherit', env }).status ?? 1,
      ];
    }
    const took = timing(start);
    stepCpu.set(group.map((s) => s.name).join(' + '), took.cpu);
    times.push(`${group.map((s) => s.name).join(' + ')}: ${timingText(took)}`);
    for (const [k, s] of group.entries()) settle(s, codes[k] ?? 1);
  }
  try {
    outcomes.push(...fileTable(out, machine, stepCpu));
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
