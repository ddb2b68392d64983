/**
 * Test kit of the `validate --mapping` CLI tests (FHIR targets and target schemas): the same runs
 * and the same report comparison serve both, so "identical with --workers 2" means one thing.
 * Test-only: imported by *.test.ts files, never by the CLI.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
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
