/**
 * The signed-in person's role on the team project the open project is shared with, as the server
 * says it (`GET /api/projects/:id`): a screen that lets a person decide something in a shared
 * project shows who decides — the member signed in, with her role — instead of asking, and offers
 * the decision only where the role may make it (the core's role table, which the server refuses
 * by). Read once per sharing state; a read that fails says why and grants nothing.
 */
import { useEffect, useState } from 'react';
import type { ProjectSharing } from './projectSharing.ts';
import type { TeamRole } from './teamClient.ts';

/** The member's role as read, or why it is not known. */
export type MemberRoleRead =
  | { state: 'reading' }
  | { state: 'read'; name: string; role: TeamRole }
  | { state: 'failed'; why: string };

/** The role of the person signed in on `sharing`'s team project; undefined: not shared, or nobody signed in. */
export function useMemberRole(sharing: ProjectSharing): MemberRoleRead | undefined {
  const [read, setRead] = useState<{ of: ProjectSharing; role: MemberRoleRead } | undefined>();
  const signer = sharing.kind === 'shared' ? sharing.signer : undefined;
  useEffect(() => {
    if (sharing.kind !== 'shared' || signer === undefined) return;
    let live = true;
    signer.client.project(sharing.teamProjectId).then(
      (p) => live && setRead({ of: sharing, role: { state: 'read', name: signer.user.name, role: p.role } }),
      (error: unknown) =>
        live &&
        setRead({
          of: sharing,
          role: { state: 'failed', why: error instanceof Error ? error.message : 'no answer' },
        }),
    );
    return () => {
      live = false;
    };
  }, [sharing, signer]);
  if (sharing.kind !== 'shared' || signer === undefined) return undefined;
  // an answer about an earlier sharing (another person, another project) is not this one's
  return read?.of === sharing ? read.role : { state: 'reading' };
}
