/**
 * The reviewer's decision outbox of one review on the team server, owned by one screen: created
 * over this browser's IndexedDB outbox (src/storage/decisionOutboxStore.ts), sending through the
 * session, tried again whenever the network comes back, a request gets through or she signs in
 * again, and stopped when the screen closes (what
 * waits stays stored and goes when the review is opened again). The queue's rules are the core's
 * (src/core/signoff/review/decisionOutbox.ts); this is the React side only.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { createDecisionOutbox } from '../../core/signoff/review/index.ts';
import { createDecisionOutboxStore, type DecisionOutboxStore } from '../../storage/decisionOutboxStore.ts';
import { listenToSession } from '../../storage/teamServer.ts';
import {
  decisionSender,
  retryWait,
  type ServerDecisionOutbox,
  type ServerOutboxState,
  serverOutboxStorage,
} from './serverReviews.ts';
import type { TeamSession } from './serverSigning.ts';

/** One connection for every review screen of the page. */
let shared: DecisionOutboxStore | undefined;
const outboxStore = (): DecisionOutboxStore => {
  shared ??= createDecisionOutboxStore();
  return shared;
};

/** What the screen shows before the outbox is made (its first render). */
const NOT_YET: ServerOutboxState = {
  pending: [],
  sent: [],
  refused: [],
  offline: false,
  offlineMessage: '',
  signedOut: '',
  loaded: false,
};
const noChanges = () => () => undefined;

/** The ids of its sends' changes an outbox remembers until their echo (a failed send has none). */
const SENDS_REMEMBERED = 256;

/**
 * The outbox of `reviewId` on `projectId` (undefined for the first render), its state, and
 * `sentHere`: whether a change the project's stream tells of (by its id) is one of its own sends,
 * which the screen shows already — each id answers true once, at its echo.
 */
export function useDecisionOutbox(
  session: TeamSession,
  projectId: string,
  reviewId: string,
): {
  outbox: ServerDecisionOutbox | undefined;
  state: ServerOutboxState;
  sentHere: (change: string) => boolean;
} {
  const [outbox, setOutbox] = useState<ServerDecisionOutbox>();
  const [sent] = useState(() => new Set<string>());
  useEffect(() => {
    const sending = (change: string) => {
      sent.add(change);
      // a send that never reached the server has no echo: the oldest such are forgotten
      if (sent.size > SENDS_REMEMBERED) sent.delete(sent.values().next().value as string);
    };
    const created: ServerDecisionOutbox = createDecisionOutbox({
      storage: serverOutboxStorage(outboxStore(), projectId, reviewId),
      send: decisionSender(session, projectId, reviewId, sending),
      wait: retryWait,
    });
    setOutbox(created);
    // what waited on this computer goes first, and again as soon as the server can be reached
    // (the network came back, or another request got through: no wait for the next try's timer)
    // or she signed in again (a new session's token)
    void created.flush();
    const online = () => void created.flush();
    window.addEventListener('online', online);
    const unlisten = listenToSession(session, (news) => {
      // an answer while held for a sign-in cures nothing (and its own token check is answered too)
      if (news === 'renewed' || created.state().offline) void created.flush();
    });
    return () => {
      window.removeEventListener('online', online);
      unlisten();
      created.destroy();
    };
  }, [session, projectId, reviewId, sent]);
  const sentHere = useCallback((change: string) => sent.delete(change), [sent]);
  const subscribe = useCallback(
    (listener: () => void) => (outbox ? outbox.subscribe(listener) : noChanges()),
    [outbox],
  );
  const read = useCallback(() => (outbox ? outbox.state() : NOT_YET), [outbox]);
  return { outbox, state: useSyncExternalStore(subscribe, read), sentHere };
}
