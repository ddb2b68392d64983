/**
 * The event-log worker's engine for OCEL 2.0 SQLite logs: sql.js (SQLite compiled to WebAssembly)
 * under the core's reader (src/core/workflow/eventlog `ocelTablesOf`, `readOcelTables`), the same
 * statements and reader the CLI runs on `node:sqlite`.
 *
 * Constraints:
 * - The WebAssembly travels inside this module's own chunk (`?inline`, a data URL decoded here)
 *   instead of a separate `.wasm` file: the worker's policy has `connect-src 'none'`, so it can
 *   fetch nothing, and its `script-src` names exactly its own chunks. Compiling it needs
 *   `'wasm-unsafe-eval'`, granted to this worker (src/core/http/securityHeaders.ts).
 * - The worker imports this module only when a SQLite log is chosen, so no other log pays for it.
 * - sql.js holds the whole database in memory (SQLite reads pages anywhere in the file): the file
 *   is read whole, then the copy is closed and freed once the log is read.
 */
import initSqlJs, { type SqlJsStatic } from 'sql.js/dist/sql-wasm-browser.js';
import wasmDataUrl from 'sql.js/dist/sql-wasm-browser.wasm?inline';
import {
  OcelError,
  type OcelLog,
  ocelTablesOf,
  readOcelTables,
} from '../src/core/workflow/eventlog/index.ts';

let sqlJs: Promise<SqlJsStatic> | undefined;

/** The WebAssembly's bytes from the data URL the bundler inlined. */
function wasmBytes(): Uint8Array {
  const base64 = wasmDataUrl.slice(wasmDataUrl.indexOf(',') + 1);
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/**
 * Reads the OCEL 2.0 SQLite database `bytes` (named `source` in messages) into the log the JSON
 * and XML readers give. @throws `OcelError` (not shaped as OCEL 2.0, or bytes SQLite cannot read:
 * a damaged or cut-short file), shown to the person as it is
 */
export async function readOcelSqliteBytes(bytes: Uint8Array, source: string): Promise<OcelLog> {
  sqlJs ??= initSqlJs({ wasmBinary: wasmBytes() });
  const db = new (await sqlJs).Database(bytes);
  try {
    const query = (sql: string): Iterable<Record<string, unknown>> => {
      const statement = db.prepare(sql); // SQLite's refusal (a table WITHOUT ROWID) is thrown here
      return (function* () {
        try {
          while (statement.step()) yield statement.getAsObject();
        } finally {
          statement.free();
        }
      })();
    };
    return readOcelTables(ocelTablesOf(query), source);
  } catch (error) {
    if (error instanceof OcelError || !(error instanceof Error)) throw error;
    // SQLite's own words (a damaged or cut-short file): they name no value of the log
    const refused = new OcelError(source, 0, 0, 'SQLite cannot read it');
    refused.message = `${source} is not a readable OCEL 2.0 log: SQLite cannot read it (${error.message}).`;
    throw refused;
  } finally {
    db.close();
  }
}
