/**
 * One shared workflow open in this browser: the person's copy (src/core/workflow/shared), kept in
 * the page's storage after every change so edits made offline survive a reload, sent as soon as
 * they are made and whenever the network comes back, and others' edits heard as the server's
 * change stream tells of them (every few seconds while the stream is down).
 *
 * Constraints: one sync at a time (a change made while one runs is sent by the next); a network
 * failure keeps the changes and says "offline"; a refusal says why — 404 (no longer a member, or
 * the workflow is gone) and 403 (the role cannot change it) stop sending; a 401 (the sign-in ended,
 * which the app's session hears) pauses it until the person is signed in again; nothing is dropped
 * from the page's storage without the person's say.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  type LostEdit,
  putBack,
  type ServerChange,
  type SharedCopyState,
  SharedWorkflowCopy,
  type SharedWorkflowTransport,
} from '../../../core/workflow/shared/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { TeamError, type TeamSession } from '../../../storage/teamServer.ts';
import { teamChangesLive } from '../../team/teamChanges.ts';
import { useTeamChanges } from '../../team/useTeamChanges.ts';
import { openSharedWorkflow, sharedTransport } from './teamApi.ts';

/** How often others' edits are asked for while a shared workflow is open. */
const POLL_MS = 3000;

/**
 * Asking stops this long after the person last touched the page (and while the tab is hidden):
 * every request keeps the server's session alive, and an unattended screen must still be signed
 * out after the server's idle limit (30 minutes). A key or a click starts it again.
 */
const POLL_IDLE_MS = 20 * 60 * 1000;

/** With the change stream open, one poll in this many still runs (an event missed is heard). */
const POLLS_PER_LIVE_POLL = 10;

/** How many of the latest changes (everyone's) the editor lists. */
const RECENT_CHANGES = 30;

/** `known` with `more` added, one per place in the server's order, the latest {@link RECENT_CHANGES}. */
function recentChanges(known: readonly ServerChange[], more: readonly ServerChange[]): ServerChange[] {
  if (more.length === 0) return known as ServerChange[];
  const bySeq = new Map(known.map((c) => [c.seq, c]));
  for (const change of more) bySeq.set(change.seq, change);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-RECENT_CHANGES);
}

/**
 * Where the copy stands with the team server. `signed-out`: the sign-in ended; what waits is kept
 * and sent once the person is signed in again.
 */
export type SyncStatus = 'opening' | 'in-step' | 'sending' | 'offline' | 'refused' | 'gone' | 'signed-out';

export interface SharedWorkflowState {
  workflow: Workflow | undefined;
  status: SyncStatus;
  /** changes made here not yet on the server */
  waiting: number;
  /**
   * the latest changes in the server's order, everyone's: two edits of one field both appear,
   * the one that lost (the earlier) included
   */
  recent: ServerChange[];
  /** the server's refusal, in its words */
  refusal: string;
  /**
   * what of the person's own changes lost to someone else's removal, until they dismiss it (kept
   * across reloads with the copy); nobody else is told
   */
  lost: readonly LostEdit[];
  /** unique to this browser's copy: new steps' ids carry it */
  copyId: string;
  change(next: Workflow): void;
  /** forgets a lost edit the person has read */
  dismissLost(id: string): void;
  /** puts the removed item back, with the person's lost edits on it, and forgets the lost edit */
  putBackLost(id: string): void;
  /** sends what waits and hears what others did, now */
  sync(): Promise<void>;
}

/** Where what a copy keeps is stored (the page's localStorage in the app). */
interface CopyStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const COPY_ID_KEY = 'preflight.team.copy';
const copyKey = (projectId: string, workflowId: string) =>
  `preflight.team.workflow.${JSON.stringify([projectId, workflowId])}`;

/** This browser's copy id: made once, kept. */
function copyIdOf(store: CopyStore | undefined): string {
  const kept = store?.getItem(COPY_ID_KEY);
  if (kept) return kept;
  const made = crypto.randomUUID().slice(0, 6);
  store?.setItem(COPY_ID_KEY, made);
  return made;
}

/**
 * The shared workflow `workflowId` of team project `projectId`, edited over the app's signed-in
 * `session`. `ended`: the app's word that the session ended (any screen's 401); when it turns
 * false again (signed in again) what waits is sent.
 */
export function useSharedWorkflow(
  projectId: string,
  workflowId: string,
  session: TeamSession,
  options: {
    store?: CopyStore;
    transport?: SharedWorkflowTransport;
    pollMs?: number;
    ended?: boolean;
  } = {},
): SharedWorkflowState {
  const { store } = options;
  const [copyId] = useState(() => copyIdOf(store));
  const copyRef = useRef<SharedWorkflowCopy | null>(null);
  const [workflow, setWorkflow] = useState<Workflow | undefined>(undefined);
  const [status, setStatus] = useState<SyncStatus>('opening');
  const [waiting, setWaiting] = useState(0);
  const [lost, setLost] = useState<readonly LostEdit[]>([]);
  const [refusal, setRefusal] = useState('');
  const [recent, setRecent] = useState<ServerChange[]>([]);
  const transportRef = useRef(options.transport ?? sharedTransport(session, projectId, workflowId));
  const running = useRef(false);
  const again = useRef(false);
  const stopped = useRef(false);
  /** a 401 was heard: nothing is asked until the person is signed in again */
  const signedOut = useRef(false);
  /** opening again after signing in again, when the first opening met a 401 */
  const [attempt, setAttempt] = useState(0);

  const keep = useCallback(() => {
    const copy = copyRef.current;
    if (!copy) return;
    try {
      store?.setItem(copyKey(projectId, workflowId), JSON.stringify(copy.snapshot()));
    } catch {
      // the page's storage is full or blocked: the copy goes on in memory and is sent as usual
    }
    setWorkflow(copy.workflow);
    setWaiting(copy.pending.length);
    setLost((shown) =>
      shown.length === copy.lost.length && shown.every((l, i) => l === copy.lost[i]) ? shown : [...copy.lost],
    );
  }, [store, projectId, workflowId]);

  const sync = useCallback(async () => {
    const copy = copyRef.current;
    if (!copy || stopped.current || signedOut.current) return;
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    try {
      do {
        again.current = false;
        setStatus(copy.pending.length > 0 ? 'sending' : 'in-step');
        try {
          await copy.sync(transportRef.current);
          const { heard } = copy;
          setRecent((known) => recentChanges(known, heard));
          setStatus(copy.pending.length > 0 ? 'sending' : 'in-step');
        } catch (error) {
          if (error instanceof TeamError && error.signedOut) {
            signedOut.current = true;
            setStatus('signed-out');
          } else if (error instanceof TeamError && !error.offline) {
            setRefusal(error.message);
            setStatus(error.status === 404 ? 'gone' : 'refused');
            if (error.status === 404 || error.status === 403) stopped.current = true;
          } else setStatus('offline');
          again.current = false;
        }
        keep();
      } while (again.current);
    } finally {
      running.current = false;
    }
  }, [keep]);

  // open: the copy this page kept (edits made offline included), else the server's workflow
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` opens again once signed in again
  useEffect(() => {
    let cancelled = false;
    /** the changes made before this copy's head, for the list of recent changes */
    const earlier = (head: number) =>
      transportRef.current.pull(Math.max(0, head - RECENT_CHANGES)).then(
        (answer) => {
          if (!cancelled) setRecent((known) => recentChanges(known, answer.changes));
        },
        () => undefined,
      );
    const kept = store?.getItem(copyKey(projectId, workflowId));
    if (kept) {
      const copy = new SharedWorkflowCopy(JSON.parse(kept) as SharedCopyState);
      copyRef.current = copy;
      keep();
      void earlier(copy.head);
      void sync();
      return () => {
        cancelled = true;
      };
    }
    openSharedWorkflow(session, projectId, workflowId)
      .then(({ workflow: opened, head }) => {
        if (cancelled) return;
        copyRef.current = SharedWorkflowCopy.opened(copyId, opened, head);
        keep();
        setStatus('in-step');
        void earlier(head);
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        if (error instanceof TeamError && error.signedOut) {
          signedOut.current = true;
          setStatus('signed-out');
          return;
        }
        const refused = error instanceof TeamError && !error.offline;
        setRefusal(refused ? error.message : '');
        setStatus(refused ? 'gone' : 'offline');
      });
    return () => {
      cancelled = true;
    };
  }, [projectId, workflowId, session, store, copyId, keep, sync, attempt]);

  // signed in again after a 401: send what waits (or open what could not be opened)
  const { ended } = options;
  useEffect(() => {
    if (ended !== false || !signedOut.current) return;
    signedOut.current = false;
    if (copyRef.current) void sync();
    else setAttempt((n) => n + 1);
  }, [ended, sync]);

  // others' edits as the server tells of them; with the stream down, every few seconds while the
  // person is there (and with it up, now and then, in case an event was missed); at once when the
  // network comes back
  useTeamChanges(session, projectId, ['workflows'], sync);
  const lastActive = useRef(Date.now());
  useEffect(() => {
    let ticks = 0;
    const timer = setInterval(() => {
      if (document.visibilityState === 'hidden' || Date.now() - lastActive.current > POLL_IDLE_MS) return;
      ticks += 1;
      if (teamChangesLive(session.base, projectId) && ticks % POLLS_PER_LIVE_POLL !== 0) return;
      void sync();
    }, options.pollMs ?? POLL_MS);
    const online = () => void sync();
    // the network gone: said at once, even while a request sent before is still unanswered (a
    // connection that drops mid-request can hang for minutes; the browser does not fail it)
    const offline = () => setStatus((now) => (now === 'sending' || now === 'in-step' ? 'offline' : now));
    const active = () => {
      lastActive.current = Date.now();
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    window.addEventListener('keydown', active, true);
    window.addEventListener('pointerdown', active, true);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      window.removeEventListener('keydown', active, true);
      window.removeEventListener('pointerdown', active, true);
    };
  }, [sync, options.pollMs, session.base, projectId]);

  const change = useCallback(
    (next: Workflow) => {
      const copy = copyRef.current;
      if (!copy) return;
      lastActive.current = Date.now();
      copy.change(next);
      keep();
      void sync();
    },
    [keep, sync],
  );

  const dismissLost = useCallback(
    (id: string) => {
      copyRef.current?.dismissLost(id);
      keep();
    },
    [keep],
  );

  const putBackLost = useCallback(
    (id: string) => {
      const copy = copyRef.current;
      const edit = copy?.lost.find((l) => l.id === id);
      if (!copy || !edit) return;
      copy.dismissLost(id);
      change(putBack(copy.workflow, edit));
    },
    [change],
  );

  return {
    workflow,
    status,
    waiting,
    recent,
    refusal,
    lost,
    copyId,
    change,
    sync,
    dismissLost,
    putBackLost,
  };
}
