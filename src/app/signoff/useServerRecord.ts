/**
 * A review sent to a team project follows the server's record of it by itself: when the Sign-off
 * workspace shows it (and before each export), the decisions and signatures the server holds and
 * this review does not are read and replayed here in the server's order, one change
 * (`review/server-record`, src/core/signoff/signing/serverRecord.ts). No one brings anything in: the
 * progress, the verdict, the signing and the exports are of the server's record as last read, and
 * the line this hook feeds says when that was. It is read again whenever the project's change
 * stream says someone decided, ruled, signed or changed the review's assignments
 * (useTeamChanges.ts), so a co-signature or a new decision shows without a reload. The record is
 * read through the browser's one cache of team reads (`reviewRecordRead`), always afresh: two
 * reads at once of the same review make one request.
 *
 * Constraints: one read at a time (a second waits for the first, so a decision is never replayed
 * twice); the review replayed into is the one the page holds now (`ReviewActions.current`), not
 * the one of the render that started the read; nothing is sent but the review's own locked plan,
 * once, for a review sent before the server kept plans (the server keeps the first it is sent).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { actingStaffId } from '../../core/project/signoffSettings.ts';
import { ServerRecordError, serverRecordNews } from '../../core/signoff/signing/index.ts';
import type { TeamChangeKind } from '../../core/teamRecords/index.ts';
import type { Review } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { useTeamServerState } from '../team/teamContext.ts';
import { teamReadOptions } from '../team/teamQuery.ts';
import { reviewRecordRead } from '../team/teamReads.ts';
import { useTeamChanges } from '../team/useTeamChanges.ts';
import { useTeamQueryClient } from '../team/useTeamRead.ts';
import type { ReviewActions } from './reviewActions.ts';
import { sendPlan, teamProjectOfReview } from './serverReviews.ts';

/** The changes to a team project that change what the server's record of a review holds. */
const SERVER_RECORD_CHANGES: readonly TeamChangeKind[] = ['decisions', 'signatures', 'reviews'];

/** Where the review stands against the server's record. */
export type ServerRecordState =
  /** not sent to a team project, or this browser is not signed in to it: the review here is the record */
  | { phase: 'local' }
  | { phase: 'reading'; project: string }
  /** the review holds the server's record as read at `readAt` */
  | { phase: 'in-step'; project: string; decisions: number; signatures: number; readAt: string }
  | { phase: 'refused'; project: string; message: string };

/** The review's standing against the server's record, and a way to read it again now. */
export interface ServerRecord {
  state: ServerRecordState;
  /**
   * reads the server's record and replays what is new; resolves once the review holds it, rejects
   * with the reason when it cannot (nothing to do for a review that is not on a team server)
   */
  keepInStep: () => Promise<void>;
}

export function useServerRecord({
  review,
  plan,
  settings,
  actions,
}: {
  review: Review;
  plan: SamplePlan;
  settings: Record<string, unknown>;
  /** absent: read-only, the review is shown as it is here */
  actions: ReviewActions | undefined;
}): ServerRecord {
  const team = useTeamServerState();
  const session = team.phase === 'signed-in' ? team.client.session : undefined;
  const project = teamProjectOfReview(settings, review.id);
  const active = session !== undefined && project !== undefined && actions !== undefined;
  const [state, setState] = useState<ServerRecordState>(() =>
    active ? { phase: 'reading', project } : { phase: 'local' },
  );
  const latest = useRef({ review, plan, settings, actions });
  latest.current = { review, plan, settings, actions };
  const running = useRef<Promise<void> | undefined>(undefined);
  const planSent = useRef(false);
  const reads = useTeamQueryClient();

  const readOnce = useCallback(async (): Promise<void> => {
    if (session === undefined || project === undefined) return;
    const { actions: act, plan: locked, settings: now } = latest.current;
    if (act === undefined) return;
    const reviewId = latest.current.review.id;
    setState((s) => (s.phase === 'in-step' ? s : { phase: 'reading', project }));
    try {
      if (!planSent.current) {
        // a refusal (another plan kept, an older server) does not stop the record being read
        await sendPlan(session, project, reviewId, locked).catch(() => undefined);
        planSent.current = true;
      }
      const { decisions, signatures } = await reads.fetchQuery({
        ...teamReadOptions(session, project, reviewRecordRead, [reviewId]),
        staleTime: 0,
      });
      const here = act.current?.()?.reviews?.find((r) => r.id === reviewId) ?? latest.current.review;
      const news = serverRecordNews(here, locked, { project, decisions, signatures });
      if (news.decisions.length > 0 || news.signatures.length > 0 || news.entries !== undefined) {
        // when and by whom each signature was kept: the local chain's entry for it says so
        const by = actingStaffId(now, undefined);
        const keptAt = act.now();
        await act.commit({
          type: 'review/server-record',
          reviewId,
          decisions: news.decisions,
          ...(news.entries === undefined ? {} : { entries: news.entries }),
          signatures: news.signatures.map((s) => ({ ...s, keptAt, ...(by ? { keptBy: by } : {}) })),
        });
      }
      setState({
        phase: 'in-step',
        project,
        decisions: decisions.length,
        signatures: signatures.length,
        readAt: act.now(),
      });
    } catch (error) {
      const message =
        error instanceof ServerRecordError
          ? error.message
          : `the team server was not read: ${(error as Error).message}`;
      setState({ phase: 'refused', project, message });
      throw new Error(message);
    }
  }, [session, project, reads]);

  const keepInStep = useCallback((): Promise<void> => {
    const next = (running.current ?? Promise.resolve()).catch(() => undefined).then(readOnce);
    running.current = next;
    return next;
  }, [readOnce]);

  useEffect(() => {
    if (!active) {
      setState({ phase: 'local' });
      return;
    }
    keepInStep().catch(() => undefined);
  }, [active, keepInStep]);
  // others' decisions and signatures, as they are made (a refusal is said on the line)
  useTeamChanges(active ? session : undefined, active ? project : undefined, SERVER_RECORD_CHANGES, () =>
    keepInStep().catch(() => undefined),
  );

  return { state, keepInStep };
}
