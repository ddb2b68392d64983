/**
 * What of a shared project the team server keeps apart from the records a copy holds, read for
 * its Readiness: the project's shared workflows (each as the server has it at its head, the
 * workflow every member's copy shows once it has heard that head) and the validation summaries
 * members' runs shared (`report-summary` records: counts and SHA-256s). Every member's browser
 * reads the same, so each judges the same input (src/core/readiness/shared.ts).
 *
 * Constraints: read again when the project's change stream tells of a workflow change or a
 * record written (a member's validation run shares its summary as a record); while a read runs, the
 * last one stays shown; a read that fails says why and counts nothing, never a part of it.
 */
import { useEffect, useState } from 'react';
import { reportSummariesOf, type TeamEvidence } from '../../core/readiness/index.ts';
import type { Workflow } from '../../formats/workflow.ts';
import type { TeamSession } from '../../storage/teamServer.ts';
import { readAllRecords } from '../team/sharedRecordsRead.ts';
import { useTeamChanges } from '../team/useTeamChanges.ts';
import { openSharedWorkflow, sharedWorkflows } from '../workflows/shared/teamApi.ts';

/** The team server's evidence of a shared project as last read, or why it could not be. */
interface TeamEvidenceRead {
  evidence?: Required<TeamEvidence>;
  unread?: string;
}

/** The kinds of change that may change the shared workflows or the validation summaries. */
const EVIDENCE_CHANGES = ['workflows', 'records'] as const;

/** The shared workflows and validation summaries of `server`'s project (none: not shared, or signed out). */
export function useTeamEvidence(
  server: { session: TeamSession; projectId: string } | undefined,
): TeamEvidenceRead {
  const [read, setRead] = useState<TeamEvidenceRead>({});
  const [heard, setHeard] = useState(0);
  useTeamChanges(server?.session, server?.projectId, EVIDENCE_CHANGES, () => setHeard((n) => n + 1));
  useEffect(() => {
    if (server === undefined || heard < 0) {
      setRead({});
      return;
    }
    let live = true;
    const { session, projectId } = server;
    (async () => {
      const listed = await sharedWorkflows(session, projectId);
      const workflows: Workflow[] = [];
      for (const w of listed) workflows.push((await openSharedWorkflow(session, projectId, w.id)).workflow);
      const reportSummaries = reportSummariesOf(await readAllRecords(session, projectId));
      return { workflows, reportSummaries };
    })().then(
      (evidence) => live && setRead({ evidence }),
      (error: Error) => live && setRead({ unread: error.message }),
    );
    return () => {
      live = false;
    };
  }, [server, heard]);
  return read;
}
