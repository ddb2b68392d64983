/**
 * `preflight validate` (the default engine) and the Migration screen's run go through the one
 * core entry, `validationRun`: each adapter calls it once, its steps are taken in the order the
 * core gives, and a change planted in the entry shows in both reports. The entry is wrapped (not
 * replaced) through its own module, the one the core's surface re-exports, so an adapter that
 * ran the steps itself would not be seen calling it, and the planted change would miss its report.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/cliTestKit.ts';
import type { ValidationRunSteps, ValidationStep } from '../../src/core/validation/index.ts';
import { headerCheck, VALIDATION_STEPS } from '../../src/core/validation/index.ts';
import type { Report } from '../../src/formats/report.ts';
import { layoutOf } from '../../workers/testing/sniffedLayout.ts';
import { createValidateApi } from '../../workers/validateApi.ts';
import { runValidation } from '../../workers/validateRun.ts';

/** What the wrapped entry saw of one call, and the change planted in the next calls. */
const entry = vi.hoisted(() => ({
  calls: [] as ValidationStep[][],
  plant: undefined as ((steps: ValidationRunSteps) => ValidationRunSteps) | undefined,
}));

vi.mock('../../src/core/validation/validationRun.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/validation/validationRun.ts')>();
  return {
    ...real,
    validationRun: (given: ValidationRunSteps) => {
      const seen: ValidationStep[] = [];
      entry.calls.push(seen);
      const steps = entry.plant ? entry.plant(given) : given;
      return real.validationRun({
        ...steps,
        onStep: (step) => {
          seen.push(step);
          steps.onStep?.(step);
        },
      });
    },
  };
});

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONTRACT = path.join(ROOT, 'samples/contracts/patients.contract.json');
const SAMPLE = path.join(ROOT, 'samples/legacy/patients.csv');
/** The rules of a header that differs from its contract. */
const HEADER_RULES = new Set(['missing-label', 'extra-label', 'incorrect-label']);

let dir: string;
let csv: string;
let contract: Record<string, unknown>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-one-run-'));
  const lines = (await readFile(SAMPLE, 'utf8')).split(/\r?\n/);
  const header = (lines[0] ?? '').split(',');
  // the first column renamed: a header that does not fit its contract, its rows checked anyway
  csv = `${[['Id', ...header.slice(1)].join(','), ...lines.slice(1, 41)].join('\r\n')}\r\n`;
  await writeFile(path.join(dir, 'patients.csv'), csv);
  contract = JSON.parse(await readFile(CONTRACT, 'utf8')) as Record<string, unknown>;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `preflight validate patients.csv --schema … --continue-on-header-mismatch --json`. */
async function cliReport(): Promise<Report> {
  const run = await runCli(
    ['validate', 'patients.csv', '--schema', CONTRACT, '--continue-on-header-mismatch', '--json'],
    dir,
  );
  expect([0, 1], run.err).toContain(run.code);
  return JSON.parse(run.out) as Report;
}

/** The screen's run: the header compared on the page, the person chose to check the rows anyway. */
async function browserReport(): Promise<Report> {
  const api = createValidateApi();
  const file = new File([csv], 'patients.csv');
  const layout = await layoutOf(api, file, file.name);
  const doc = { id: 'patients', name: 'patients.contract.json', schema: contract };
  const comparison = headerCheck(
    { contract: doc.id, layout, header: csv.slice(0, csv.indexOf('\r')).split(',') },
    [doc],
  );
  expect(comparison).toBeDefined();
  const outcome = await runValidation(
    {
      inputs: [{ file, name: file.name, layout, keys: [], contract: doc }],
      links: [],
      toolVersion: '0.0.0-test',
      ...(comparison ? { headers: [{ input: file.name, comparison, rowsChecked: true }] } : {}),
    },
    { filesAtOnce: 1, runFile: (task, onProgress) => api.validateFile('one-run', task, onProgress) },
  );
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return outcome.report;
}

/** The header issues of a report, by rule and column. */
function headerIssues(report: Report): string[] {
  return report.issues.filter((i) => HEADER_RULES.has(i.rule)).map((i) => `${i.rule} ${i.location}`);
}

describe('the CLI and the screen run validation through the one core entry', () => {
  const table: {
    description: string;
    plant?: (steps: ValidationRunSteps) => ValidationRunSteps;
    /** the header issues are in both reports */
    headers: boolean;
  }[] = [
    { description: 'as written: the header differences are in both reports', headers: true },
    {
      description: 'a header step planted to find nothing: gone from both reports',
      plant: (steps) => ({ ...steps, headers: { decided: [] } }),
      headers: false,
    },
  ];
  it.each(table)('$description', async ({ plant, headers }) => {
    entry.plant = plant;
    entry.calls.length = 0;
    try {
      const cli = await cliReport();
      const browser = await browserReport();
      // each adapter called the entry once, which took every step in the core's order
      expect(entry.calls).toEqual([[...VALIDATION_STEPS], [...VALIDATION_STEPS]]);
      expect(headerIssues(cli).length > 0).toBe(headers);
      expect(headerIssues(browser)).toEqual(headerIssues(cli));
    } finally {
      entry.plant = undefined;
    }
  });
});
