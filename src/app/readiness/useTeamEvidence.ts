/**
 * What of a shared project the team server keeps apart from the records a copy holds, read for
 * its Readiness: the project's shared workflows (each as the server has it at its head, the
 * workflow every member's copy shows once it has heard that head) and the validation summaries
 * members' runs shared (`report-summary` records: counts and SHA-256s). Every member's browser
 * reads the same, so each judges the same input (src/core/readiness/shared.ts).
 *
 * Each part is the one copy in the browser's cache of team reads (the Workflows list and the
 * Migration's rehearsals read the same list and records).
 *
 * Constraints: read again when the project's change stream tells of a workflow change or a
 * record written (a member's validation run shares its summary as a record); while a read runs, the
 * last one stays shown; a read that fails says why and counts nothing, never a part of it.
 */
import { useMemo, useRef } from 'react';
import { reportSummariesOf, type TeamEvidence } from '../../core/readiness/index.ts';
import { sharedRecordsRead, sharedWorkflowListRead, sharedWorkflowRead } from '../team/teamReads.ts';
import { type TeamReadServer, useTeamRead, useTeamReads } from '../team/useTeamRead.ts';

/** The team server's evidence of a shared project as last read, or why it could not be. */
interface TeamEvidenceRead {
  evidence?: Required<TeamEvidence>;
  unread?: string;
}

/** The shared workflows and validation summaries of `server`'s project (none: not shared, or signed out). */
export function useTeamEvidence(server: TeamReadServer): TeamEvidenceRead {
  const list = useTeamRead(server, sharedWorkflowListRead);
  const ids = useMemo(() => list.value?.map((w) => w.id), [list.value]);
  const opened = useTeamReads(server, sharedWorkflowRead, ids);
  const records = useTeamRead(server, sharedRecordsRead);
  const workflows = useMemo(() => opened.values?.map((o) => o.workflow), [opened.values]);
  const reportSummaries = useMemo(
    () => (records.value === undefined ? undefined : reportSummariesOf(records.value)),
    [records.value],
  );
  const complete = useMemo(
    () =>
      workflows === undefined || reportSummaries === undefined ? undefined : { workflows, reportSummaries },
    [workflows, reportSummaries],
  );
  // a workflow newly listed is being opened: the evidence as last read stays shown meanwhile
  const last = useRef<{ projectId: string; evidence: Required<TeamEvidence> } | undefined>(undefined);
  const unread = list.unread ?? opened.unread ?? records.unread;
  if (server === undefined || unread !== undefined) {
    last.current = undefined;
    return unread === undefined ? {} : { unread };
  }
  if (complete !== undefined) last.current = { projectId: server.projectId, evidence: complete };
  return last.current?.projectId === server.projectId ? { evidence: last.current.evidence } : {};
}
