/**
 * Test kit: tells apart, in one Node thread, the page's code from the fake validator workers'
 * (workers/testing/fakeWorker.ts runs a worker's API in the test's own thread). Each call into a
 * worker's API runs in an async context marked "worker" (`AsyncLocalStorage`, which follows every
 * `await` inside it); a spy on the engine's row parser (`validateCsv`) then says where each pass
 * ran. The page's code never runs in that context: it reaches a worker only through comlink's
 * messages. Not shipped.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const thread = new AsyncLocalStorage<'worker'>();

/** Passes over rows, counted by where they ran (see {@link recordParse}). */
export const parses = { page: 0, worker: 0 };

/** Called by a spy on `validateCsv` for each pass over rows: counts it as the page's or a worker's. */
export function recordParse(): void {
  if (thread.getStore() === 'worker') parses.worker++;
  else parses.page++;
}

/** Resets {@link parses}. */
export function resetParses(): void {
  parses.page = 0;
  parses.worker = 0;
}

/**
 * `api` with each method run as a worker's (in the "worker" context), and `calls` counting the
 * calls of each method by name.
 */
export function asWorker<Api extends object>(api: Api, calls: Map<string, number> = new Map()): Api {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(api)) {
    wrapped[name] =
      typeof method === 'function'
        ? (...args: unknown[]) => {
            calls.set(name, (calls.get(name) ?? 0) + 1);
            return thread.run('worker', () => (method as (...a: unknown[]) => unknown)(...args));
          }
        : method;
  }
  return wrapped as Api;
}
