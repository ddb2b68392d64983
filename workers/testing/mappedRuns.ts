/**
 * Test kit of the validator worker's tests of mapped CSVs (validateMapped.test.ts: FHIR targets,
 * validateMappedSchema.test.ts: target JSON Schemas): a run through the worker's API as the page
 * runs it (workers/validateRun.ts), and the checks both make of its
 * outcome, so "the failing rows for the drill-down" and "the demo's documented counts" mean one
 * thing for both targets. Not shipped.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { CsvLayout } from '../../src/core/csv/index.ts';
import { groupPositions, type IssueRowGroup } from '../../src/core/validation/index.ts';
import type { Mapping } from '../../src/formats/mapping.ts';
import type { Report, ReportIssue } from '../../src/formats/report.ts';
import { issueHeads, issueLines } from '../../tests/fixtures/issueLines.ts';
import { createValidateApi, type ValidateInputSpec, type ValidateOutcome } from '../validateApi.ts';
import { runValidation } from '../validateRun.ts';

/** The repository's samples/ folder. */
export const SAMPLES = path.resolve(import.meta.dirname, '../../samples');

/** A finished run (its outcome was ok). */
type ValidatedRun = Extract<ValidateOutcome, { ok: true }>;

/** Validates one input through a fresh worker API, its layout sniffed, as the page's pool runs it. */
export async function validateThroughApi(
  input: Omit<ValidateInputSpec, 'layout' | 'keys'> & { keys?: ValidateInputSpec['keys'] },
): Promise<ValidateOutcome> {
  const api = createValidateApi();
  const sniffed = await api.sniff(input.file, input.name);
  if (!sniffed.ok) throw new Error(sniffed.problem.message);
  const { detected: _detected, ...layout } = sniffed.layout;
  let n = 0;
  return runValidation(
    { inputs: [{ keys: [], ...input, layout: layout as CsvLayout }], links: [], toolVersion: 'test' },
    {
      filesAtOnce: 1,
      runFile: (task, onProgress) => api.validateFile(`file-${n++}`, task, onProgress),
    },
  );
}

/** A JSON file of samples/ (a mapping or a target schema), parsed. */
export function readSampleJson<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(path.join(SAMPLES, relative), 'utf8')) as T;
}

/** A table case's CSV, named extract.csv, through `mapping`: a run that must succeed. */
export async function validateCase(
  csv: string,
  mapping: NonNullable<ValidateInputSpec['mapping']>,
): Promise<ValidatedRun> {
  return validated(await validateThroughApi({ file: new Blob([csv]), name: 'extract.csv', mapping }));
}

/**
 * A table case's report: its summary and issue lines as the core and the CLI give them, the
 * mapping (id and version) cited, and one failing-row entry per invalid record.
 */
export function expectCaseReport(
  outcome: ValidatedRun,
  expected: { summary: Report['summary']; issues: string[]; mapping: Mapping },
): void {
  expect(outcome.report.summary).toEqual(expected.summary);
  expect(issueLines(outcome.report)).toEqual(expected.issues);
  expect(outcome.report.mapping).toEqual({ id: expected.mapping.id, version: expected.mapping.version });
  expect(outcome.failing[0]?.count).toBe(expected.summary.invalid);
}

/** The outcome of a run that must succeed (else the test fails with the problem's words). */
export function validated(outcome: ValidateOutcome): ValidatedRun {
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return outcome;
}

/**
 * Each of `issues` lists its failing rows for the drill-down's filter: its group in the failing
 * index holds the rows of its examples, first examples first.
 */
export function expectIssueRowsListed(outcome: ValidatedRun, issues: readonly ReportIssue[]): void {
  const failing = outcome.failing[0];
  for (const issue of issues) {
    const group = failing?.issues.find((g) => g.rule === issue.rule && g.location === issue.location);
    const rows = [...groupPositions(group as IssueRowGroup)].map((p) => failing?.rows[p]);
    const examples = issue.examples.flatMap((e) => (e.row === undefined ? [] : [e.row]));
    expect(rows.slice(0, examples.length), `${issue.rule} ${issue.location}`).toEqual(examples);
  }
}

/** What samples/README.md documents of a demo run (patients.csv through a sample mapping). */
interface DemoExpectation {
  summary: Report['summary'];
  /** `severity rule @ location ×count` of each issue, in the report's order (issueHeads) */
  issues: string[];
  target: Report['target'];
  /** a row that must be among the failing rows */
  failingRow: number;
}

/**
 * The demo extract through a sample mapping: the documented counts and issues,
 * the mapping's key (mrn) as a record key (its 12 duplicate pairs), the target, and the failing
 * rows the drill-down reads.
 */
export async function expectDemoRun(
  mapping: ValidateInputSpec['mapping'],
  expected: DemoExpectation,
): Promise<void> {
  const outcome = validated(
    await validateThroughApi({
      file: new Blob([readFileSync(path.join(SAMPLES, 'legacy/patients.csv'))]),
      name: 'patients.csv',
      ...(mapping ? { mapping } : {}),
    }),
  );
  expect(outcome.report.summary).toEqual(expected.summary);
  expect(issueHeads(outcome.report)).toEqual(expected.issues);
  expect(outcome.report.crossFile.duplicateKeys.map((d) => [d.column, d.count])).toEqual(
    Array(12).fill(['mrn', 2]),
  );
  expect(outcome.report.target).toEqual(expected.target);
  expect(outcome.failing[0]?.count).toBe(expected.summary.invalid);
  expect([...(outcome.failing[0]?.rows ?? [])]).toContain(expected.failingRow);
}
