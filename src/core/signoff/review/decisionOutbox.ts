/**
 * The outbox of a reviewer's decisions on the team server: each decision is kept on this computer
 * (`storage`) before the screen moves on, then sent (`send`) strictly in the order made, one at a
 * time, until the server has recorded it or refused it. A send that does not reach the server, or
 * whose answer is lost, is tried again — after a wait, when the network comes back, and after a
 * reload (a new outbox over the same storage) — which is safe because the server takes a decision
 * by its id: one it has recorded is answered with the recorded entry, never stored twice.
 *
 * A send the server turned away for the sign-in (it ended, or this page still holds an earlier
 * session's token) is neither refused nor tried on a timer: it waits, kept, until the app says a
 * session is back (`flush`, on signing in again); {@link renewingSender} fetches the new session's
 * token and sends once more before it gives up to that wait.
 *
 * Model: a single drain loop owns the head of the queue. The state is replaced on each change
 * (never a snapshot written back after an `await`), so a decision added while another is in
 * flight is never dropped. A refused decision leaves the queue (sending it again would be refused
 * again) but stays kept, with the server's words, until the reviewer dismisses it.
 *
 * Constraints: no DOM, no IndexedDB, no timers here — storage, transport and the wait between
 * tries are given, so the property test drives every interleaving with promises it controls.
 */

/** A decision as the outbox needs it: its client id, which the server takes it by. */
export interface OutboxItem {
  id: string;
}

/** What became of one send. */
export type SendOutcome<R> =
  /** the server recorded it (now, or before: the same entry) */
  | { kind: 'recorded'; recorded: R }
  /** the server refused it: sending it again would be refused again */
  | { kind: 'refused'; message: string }
  /** the server was not reached, or could not answer: try again later (nothing is lost) */
  | { kind: 'unreachable'; message: string }
  /** the sign-in ended: kept, and sent when the reviewer signs in again (nothing is lost) */
  | { kind: 'signed-out'; message: string };

/** A decision the server refused, kept with its words until the reviewer dismisses it. */
export interface RefusedItem<T> {
  item: T;
  message: string;
}

/** What the outbox keeps on this computer, in the order added. Every write resolves once durable. */
export interface OutboxStorage<T> {
  /** what waits and what was refused, oldest first */
  load(): Promise<{ pending: T[]; refused: RefusedItem<T>[] }>;
  add(item: T): Promise<void>;
  /** the server recorded it */
  remove(id: string): Promise<void>;
  refuse(id: string, message: string): Promise<void>;
}

/** What the outbox holds and did last. */
export interface OutboxState<T, R> {
  /** kept here, not yet recorded by the server, oldest first */
  pending: readonly T[];
  /** recorded by the server since this outbox started, in its order */
  sent: readonly R[];
  /** refused by the server, oldest first, until dismissed */
  refused: readonly RefusedItem<T>[];
  /** the last try did not reach the server (what waits is tried again) */
  offline: boolean;
  /** why the last try did not reach it ('' when it did) */
  offlineMessage: string;
  /** why what waits is held until the reviewer signs in again ('' when her sign-in is live) */
  signedOut: string;
  /** the storage refused to load or keep (said on screen; the outbox then holds in memory only) */
  storageError?: string;
  /** the stored outbox is loaded (before that, `pending` holds only what was added since) */
  loaded: boolean;
}

/** Decisions kept on this computer and sent in order; see the file header. */
export interface DecisionOutbox<T extends OutboxItem, R> {
  /** keeps `item` (resolves once stored) and starts sending it; rejects when the storage refused */
  add(item: T): Promise<void>;
  /** tries what waits now (the network or a sign-in came back); resolves once nothing waits */
  flush(): Promise<void>;
  /** forgets refused decision `id` (the reviewer read why) */
  dismiss(id: string): Promise<void>;
  state(): OutboxState<T, R>;
  subscribe(listener: () => void): () => void;
  /** stops sending and touches nothing more (the page is leaving) */
  destroy(): void;
}

/** How the outbox is made. */
export interface OutboxParams<T, R> {
  storage: OutboxStorage<T>;
  send: (item: T) => Promise<SendOutcome<R>>;
  /** resolves when try `attempt` (1, 2…) after a failed one may start; the app waits with backoff */
  wait: (attempt: number) => Promise<void>;
}

/** An outbox over `storage`: loads what was kept and starts sending it. */
export function createDecisionOutbox<T extends OutboxItem, R>(
  params: OutboxParams<T, R>,
): DecisionOutbox<T, R> {
  const { storage, send, wait } = params;
  let state: OutboxState<T, R> = {
    pending: [],
    sent: [],
    refused: [],
    offline: false,
    offlineMessage: '',
    signedOut: '',
    loaded: false,
  };
  let destroyed = false;
  const listeners = new Set<() => void>();
  const set = (next: Partial<OutboxState<T, R>>) => {
    if (destroyed) return;
    state = { ...state, ...next };
    for (const listener of listeners) listener();
  };
  const without = (list: readonly T[], id: string) => list.filter((item) => item.id !== id);
  const said = (error: unknown) => (error instanceof Error ? error.message : String(error));

  const loading = storage.load().then(
    (kept) => {
      // what was added before the load finished is in storage too: kept order first, once each
      const ids = new Set(kept.pending.map((item) => item.id));
      set({
        pending: [...kept.pending, ...state.pending.filter((item) => !ids.has(item.id))],
        refused: [...kept.refused, ...state.refused],
        loaded: true,
      });
    },
    (error: unknown) => set({ loaded: true, storageError: said(error) }),
  );

  // the one drain: `running` while it goes; `wake` ends a wait between tries early; `asked`: a
  // flush came while a send was on its way (a network or a sign-in that came back then is not
  // missed: the next try starts at once rather than after the wait)
  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let asked = false;

  async function drain(): Promise<void> {
    await loading;
    let failures = 0;
    while (!destroyed) {
      const head = state.pending[0];
      if (head === undefined) return;
      let outcome: SendOutcome<R>;
      asked = false;
      try {
        outcome = await send(head);
      } catch (error) {
        outcome = { kind: 'unreachable', message: said(error) };
      }
      if (destroyed) return;
      if (outcome.kind === 'unreachable' || outcome.kind === 'signed-out') {
        const woken = new Promise<void>((resolve) => {
          wake = resolve;
        });
        if (outcome.kind === 'unreachable') {
          failures += 1;
          set({ offline: true, offlineMessage: outcome.message, signedOut: '' });
          // the network came back while this try was on its way (it failed with the change): again now
          if (!asked) await Promise.race([wait(failures), woken]);
        } else {
          // a timer cannot sign her in: only a session that is back (flush) ends this wait
          set({ offline: false, offlineMessage: '', signedOut: outcome.message });
          if (!asked) await woken;
        }
        wake = undefined;
        continue;
      }
      failures = 0;
      if (outcome.kind === 'recorded') {
        await keep(() => storage.remove(head.id));
        set({
          pending: without(state.pending, head.id),
          sent: [...state.sent, outcome.recorded],
          offline: false,
          offlineMessage: '',
          signedOut: '',
        });
      } else {
        await keep(() => storage.refuse(head.id, outcome.message));
        set({
          pending: without(state.pending, head.id),
          refused: [...state.refused, { item: head, message: outcome.message }],
          offline: false,
          offlineMessage: '',
          signedOut: '',
        });
      }
    }
  }

  /** A storage write after the server answered: a failure is said; the answer still counts. */
  async function keep(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      set({ storageError: said(error) });
    }
  }

  const flush = (): Promise<void> => {
    asked = true;
    wake?.();
    running ??= drain().finally(() => {
      running = undefined;
      // added while the loop was ending: go round again
      if (!destroyed && state.pending.length > 0) void flush();
    });
    return running;
  };

  return {
    async add(item) {
      if (destroyed) throw new Error('the review screen was closed: open it again to decide');
      await storage.add(item);
      set({ pending: [...without(state.pending, item.id), item] });
      void flush();
    },
    flush,
    async dismiss(id) {
      await storage.remove(id);
      set({ refused: state.refused.filter((r) => r.item.id !== id) });
    },
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      destroyed = true;
      wake?.();
      listeners.clear();
    },
  };
}

/** What one post of a decision came to, as the transport under {@link renewingSender} tells it. */
export type PostOutcome<R> =
  | SendOutcome<R>
  /** the server turned the token away: this page holds an earlier session's (a new sign-in made another) */
  | { kind: 'token-refused'; message: string };

/** What the outbox's transport needs to outlive a sign-in. */
export interface RenewingParams<T, R> {
  /** posts `item` with the session's token as it is now */
  post: (item: T) => Promise<PostOutcome<R>>;
  /**
   * asks the server for the session's token afresh and keeps it for later posts; resolves true when
   * the same person is signed in with a token other than the one refused, false when no one is (or
   * someone else is: her decisions are never sent under another person's sign-in)
   */
  renew: () => Promise<boolean>;
  /** what is said while her decisions wait for her to sign in again */
  signInAgain: string;
}

/**
 * The outbox's `send` over a session that may end: a post whose token the server turned away is
 * posted once more with the token of the session signed in now (fetched, never the old one
 * reused); without one, or turned away again, the decision waits as `signed-out` — kept, never
 * refused, since signing in again cures it. Safe to post twice: the server takes it by its id.
 */
export function renewingSender<T, R>(params: RenewingParams<T, R>): (item: T) => Promise<SendOutcome<R>> {
  const { post, renew, signInAgain } = params;
  return async (item) => {
    const first = await post(item);
    if (first.kind !== 'token-refused') return first;
    if (!(await renew())) return { kind: 'signed-out', message: signInAgain };
    const again = await post(item);
    return again.kind === 'token-refused' ? { kind: 'signed-out', message: signInAgain } : again;
  };
}
