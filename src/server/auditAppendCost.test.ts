/**
 * What an append to the audit log reads does not grow with the log, on both engines: the append
 * of entry {@link LARGE} + 1 reads the same statements and rows, and the database reads the same
 * rows of the log inside its append function, as the append of entry {@link SMALL} + 1. Each
 * entry needs only the log's last entry and its project's last entry (two index look-ups), so an
 * append that reads more grows with the log: a plan the database kept from when the log was small
 * once read every entry of the project for each new one. Counted, not timed: the database's own
 * count of the rows it read in the append's transaction (`pg_stat_xact_user_tables`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir } from '../../tests/setup/postgres.ts';
import { appendAudit, type Database, migrate, type Queryable } from './index.ts';
import { fileTestEngines } from './testing/databases.ts';
import { countingDatabase, type ReadTally } from './testing/largeReview.ts';

const testEngines = fileTestEngines();
const hasPostgres = postgresBinDir() !== undefined;

const SMALL = 10;
/** large enough that reading each entry of the project once would show as a thousand rows */
const LARGE = 1000;
const AT = Date.UTC(2026, 0, 5, 9);
const lena = { issuer: 'https://id.clinic.test', subject: 'lena', name: 'Lena Lead' };

/** The rows of the audit log the database read so far in `tx`'s transaction (heap and index). */
async function logRowsRead(tx: Queryable): Promise<number> {
  const [row] = await tx.query<{ n: string | number }>(
    `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS n
       FROM pg_stat_xact_user_tables WHERE relid = 'audit_log'::regclass`,
  );
  return Number(row?.n ?? 0);
}

describe.each(['embedded', 'postgres'] as const)(
  'an append to the audit log on the %s database',
  (engine) => {
    const skip = engine === 'postgres' && !hasPostgres;
    let db: Database;
    let counting: ReturnType<typeof countingDatabase>;
    let size = 0;

    /** Appends one entry of the project, as a review decision does, in its own transaction. */
    const append = (q: Database, record: number) =>
      q.transaction((tx) =>
        appendAudit(tx, {
          at: AT + record,
          kind: 'review-decision',
          actor: lena,
          detail: { project: 'census', review: 'rv1', record: String(record) },
        }),
      );
    /** Grows the log to `entries`, a few of them of another project as a team's log holds. */
    const growTo = async (entries: number) => {
      for (; size < entries; size += 1)
        if (size % 10 === 9)
          await db.transaction((tx) =>
            appendAudit(tx, {
              at: AT + size,
              kind: 'project-created',
              actor: lena,
              detail: { project: 'other' },
            }),
          );
        else await append(db, size);
    };
    /** What the next append read: the server's statements and rows, and the log's rows in the database. */
    const nextAppend = async (): Promise<ReadTally & { logRows: number }> => {
      counting.reset();
      let logRows = 0;
      await counting.db.transaction(async (tx) => {
        const before = await logRowsRead(tx);
        await appendAudit(tx, {
          at: AT + size,
          kind: 'review-decision',
          actor: lena,
          detail: { project: 'census', review: 'rv1', record: String(size) },
        });
        logRows = (await logRowsRead(tx)) - before;
      });
      size += 1;
      // the two reads of the database's count are the test's, not the append's
      return {
        ...counting.tally,
        statements: counting.tally.statements - 2,
        rows: counting.tally.rows - 2,
        logRows,
      };
    };

    beforeAll(async () => {
      if (skip) return;
      db = await testEngines.running().open(engine);
      await migrate(db);
      counting = countingDatabase(db);
    }, 120_000);
    afterAll(async () => {
      await db?.close();
    });

    it.skipIf(skip)(
      `reads the same rows at ${LARGE} entries as at ${SMALL}`,
      async () => {
        await growTo(SMALL);
        const small = await nextAppend();
        await growTo(LARGE);
        const large = await nextAppend();
        expect(large.statements, 'statements').toBe(small.statements);
        expect(large.rows, 'rows the server read').toBe(small.rows);
        expect(
          large.logRows,
          `rows of the log the database read (at ${SMALL} entries: ${small.logRows})`,
        ).toBe(small.logRows);
      },
      120_000,
    );
  },
);
