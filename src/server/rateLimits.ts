/**
 * The counters behind the server's request limits (sign-in attempts per address, anchor checks),
 * kept in the database rather than in one process's memory: several server processes on one
 * PostgreSQL count one client's requests together, so a client cannot multiply its limit by the
 * number of processes behind the clinic's proxy. A store for `@fastify/rate-limit`, which keeps
 * its headers and its 429.
 *
 * Model: a fixed window per key (route and client address). The first request of a window starts
 * it; each request adds one in a single `INSERT … ON CONFLICT DO UPDATE`, which PostgreSQL runs
 * under the row's lock, so two processes counting at once never lose a request. A window that has
 * ended starts again at the next request; rows of ended windows are swept (expiry.ts).
 *
 * Constraint: the clock is the server's (tests move it), never the database's, so a window is
 * measured as the rest of the server measures time.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Queryable } from './database.ts';

/** One request counted in `key`'s window of `windowMs` at `now`: the count so far and the time left. */
export async function countRequest(
  db: Queryable,
  key: string,
  now: number,
  windowMs: number,
): Promise<{ current: number; ttl: number }> {
  const rows = await db.query<{ hits: number; ends_at: Date | string }>(
    `INSERT INTO rate_limit_windows (key, hits, ends_at) VALUES ($1, 1, $3::timestamptz)
     ON CONFLICT (key) DO UPDATE SET
       hits = CASE WHEN rate_limit_windows.ends_at <= $2::timestamptz THEN 1 ELSE rate_limit_windows.hits + 1 END,
       ends_at = CASE WHEN rate_limit_windows.ends_at <= $2::timestamptz THEN $3::timestamptz
                      ELSE rate_limit_windows.ends_at END
     RETURNING hits, ends_at`,
    [key, new Date(now).toISOString(), new Date(now + windowMs).toISOString()],
  );
  const row = rows[0] as { hits: number; ends_at: Date | string };
  return { current: row.hits, ttl: Math.max(0, new Date(row.ends_at).getTime() - now) };
}

/**
 * A `@fastify/rate-limit` store over `db`, on the server's `clock`: give it as the plugin's
 * `store`. Each limited route counts under its own method and path.
 */
export function databaseRateLimitStore(db: Queryable, clock: () => number): FastifyRateLimitStoreCtor {
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    readonly #prefix: string;
    constructor(_options?: unknown, prefix = '') {
      this.#prefix = prefix;
    }
    incr(key: string, callback: Parameters<FastifyRateLimitStore['incr']>[1], timeWindow: number): void {
      countRequest(db, `${this.#prefix}${key}`, clock(), timeWindow).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
    }
    child(options: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // the plugin hands the route's merged limit options, the route itself under routeInfo
      const route = (options as unknown as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new DatabaseRateLimitStore(
        undefined,
        `${String(route?.method ?? '')} ${String(route?.url ?? '')} `,
      );
    }
  };
}
