/**
 * Writes the failing records an SQL engine reads back (core `sharedSqlTables`' read of an input:
 * each record's data row and its CSV line) to a file of their own, header first, for the default engine's pass
 * over them (core sqlFailingRows.ts). The SQL engine writes it here, a batch at a time, waiting
 * for the disk when it is behind.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import {
  type CsvSource,
  finishSqlRun,
  type RowSetWatch,
  type RunPlan,
  type SqlRow,
  type SqlRunResult,
  sqlCount,
} from '../core/validation/index.ts';
import { compileContract, Unusable } from './commands/validateOptions.ts';
import { openFilesForReading } from './openFiles.ts';
import type { SqlRunDone } from './sqlCommand.ts';

/** What an SQL engine's command knows of its run when its query has answered. */
interface SqlRunSettings {
  cwd: string;
  redact: boolean;
  /** whether `--failing-rows` asks for every problem of the failing rows */
  failingRows: boolean;
  toolVersion: string;
  started: Date;
  /** `performance.now()` when the run started */
  t0: number;
}

/**
 * The report of an SQL engine's run: the run's facts in its meta, and
 * the default engine's passes over the failing records read back from `run.cwd`. `close` ends
 * the passes kept for the failing-rows export.
 */
export async function finishCliSqlRun(
  found: SqlRunResult,
  run: SqlRunSettings,
  plan: RunPlan,
  watchesOf: (file: string) => RowSetWatch[],
  {
    sha256,
    engine,
  }: { sha256: Record<string, string>; engine: 'postgres' | 'trino' | 'snowflake' | 'databricks' },
): Promise<{ done: Omit<SqlRunDone, 'close'>; close: () => Promise<void> }> {
  const finished = await finishSqlRun(found, {
    meta: {
      sha256,
      generatedAt: new Date().toISOString(),
      startedAt: run.started.toISOString(),
      totalMs: Math.round(performance.now() - run.t0),
      toolVersion: run.toolVersion,
      redact: run.redact,
      engine,
    },
    // with --project, each input names the check set it was checked as, as the app's reports do
    checkSets: plan.checkSetIds,
    watchesOf,
    open: openFailingRecords(run.cwd),
    compile: (contract, name) => compileContract(name, contract),
    failingRows: run.failingRows,
  });
  return {
    done: {
      report: finished.report,
      plan,
      headerMismatches: found.headerMismatches,
      uncounted: finished.uncounted,
      failingRowInputs: finished.failingRowInputs,
    },
    close: finished.close,
  };
}

/** Opens a file of failing records an SQL engine wrote, for the default engine's pass. */
const openFailingRecords =
  (cwd: string) =>
  async (target: string): Promise<{ source: CsvSource; close: () => Promise<void> }> => {
    const opened = await openFilesForReading([target], cwd, (m) => new Unusable(m));
    return { source: opened.files[0] as CsvSource, close: opened.close };
  };

/** Writes `header` then each row's `line` to `target`; returns each record's data row (`r`), in order. */
export async function writeFailingRecordsFile(
  target: string,
  header: string,
  lineEnding: string,
  batches: AsyncIterable<readonly SqlRow[]>,
): Promise<Uint32Array> {
  const out = createWriteStream(target);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  let rows = new Uint32Array(1024);
  let n = 0;
  out.write(header);
  for await (const batch of batches) {
    let lines = '';
    for (const record of batch) {
      if (n === rows.length) {
        const grown = new Uint32Array(rows.length * 2);
        grown.set(rows);
        rows = grown;
      }
      rows[n++] = sqlCount(record.r);
      lines += `${String(record.line)}${lineEnding}`;
    }
    if (!out.write(lines)) await Promise.race([once(out, 'drain'), failed]);
  }
  out.end();
  await Promise.race([once(out, 'close'), failed]);
  return rows.slice(0, n);
}
