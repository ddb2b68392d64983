/**
 * The validation runs every member of a shared project shared with the team server, for the
 * Migration screen's rehearsals: each run's summary with who shared it and when
 * (src/core/teamRecords/sharedRehearsals.ts), from the project's shared records as the browser's
 * cache of team reads holds them (the Readiness's evidence reads the same copy).
 *
 * Constraints: read again when the project's change stream tells of a record written (a member's
 * run shares its summary as a record); while a read runs, the last one stays shown; a read that
 * fails says why and shows none of it, never a part.
 */
import { useMemo } from 'react';
import { type SharedRunSummary, sharedRunSummaries } from '../../core/teamRecords/index.ts';
import { sharedRecordsRead } from '../team/teamReads.ts';
import { type TeamReadServer, useTeamRead } from '../team/useTeamRead.ts';

/** The team's shared runs as last read, or why they could not be (neither: being read). */
interface SharedRunsRead {
  summaries?: SharedRunSummary[];
  unread?: string;
}

/** The shared runs of `server`'s project (nothing is read while `server` is undefined). */
export function useSharedRuns(server: TeamReadServer): SharedRunsRead {
  const { value, unread } = useTeamRead(server, sharedRecordsRead);
  const summaries = useMemo(() => (value === undefined ? undefined : sharedRunSummaries(value)), [value]);
  if (summaries !== undefined) return { summaries };
  return unread === undefined ? {} : { unread };
}
