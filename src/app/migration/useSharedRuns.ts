/**
 * The validation runs every member of a shared project shared with the team server, for the
 * Migration screen's rehearsals: each run's summary with who shared it and when
 * (src/core/teamRecords/sharedRehearsals.ts).
 *
 * Constraints: read again when the project's change stream tells of a record written (a member's
 * run shares its summary as a record); while a read runs, the last one stays shown; a read that
 * fails says why and shows none of it, never a part.
 */
import { type SharedRunSummary, sharedRunSummaries } from '../../core/teamRecords/index.ts';
import type { TeamSession } from '../../storage/teamServer.ts';
import { readAllRecords } from '../team/sharedRecordsRead.ts';
import { useTeamRead } from '../team/useTeamRead.ts';

/** The team's shared runs as last read, or why they could not be (neither: being read). */
interface SharedRunsRead {
  summaries?: SharedRunSummary[];
  unread?: string;
}

/** The kinds of change that may add or change a shared run. */
const RUN_CHANGES = ['records'] as const;

/** Every shared record of a project, as the runs the team shared. */
const readRuns = async (session: TeamSession, projectId: string) =>
  sharedRunSummaries(await readAllRecords(session, projectId));

/** The shared runs of `server`'s project (nothing is read while `server` is undefined). */
export function useSharedRuns(
  server: { session: TeamSession; projectId: string } | undefined,
): SharedRunsRead {
  const { value, unread } = useTeamRead(server, RUN_CHANGES, readRuns);
  if (value !== undefined) return { summaries: value };
  return unread === undefined ? {} : { unread };
}
