/**
 * The part of Node's `node:sqlite` (Node 22.5 and later) the CLI uses: the project's `@types/node`
 * is of Node 20, which has no such module. Shapes as Node documents them; widen this file, never
 * cast around it, when more is used.
 */
declare module 'node:sqlite' {
  /** A prepared statement; rows are objects, column name → value. */
  export class StatementSync {
    all(...parameters: unknown[]): Record<string, unknown>[];
    get(...parameters: unknown[]): Record<string, unknown> | undefined;
    iterate(...parameters: unknown[]): IterableIterator<Record<string, unknown>>;
  }
  /** A database connection, opened on construction. */
  export class DatabaseSync {
    constructor(path: string, options?: { open?: boolean; readOnly?: boolean });
    prepare(sql: string): StatementSync;
    close(): void;
  }
}
