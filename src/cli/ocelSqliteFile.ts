/**
 * The CLI's engine for OCEL 2.0 SQLite logs: Node's own `node:sqlite`, opened read-only, under the
 * core's reader (src/core/workflow/eventlog/ocelSqlite.ts `ocelTablesOf`, `readOcelTables`), which
 * holds the statements; the browser's event-log worker runs the same ones on sql.js.
 *
 * Constraint: stderr is part of the CLI's output (scripts and tests read it). Node 24 releases
 * before the module settled print "ExperimentalWarning: SQLite is an experimental feature" once
 * per process when `node:sqlite` is first loaded; that one warning (and no other) is dropped while
 * the module loads, since the person can do nothing about it. The module is loaded only when a
 * SQLite log is read.
 */
import { type OcelLog, ocelTablesOf, readOcelTables } from '../core/workflow/eventlog/index.ts';

type SqliteModule = typeof import('node:sqlite');

/** `node:sqlite`, loaded once, without its experimental-feature warning. */
let sqlite: Promise<SqliteModule> | undefined;

/** Whether a warning is Node's notice that `node:sqlite` is experimental. */
export function isSqliteExperimentalWarning(warning: string | Error, typeOrOptions: unknown): boolean {
  const message = typeof warning === 'string' ? warning : warning.message;
  const type =
    typeof typeOrOptions === 'string'
      ? typeOrOptions
      : typeof warning !== 'string'
        ? warning.name
        : (typeOrOptions as { type?: string } | undefined)?.type;
  return type === 'ExperimentalWarning' && /\bSQLite\b/.test(message);
}

function loadSqlite(): Promise<SqliteModule> {
  sqlite ??= (async () => {
    const emit = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      if (isSqliteExperimentalWarning(warning, rest[0])) return;
      (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      return await import('node:sqlite');
    } finally {
      process.emitWarning = emit;
    }
  })();
  return sqlite;
}

/**
 * Reads the OCEL 2.0 SQLite database at `absolute` (named `file` in messages) into the log the
 * JSON and XML readers give. @throws `OcelError` (not shaped as OCEL 2.0), and node:sqlite's
 * error for a file that is not a database
 */
export async function readOcelSqliteFile(absolute: string, file: string): Promise<OcelLog> {
  const { DatabaseSync } = await loadSqlite();
  const db = new DatabaseSync(absolute, { readOnly: true });
  try {
    const query = (sql: string) => db.prepare(sql).iterate() as Iterable<Record<string, unknown>>;
    return readOcelTables(ocelTablesOf(query), file);
  } finally {
    db.close();
  }
}
