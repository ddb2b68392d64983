/**
 * How the warehouse clients wait for a statement the warehouse answers later (Snowflake's 202
 * with a statement handle, Databricks' PENDING or RUNNING): they ask again after a pause that
 * grows from {@link FIRST_PAUSE_MS} to {@link LONGEST_PAUSE_MS}, and give up when the statement
 * has run longer than the user's bound (`--wait`, default {@link DEFAULT_WAIT_SECONDS}), asking
 * the warehouse to cancel it so it stops working for nobody.
 *
 * Constraints:
 * - The pause and the clock are the caller's to give, so a test runs a wait of an hour on a clock
 *   it moves itself, without sleeping.
 * - The error names the warehouse, its last status and the statement handle (an identifier the
 *   warehouse made, never data), so the warehouse's administrator can find the statement.
 */

/** How long a statement may run, by default, before the client gives up (seconds). */
export const DEFAULT_WAIT_SECONDS = 3600;

/** The first pause between two questions about a running statement (milliseconds). */
export const FIRST_PAUSE_MS = 250;

/** The longest pause between two questions about a running statement (milliseconds). */
export const LONGEST_PAUSE_MS = 5000;

/** How a client waits for a running statement. */
export interface StatementWait {
  /** the most milliseconds a statement may run, from its sending to its first rows */
  limitMs: number;
  /** milliseconds since a fixed point */
  now(): number;
  /** resolves after `ms` milliseconds */
  pause(ms: number): Promise<void>;
}

/** A wait of `seconds` on the process's clock and timers. */
export function statementWait(seconds: number = DEFAULT_WAIT_SECONDS): StatementWait {
  return {
    limitMs: seconds * 1000,
    now: () => performance.now(),
    pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** The warehouse did not finish a statement within the user's bound. */
export class StatementTimeout extends Error {
  override name = 'StatementTimeout';
  constructor(
    /** the warehouse's name in sentences */
    readonly vendor: string,
    /** its last answer about the statement (an HTTP status or a state) */
    readonly status: string,
    /** its identifier of the statement */
    readonly handle: string,
    readonly seconds: number,
  ) {
    super(
      `${vendor} had not finished the statement ${handle} after ${seconds.toLocaleString('en-US')} second${seconds === 1 ? '' : 's'} (its last status: ${status}); Preflight asked ${vendor} to cancel it. Give it longer with --wait <seconds>, or ask the warehouse's administrator why it is slow`,
    );
  }
}

/** One poll's answer, as {@link waitWhileRunning} reads it. */
export interface PollState<T> {
  answer: T;
  /** still running: ask again */
  running: boolean;
  /** the status to name if the wait gives up */
  status: string;
  /** the statement's identifier */
  handle: string | undefined;
}

/**
 * Asks `poll` again while `first` (and each later answer) is still running, pausing between
 * questions, and returns the first answer that is not. Past `wait.limitMs` since `started`, calls
 * `cancel` (its failure ignored) and throws {@link StatementTimeout}.
 */
export async function waitWhileRunning<T>(
  vendor: string,
  first: PollState<T>,
  poll: (handle: string) => Promise<PollState<T>>,
  cancel: (handle: string) => Promise<unknown>,
  wait: StatementWait,
  started: number,
): Promise<T> {
  let state = first;
  let pause = FIRST_PAUSE_MS;
  while (state.running) {
    const handle = state.handle;
    if (handle === undefined) throw new Error(`${vendor} named no statement to wait for`);
    const left = wait.limitMs - (wait.now() - started);
    if (left <= 0) {
      await cancel(handle).catch(() => undefined);
      throw new StatementTimeout(vendor, state.status, handle, wait.limitMs / 1000);
    }
    await wait.pause(Math.min(pause, left));
    pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    state = await poll(handle);
  }
  return state.answer;
}
