/**
 * Failed IndexedDB transactions reported once, to the caller that can say what happened.
 *
 * `idb` makes a `done` promise for every transaction it hands out and rejects it when a request
 * fails or the transaction aborts (a full disk, a connection the browser closed). Where the
 * failure already reaches the caller — through the request that failed, or through the open
 * request of an upgrade — that promise only repeats it; left without a handler it becomes an
 * unhandled rejection (an uncaught "AbortError" on the page) besides the reported failure.
 */

/** Something with `idb`'s `done` promise: a transaction. */
interface Settling {
  readonly done: Promise<void>;
}

/**
 * Returns `tx` with its `done` promise observed: for a transaction whose requests carry any
 * failure to the caller (reads), so that the same failure is not thrown a second time.
 */
export function observed<T extends Settling>(tx: T): T {
  tx.done.catch(() => undefined);
  return tx;
}

/** Watches the upgrade transaction of one open; see {@link upgradeWatch}. */
interface UpgradeWatch {
  /** Call with the upgrade transaction as the upgrade starts. */
  observe(tx: Settling & { readonly error: DOMException | null }): void;
  /**
   * The error to report for the failed open: the upgrade's own error when it aborted (the open
   * request then fails with a bare `AbortError`, a full disk's `QuotaExceededError` is the
   * transaction's), else the open's.
   */
  failure(error: unknown): unknown;
}

/** For one open of a database: its aborted upgrade is reported once, as what it was. */
export function upgradeWatch(): UpgradeWatch {
  let upgrade: (Settling & { readonly error: DOMException | null }) | null = null;
  return {
    observe(tx) {
      observed(tx);
      upgrade = tx;
    },
    failure: (error) => upgrade?.error ?? error,
  };
}
