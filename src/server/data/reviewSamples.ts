/**
 * The review samples' tables (`review_samples`, `review_decisions`): the SQL the sample result
 * routes run. The review assignment routes' own statements (reviewAssignments.ts `storedSample`
 * and the rest) join this module when those routes are registered from their contracts.
 */
import type { Queryable } from '../database.ts';

/** The ids of every review sent on `projectId`, oldest sample first. */
export async function reviewIdsOf(q: Queryable, projectId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    'SELECT id FROM review_samples WHERE project_id = $1 ORDER BY assigned_at, id',
    [projectId],
  );
  return rows.map((row) => row.id);
}
