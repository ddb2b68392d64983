/**
 * The signed-in person's role on the team project the open project is shared with, as the server
 * says it (`GET /api/projects/:id`, the project's one copy in the browser's cache of team reads): a
 * screen that lets a person decide something in a shared project shows who decides — the member
 * signed in, with her role — instead of asking, and offers the decision only where the role may
 * make it (the core's role table, which the server refuses by). Read again when the roster
 * changes; a read that fails says why and grants nothing.
 */
import { type ProjectSharing, useSignedInTeamProject } from './projectSharing.ts';
import type { TeamRole } from './teamClient.ts';
import { teamProjectRead } from './teamReads.ts';
import { useTeamRead } from './useTeamRead.ts';

/** The member's role as read, or why it is not known. */
export type MemberRoleRead =
  | { state: 'reading' }
  | { state: 'read'; name: string; role: TeamRole }
  | { state: 'failed'; why: string };

/** The role of the person signed in on `sharing`'s team project; undefined: not shared, or nobody signed in. */
export function useMemberRole(sharing: ProjectSharing): MemberRoleRead | undefined {
  const server = useSignedInTeamProject(sharing);
  const read = useTeamRead(server, teamProjectRead);
  if (server === undefined) return undefined;
  if (read.unread !== undefined) return { state: 'failed', why: read.unread };
  if (read.value === undefined) return { state: 'reading' };
  return { state: 'read', name: server.user.name, role: read.value.role };
}
