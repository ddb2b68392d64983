/**
 * Test kit of the `validate --mapping` CLI tests (FHIR targets and target schemas): the same runs
 * and the same report comparison serve both, so "identical with --workers 2" means one thing.
 * Test-only: imported by *.test.ts files, never by the CLI.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { issueLines } from '../../../tests/fixtures/mappedFhirCases.ts';
import { loadReport, type Report } from '../../formats/report.ts';
import { captureIo } from '../cliTestKit.ts';
import { main } from '../main.ts';
import { validateWorkerStats } from '../validateWorkers.ts';

/** Reads and loads (validates, migrates) a report file written in `dir`. */
export async function readReport(dir: string, file: string): Promise<Report> {
  const loaded = loadReport(JSON.parse(await readFile(path.join(dir, file), 'utf8')));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.value;
}

/**
 * Writes the first `rows` rows of `csv` (with its header) to each of `names` in `dir`: a slice of a
 * demo extract for the runs that compare paths (thread and worker) rather than the demo's counts.
 */
export async function writeSlice(csv: string, rows: number, dir: string, names: string[]): Promise<void> {
  const lines = (await readFile(csv, 'utf8')).split('\n');
  const slice = `${lines.slice(0, rows + 1).join('\n')}\n`;
  for (const name of names) await writeFile(path.join(dir, name), slice);
}

/** The report without what differs between runs (times); everything else must be identical. */
export function stable(text: string) {
  const report = JSON.parse(text) as Report;
  // top values of a column with more distinct values than are tracked depend on the order values
  // are met in (documented in columnProfile.ts)
  const profiles = report.profiles.map(({ top, ...p }) => (p.approximate ? p : { ...p, top }));
  return { ...report, profiles, generatedAt: '', startedAt: '', timings: {} };
}

/** Runs `argv` on one thread and with `--workers 2`: exit codes, stderr, stable reports, files validated in workers. */
export async function oneAndTwoWorkers(argv: string[], cwd: string) {
  const one = captureIo(cwd);
  const oneCode = await main([...argv, '--json'], one.io);
  const filesBefore = validateWorkerStats().files;
  const two = captureIo(cwd);
  const twoCode = await main([...argv, '--json', '--workers', '2'], two.io);
  return {
    codes: [oneCode, twoCode],
    errs: [one.err, two.err],
    reports: [stable(one.out.join('\n')), stable(two.out.join('\n'))],
    inWorkers: validateWorkerStats().files - filesBefore,
  };
}

/** Rule of the warning an extract of a header alone gets. */
const EMPTY_FILE_RULE = 'csv.no-records';

/**
 * Validates `csv` mapped by `mapping` (both written in `dir`) on this thread, then in a worker: as
 * the second of two files, the first the same header alone (no records, so nothing of its own but
 * one empty-file warning, taken out of the worker's report here, as the file each example names).
 * `flags` go to both runs.
 */
export async function threadThenWorker(dir: string, csv: string, mapping: unknown, flags: string[] = []) {
  await writeFile(path.join(dir, 'extract.csv'), csv);
  await writeFile(path.join(dir, 'head.csv'), `${csv.slice(0, csv.indexOf('\n'))}\n`);
  await writeFile(path.join(dir, 'm.json'), JSON.stringify(mapping));
  const thread = captureIo(dir);
  const code = await main(
    ['validate', 'extract.csv', '--mapping', 'm.json', '--report', 'r.json', ...flags],
    thread.io,
  );
  const filesBefore = validateWorkerStats().files;
  const worker = captureIo(dir);
  const workerCode = await main(
    [
      'validate',
      'head.csv',
      'extract.csv',
      '--mapping',
      'head.csv=m.json',
      '--mapping',
      'extract.csv=m.json',
      '--workers',
      '2',
      '--report',
      'w.json',
      ...flags,
    ],
    worker.io,
  );
  const both = await readReport(dir, 'w.json');
  const empty = both.issues.filter((i) => i.rule === EMPTY_FILE_RULE);
  return {
    codes: [code, workerCode],
    errs: [thread.err, worker.err],
    inWorkers: validateWorkerStats().files - filesBefore,
    /** the severities of the header-only file's own issues: one warning */
    headerOnly: empty.map((i) => i.severity),
    reports: [
      await readReport(dir, 'r.json'),
      {
        ...both,
        summary: { ...both.summary, warnings: both.summary.warnings - empty.length },
        // a report of several files names each example's file; one of a single file does not
        issues: both.issues
          .filter((i) => i.rule !== EMPTY_FILE_RULE)
          .map((i) => ({ ...i, examples: i.examples.map(({ input: _, ...e }) => e) })),
      },
    ] as const,
  };
}

/**
 * What a mapping case's two runs ({@link threadThenWorker}) must agree on: no error output, the
 * exit code of the expected summary, one file in a worker behind a header-only file, and each
 * report with the case's summary, issue lines and mapping. Gives back the two reports.
 */
export function expectBothRuns(
  run: Awaited<ReturnType<typeof threadThenWorker>>,
  expected: { summary: Report['summary']; issues: unknown; mapping: { id: string; version: unknown } },
): [Report, Report] {
  expect(run.errs).toEqual([[], []]);
  expect(run.codes).toEqual(Array(2).fill(expected.summary.errors > 0 ? 1 : 0));
  expect(run.inWorkers).toBe(1);
  expect(run.headerOnly).toEqual(['warning']);
  for (const report of run.reports) {
    expect(report.summary).toEqual(expected.summary);
    expect(issueLines(report)).toEqual(expected.issues);
    expect(report.mapping).toEqual({ id: expected.mapping.id, version: expected.mapping.version });
  }
  return run.reports as [Report, Report];
}
