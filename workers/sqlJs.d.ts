/**
 * The part of sql.js (https://sql.js.org) the event-log worker uses; the package ships no types.
 * Only reading: a database opened from bytes, statements stepped row by row and freed.
 */
declare module 'sql.js/dist/sql-wasm-browser.js' {
  /** A prepared statement: `step()` moves to the next row, `getAsObject()` reads it. */
  export interface Statement {
    step(): boolean;
    getAsObject(): Record<string, unknown>;
    free(): boolean;
  }
  /** A database held in the WebAssembly module's memory. */
  export interface Database {
    prepare(sql: string): Statement;
    close(): void;
  }
  /** The module once its WebAssembly is compiled. */
  export interface SqlJsStatic {
    Database: new (data?: Uint8Array) => Database;
  }
  /** Compiles sql.js; `wasmBinary` gives the WebAssembly's bytes, so nothing is fetched. */
  export default function initSqlJs(config?: { wasmBinary?: ArrayBuffer | Uint8Array }): Promise<SqlJsStatic>;
}
