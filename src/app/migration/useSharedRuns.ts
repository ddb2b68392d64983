/**
 * The validation runs every member of a shared project shared with the team server, for the
 * Migration screen's rehearsals: each run's summary with who shared it and when
 * (src/core/teamRecords/sharedRehearsals.ts).
 *
 * Constraints: read again when the project's change stream tells of a record written (a member's
 * run shares its summary as a record); while a read runs, the last one stays shown; a read that
 * fails says why and shows none of it, never a part.
 */
import { useEffect, useState } from 'react';
import { type SharedRunSummary, sharedRunSummaries } from '../../core/teamRecords/index.ts';
import type { TeamSession } from '../../storage/teamServer.ts';
import { readAllRecords } from '../team/sharedRecordsRead.ts';
import { useTeamChanges } from '../team/useTeamChanges.ts';

/** The team's shared runs as last read, or why they could not be (neither: being read). */
interface SharedRunsRead {
  summaries?: SharedRunSummary[];
  unread?: string;
}

/** The kinds of change that may add or change a shared run. */
const RUN_CHANGES = ['records'] as const;

/** The shared runs of `server`'s project (nothing is read while `server` is undefined). */
export function useSharedRuns(
  server: { session: TeamSession; projectId: string } | undefined,
): SharedRunsRead {
  const [read, setRead] = useState<SharedRunsRead>({});
  const [heard, setHeard] = useState(0);
  useTeamChanges(server?.session, server?.projectId, RUN_CHANGES, () => setHeard((n) => n + 1));
  useEffect(() => {
    if (server === undefined || heard < 0) {
      setRead({});
      return;
    }
    let live = true;
    readAllRecords(server.session, server.projectId).then(
      (records) => live && setRead({ summaries: sharedRunSummaries(records) }),
      (error: Error) => live && setRead({ unread: error.message }),
    );
    return () => {
      live = false;
    };
  }, [server, heard]);
  return read;
}
