/**
 * Where a decision on a review is made. A review of this browser's own project is decided here,
 * by whoever types their name; a review sent to a team project, or any review of a project shared
 * with the team server, is decided on the server by the person signed in there — each reviewer and
 * adjudicator on the records the lead assigned her ("My assigned records" on the team project's
 * page) — and reaches this screen through the server's record (useServerRecord.ts).
 *
 * Constraint: until the project's sharing is read the answer is `reading`, and a screen offers no
 * decision form then (a shared project must never be decided under a typed name).
 */
import { type ProjectSharing, useProjectSharing } from '../team/projectSharing.ts';
import { teamProjectOfReview } from './serverReviews.ts';

/** Where the review's decisions are made. */
export type DecisionPlace =
  /** this browser's project alone: decided here, as always */
  | { kind: 'here' }
  /** whether the project is shared is still being read */
  | { kind: 'reading' }
  /**
   * on the team server: `teamProjectId` is where (absent when not known here); `sent` whether this
   * review was sent there (if not, the lead sends it to the reviewers first)
   */
  | { kind: 'server'; teamProjectId?: string; sent: boolean };

/** The place of a decision, from the review's team project (if sent) and the project's sharing. */
function decisionPlace(sentTo: string | undefined, sharing: ProjectSharing): DecisionPlace {
  if (sentTo !== undefined) return { kind: 'server', teamProjectId: sentTo, sent: true };
  if (sharing.kind === 'shared') return { kind: 'server', teamProjectId: sharing.teamProjectId, sent: false };
  return sharing.kind === 'reading' ? { kind: 'reading' } : { kind: 'here' };
}

/**
 * Where decisions on `reviewId` of `project` are made. `offline`: a reviewer's own review packet,
 * which is decided here whatever the project it came from.
 */
export function useDecisionPlace(
  project: { meta: { id: string; settings: Record<string, unknown> } },
  reviewId: string,
  offline = false,
): DecisionPlace {
  const sharing = useProjectSharing(offline ? undefined : project.meta.id);
  if (offline) return { kind: 'here' };
  return decisionPlace(teamProjectOfReview(project.meta.settings, reviewId), sharing);
}
