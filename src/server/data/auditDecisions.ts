/**
 * The decisions a project's audit export carries beside its entries (projectRoutes.ts): each
 * decision as the server stored it, by the hash of the audit entry that records it, so the export
 * binds the two (the entry holds the decision's SHA-256; the file holds what it hashes).
 *
 * Constraint: read in the export's transaction, in the server's order; nothing here changes a row.
 */
import type { Decision } from '../../formats/review.ts';
import type { Queryable } from '../database.ts';

/** Every decision recorded on `projectId`, with the hash of its audit entry, in the server's order. */
export async function decisionsByEntry(
  q: Queryable,
  projectId: string,
): Promise<{ auditHash: string; decision: Decision }[]> {
  const rows = await q.query<{ audit_hash: string; decision: Decision }>(
    'SELECT audit_hash, decision FROM review_decisions WHERE project_id = $1 ORDER BY review_id, seq',
    [projectId],
  );
  return rows.map((r) => ({ auditHash: r.audit_hash, decision: r.decision }));
}
