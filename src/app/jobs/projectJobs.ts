/**
 * When the open project changes, the jobs started for it stop: a validation run belongs to the
 * project whose files it reads, and the user who switched, deleted or wiped it has left that work.
 * This decides, from two states of the project session, whether running jobs must be cancelled and
 * with which reason, so the cancelled job can say what stopped it.
 */
import type { SessionState } from '../projects/projectSession.ts';
import type { CancelReason } from './jobRegistry.ts';

/** The parts of the session state that decide whether jobs stop. */
export interface OpenProject {
  phase: SessionState['phase'];
  /** The open project's id, or null when none is open. */
  projectId: string | null;
  /** Ids of the stored projects, to tell a deleted project from a switch. */
  projectIds: readonly string[];
}

/** The {@link OpenProject} of a session state. */
export function openProjectOf(state: SessionState): OpenProject {
  return {
    phase: state.phase,
    projectId: state.project?.meta.id ?? null,
    projectIds: state.projects.map((p) => p.id),
  };
}

/**
 * Why running jobs must stop when the session goes from `previous` to `next`, or null when they run
 * on (an edit, a rename, a save, another project deleted, the first project opening).
 */
export function cancelReasonForProjectChange(previous: OpenProject, next: OpenProject): CancelReason | null {
  if (next.phase === 'wiped') return previous.phase === 'wiped' ? null : 'projectWiped';
  if (previous.projectId === null || previous.projectId === next.projectId) return null;
  return next.projectIds.includes(previous.projectId) ? 'projectSwitched' : 'projectDeleted';
}
