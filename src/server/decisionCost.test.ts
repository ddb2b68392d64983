/**
 * What a reviewer's decision reads from the database does not grow with her review, on both
 * engines: her decision on the last record of a review of {@link LARGE} records, each before it
 * decided, reads the same statements and rows as her decision on the last record of a review of
 * {@link SMALL}, and about the same bytes (a record's key and the numbers are a few characters
 * longer). Counted, not timed: the figures are deterministic, and the time per decision at census
 * size is the benchmark's (tests/bench/reviewDecisionCost.bench.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir } from '../../tests/setup/postgres.ts';
import type { Database } from './index.ts';
import { fileTestEngines } from './testing/databases.ts';
import { countingDatabase, LARGE_REVIEW_PEOPLE, largeReview, type ReadTally } from './testing/largeReview.ts';
import { type ServerWithPeople, serverWithPeople } from './testing/people.ts';

const testEngines = fileTestEngines();
const hasPostgres = postgresBinDir() !== undefined;

const SMALL = 3;
/** large enough that reading each record or decision once would show as hundreds of rows */
const LARGE = 60;
/** how many more bytes the large review's decision may read: longer keys, ids and numbers */
const LONGER_NAMES = 100;

/**
 * Why the PostgreSQL half is skipped for now: in two of four loaded clean-clone runs one statement
 * from outside the measured request (not the sweep, not the session's activity note: both are off
 * here) landed in the counted window, on either review. Until it is found and kept out, the
 * PostgreSQL figures are the benchmark's.
 */
const POSTGRES_COUNT_UNSETTLED = true;

describe.each(['embedded', 'postgres'] as const)('a decision on the %s database', (engine) => {
  const skip = engine === 'postgres' && (!hasPostgres || POSTGRES_COUNT_UNSETTLED);
  let db: Database;
  let counting: ReturnType<typeof countingDatabase>;
  let server: ServerWithPeople<keyof typeof LARGE_REVIEW_PEOPLE>;
  let project: string;
  let rita: string;

  beforeAll(async () => {
    if (skip) return;
    db = await testEngines.running().open(engine);
    counting = countingDatabase(db);
    // Nothing but the decision's own work is counted: one instant for the whole file (a session's
    // activity is noted once a minute at most, so a real clock adds a statement to whichever
    // decision falls after a minute's turn), and no sweep on the server's timer (on a loaded
    // machine its statements land inside whichever request is running then).
    const now = Date.now();
    server = await serverWithPeople(counting.db, LARGE_REVIEW_PEOPLE, () => now, { sweepIntervalMs: 0 });
    project = (await server.ask('lena', 'POST', '/api/projects', { name: 'Census review' })).body.project.id;
    rita = (
      await server.ask('lena', 'POST', `/api/projects/${project}/members`, {
        subject: 'rita',
        role: 'reviewer',
      })
    ).body.member.id;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  /** What her decision on the last record of a fresh review of `records` records read. */
  const lastDecisionOf = async (reviewId: string, records: number): Promise<ReadTally> => {
    const review = await largeReview(server, project, rita, reviewId, records);
    await review.importPacket(1, records - 1);
    await review.sendPair(records);
    counting.reset();
    await review.decide(records);
    return { ...counting.tally };
  };

  it.skipIf(skip)(
    'reads the same rows at the end of a large review as at the end of a small one',
    async () => {
      const small = await lastDecisionOf('rv-small', SMALL);
      const large = await lastDecisionOf('rv-large', LARGE);
      expect(large.statements, 'statements').toBe(small.statements);
      expect(large.rows, 'rows read').toBe(small.rows);
      expect(large.bytes - small.bytes, `bytes read beyond the small review's ${small.bytes}`).toBeLessThan(
        LONGER_NAMES,
      );
    },
    120_000,
  );
});
