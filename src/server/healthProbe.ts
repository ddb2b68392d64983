/**
 * The health check's write probe: while writes are refused for a cause of the database's (its
 * disk, read-only, out of reach), one small committed write at most every {@link HEALTH_PROBE_MS}
 * tells whether the cause is gone. Out of service, the process gets no other write that would tell
 * it. While writes succeed it never writes. Kept apart from the routes, which declare their
 * transactions and never open one themselves.
 */
import type { Database } from './database.ts';
import { countRequest } from './rateLimits.ts';
import { type DatabasePlace, type WriteWatch, writeFault } from './writeRefusals.ts';

/** How often, at most, the health check writes while writes are refused. */
export const HEALTH_PROBE_MS = 10_000;

/** The counter row the probe writes (rateLimits.ts's table, swept with it). */
const HEALTH_PROBE_KEY = 'health probe';

/** Writes once, if a database cause refuses writes and the last try is old enough; says the outcome to `writes`. */
export async function probeWrites(
  db: Database,
  writes: WriteWatch,
  place: DatabasePlace,
  clock: () => number,
): Promise<void> {
  const last = writes.current();
  if (last === undefined || last.code === 'server-clock-ahead') return;
  const now = clock();
  if (now - last.lastSeen < HEALTH_PROBE_MS) return;
  try {
    await db.transaction((tx) => countRequest(tx, HEALTH_PROBE_KEY, now, HEALTH_PROBE_MS));
    writes.saved();
  } catch (error) {
    writes.refused(writeFault(error, place) ?? last, now);
  }
}
