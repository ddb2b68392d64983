/**
 * The per-file table `npm test` writes and prints (tests/runAll.ts): for every unit/component test
 * file and every end-to-end spec, its wall seconds (vitest's JSON report: the file's start and
 * end), its CPU seconds (the lines tests/setup/fileCpu.ts appends) and its number of tests. Pure
 * but for the reading of those files, so the table's rules are unit-tested.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import type { FileCpuLine } from './procCpu.ts';

/** One test file of one suite. */
export interface FileRow {
  suite: string;
  /** path from the repository's root */
  file: string;
  wall: number;
  /** undefined when the file wrote no CPU line (it failed to load, or /proc is missing) */
  cpu: number | undefined;
  tests: number;
}

/** The part of vitest's JSON report the table reads. */
interface ReportFiles {
  testResults?: { name: string; startTime?: number; endTime?: number; assertionResults?: unknown[] }[];
}

/** The rows of one suite, from its report and the CPU lines (keyed by absolute path). */
export function rowsOf(
  suite: string,
  report: ReportFiles,
  cpuByFile: ReadonlyMap<string, number>,
  root: string,
): FileRow[] {
  return (report.testResults ?? []).map((result) => ({
    suite,
    file: relative(root, result.name),
    wall: Math.max(0, ((result.endTime ?? 0) - (result.startTime ?? 0)) / 1000),
    cpu: cpuByFile.get(result.name),
    tests: result.assertionResults?.length ?? 0,
  }));
}

/** CPU seconds by absolute file path from the lines of `file-cpu.jsonl`; a file run twice adds up. */
export function cpuByFileOf(lines: string): Map<string, number> {
  const byFile = new Map<string, number>();
  for (const text of lines.split('\n')) {
    if (text.trim() === '') continue;
    try {
      const line = JSON.parse(text) as FileCpuLine;
      byFile.set(line.file, (byFile.get(line.file) ?? 0) + line.cpu);
    } catch {
      // a line cut short by a worker that was killed mid-write
    }
  }
  return byFile;
}

/** Reads `vitest-<suite>.json` of each suite and the CPU lines in `dir`; a suite with no report has no rows. */
export function readRows(
  dir: string,
  suites: readonly string[],
  cpuLinesFile: string,
  root: string,
): FileRow[] {
  const cpuPath = join(dir, cpuLinesFile);
  const cpuByFile = cpuByFileOf(existsSync(cpuPath) ? readFileSync(cpuPath, 'utf8') : '');
  return suites.flatMap((suite) => {
    const reportPath = join(dir, `vitest-${suite}.json`);
    if (!existsSync(reportPath)) return [];
    try {
      return rowsOf(suite, JSON.parse(readFileSync(reportPath, 'utf8')) as ReportFiles, cpuByFile, root);
    } catch {
      return [];
    }
  });
}

const cpuOrder = (a: FileRow, b: FileRow) => (b.cpu ?? -1) - (a.cpu ?? -1) || b.wall - a.wall;

/** The whole table as tab-separated values, most CPU first; a missing CPU figure is empty. */
export function tsvOf(rows: readonly FileRow[]): string {
  const lines = [...rows]
    .sort(cpuOrder)
    .map((r) => [r.suite, r.file, r.wall.toFixed(1), r.cpu?.toFixed(1) ?? '', String(r.tests)].join('\t'));
  return `${['suite', 'file', 'wall s', 'CPU s', 'tests'].join('\t')}\n${lines.map((l) => `${l}\n`).join('')}`;
}

/** The `count` files that took the most CPU, as aligned text. */
export function topByCpu(rows: readonly FileRow[], count: number): string[] {
  const top = [...rows].sort(cpuOrder).slice(0, count);
  const width = Math.max(4, ...top.map((r) => r.file.length));
  const head = `${'suite'.padEnd(6)} ${'file'.padEnd(width)} ${'wall s'.padStart(7)} ${'CPU s'.padStart(7)} ${'tests'.padStart(5)}`;
  return [
    head,
    ...top.map(
      (r) =>
        `${r.suite.padEnd(6)} ${r.file.padEnd(width)} ${r.wall.toFixed(1).padStart(7)} ${(r.cpu?.toFixed(1) ?? '-').padStart(7)} ${String(r.tests).padStart(5)}`,
    ),
  ];
}

/** The machine, as /proc/cpuinfo names its processor, and how many cores. */
export function machineName(): string {
  let model = cpus()[0]?.model;
  try {
    model = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {
    // no /proc: what Node says
  }
  return `${model ?? 'unknown CPU'}, ${cpus().length} cores`;
}

/** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}
