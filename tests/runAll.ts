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
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
}

const STEPS: Step[] = [
  { name: 'lint', command: ['npx', 'biome', 'check', '.'] },
  { name: 'typecheck', command: ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit'] },
  // The CLI as `npm run build` ships it: every test that starts `preflight` as a process then runs
  // the bundle instead of transpiling the sources through tsx at each start. A failed build
  // leaves no stamp, so those tests run the sources and the failure is still counted.
  { name: 'CLI build', command: ['node', 'src/cli/buildCli.mjs'], build: true },
  { name: 'unit', command: ['npx', 'vitest', 'run'], report: 'unit' },
  { name: 'build', command: ['npx', 'vite', 'build', '--logLevel', 'warn'], build: true },
  {
    name: 'e2e',
    command: ['npx', 'vitest', 'run', '--config', 'tests/e2e/vitest.config.ts'],
    report: 'e2e',
  },
];

function run(): number {
  const out = resolve(process.env.PREFLIGHT_TEST_RESULTS ?? mkdtempSync(join(tmpdir(), 'preflight-test-')));
  mkdirSync(out, { recursive: true });
  const env = { ...process.env, PREFLIGHT_TEST_RESULTS: out };
  const outcomes: StepOutcome[] = [];
  let buildFailed = false;
  for (const step of STEPS) {
    const reportFile = step.report ? join(out, `vitest-${step.report}.json`) : undefined;
    if (reportFile) rmSync(reportFile, { force: true });
    if (step.name === 'e2e' && buildFailed) {
      outcomes.push({ passed: 0, failed: 1, skipped: 0, line: 'e2e: NOT RUN (the production build failed)' });
      continue;
    }
    console.log(`\n== ${step.name}: ${step.command.join(' ')}`);
    const result = spawnSync(step.command[0] as string, step.command.slice(1), { stdio: 'inherit', env });
    const exitCode = result.status ?? 1;
    if (step.build) {
      if (step.name === 'build') buildFailed = exitCode !== 0;
      if (exitCode !== 0)
        outcomes.push({ passed: 0, failed: 1, skipped: 0, line: `${step.name}: FAILED (exit ${exitCode})` });
      continue;
    }
    const report =
      reportFile && existsSync(reportFile)
        ? (JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport)
        : undefined;
    outcomes.push(outcomeOf(step, exitCode, report));
  }
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

process.exit(run());
