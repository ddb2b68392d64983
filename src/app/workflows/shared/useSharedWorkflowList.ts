/**
 * The list of a shared project's shared workflows (names and heads, no workflow opened), read once
 * for the Workflows list page: its empty state asks whether the team has shared a workflow, and
 * "Shared with your team" lists them, both from this one read.
 *
 * Constraints: read again when the project's change stream tells of a workflow change, or when
 * asked (`reread`, after this person shared one); while a read runs, the last one stays shown; a
 * read that fails says why and lists none, never a part.
 */
import type { TeamSession } from '../../../storage/teamServer.ts';
import { useTeamRead } from '../../team/useTeamRead.ts';
import { type SharedWorkflowEntry, sharedWorkflows } from './teamApi.ts';

/** A shared project's list of shared workflows as last read, or why it could not be (neither: being read). */
export interface SharedWorkflowListRead {
  /** the team project it lists (undefined: none is read) */
  projectId?: string;
  list?: readonly SharedWorkflowEntry[];
  unread?: string;
  /** reads the list again now */
  reread: () => void;
}

/** The kinds of change that may change the list. */
const LIST_CHANGES = ['workflows'] as const;

/** The shared workflows listed in `server`'s project (nothing is read while `server` is undefined). */
export function useSharedWorkflowList(
  server: { session: TeamSession; projectId: string } | undefined,
): SharedWorkflowListRead {
  const { value, ...read } = useTeamRead(server, LIST_CHANGES, sharedWorkflows);
  return value === undefined ? read : { ...read, list: value };
}
