/**
 * The list of a shared project's shared workflows (names and heads, no workflow opened), the one
 * copy in the browser's cache of team reads (the Readiness's evidence reads it too), for the
 * Workflows list page: its empty state asks whether the team has shared a workflow, and
 * "Shared with your team" lists them, both from this one read.
 *
 * Constraints: read again when the project's change stream tells of a workflow change, or when
 * asked (`reread`, after this person shared one); while a read runs, the last one stays shown; a
 * read that fails says why and lists none, never a part.
 */
import { sharedWorkflowListRead } from '../../team/teamReads.ts';
import { type TeamReadServer, useTeamRead } from '../../team/useTeamRead.ts';
import type { SharedWorkflowEntry } from './teamApi.ts';

/** A shared project's list of shared workflows as last read, or why it could not be (neither: being read). */
export interface SharedWorkflowListRead {
  /** the team project it lists (undefined: none is read) */
  projectId?: string;
  list?: readonly SharedWorkflowEntry[];
  unread?: string;
  /** reads the list again now */
  reread: () => void;
}

/** The shared workflows listed in `server`'s project (nothing is read while `server` is undefined). */
export function useSharedWorkflowList(server: TeamReadServer): SharedWorkflowListRead {
  const { value, ...read } = useTeamRead(server, sharedWorkflowListRead);
  return value === undefined ? read : { ...read, list: value };
}
