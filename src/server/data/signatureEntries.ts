/**
 * The signatures and anchors as the project's log holds them (`audit_log`): the SQL the signing
 * routes (signingRoutes.ts) read, each function over the database or the transaction of the route
 * that calls it.
 *
 * Constraints: the log is the record. A signature, a go or no-go and who signed it are read from
 * its entries, never from a copy; a hash is a value in these statements, never part of one.
 */
import { type ServerSteeringDecision, steeringDecisionOfEntry } from '../../core/signoff/signing/index.ts';
import type { ServerAuditEntry } from '../auditLog.ts';
import type { Queryable } from '../database.ts';

/** A go or no-go as read from the log: each signature with its signer's membership. */
type LoggedSteeringDecision = Omit<ServerSteeringDecision, 'signatures'> & {
  signatures: (ServerSteeringDecision['signatures'][number] & { member: string })[];
};

/** A signature entry of the log, as a signature's view is made from it. */
type SignatureEntry = Pick<ServerAuditEntry, 'seq' | 'hash' | 'at' | 'actor'> & {
  projectSeq: number;
  detail: Record<string, string>;
};

/** An entry an anchor question names, as the log holds it. */
type AnchoredEntry = {
  hash: string;
  project: string | null;
  project_seq: string | number | null;
  kind: string;
};

/** A signature entry's row as the log returns it (JSON columns as the driver gives them). */
type SignatureRow = {
  seq: string | number;
  project_seq: string | number;
  hash: string;
  at: Date | string;
  actor: unknown;
  detail: unknown;
};

const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** The signature entries that name review `reviewId` of the project, in the log's order. */
export async function reviewSignatureEntries(
  q: Queryable,
  projectId: string,
  reviewId: string,
): Promise<SignatureEntry[]> {
  const rows = await q.query<SignatureRow>(
    `SELECT seq, project_seq, hash, at, actor, detail FROM audit_log
         WHERE project = $1 AND kind = 'signature' AND detail->>'review' = $2 ORDER BY seq`,
    [projectId, reviewId],
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    projectSeq: Number(row.project_seq),
    hash: row.hash,
    at: new Date(row.at).toISOString(),
    actor: parsed(row.actor) as ServerAuditEntry['actor'],
    detail: parsed(row.detail) as Record<string, string>,
  }));
}

/**
 * The project's go/no-go decisions signed on this server, read from its log (the log is the
 * record), in the order of their first signature.
 */
export async function steeringDecisionsOf(
  q: Queryable,
  projectId: string,
): Promise<LoggedSteeringDecision[]> {
  const rows = await q.query<Omit<SignatureRow, 'seq' | 'hash'>>(
    `SELECT project_seq, at, actor, detail FROM audit_log
     WHERE project = $1 AND kind = 'signature' AND detail->>'steeringDecision' IS NOT NULL ORDER BY seq`,
    [projectId],
  );
  const byId = new Map<string, LoggedSteeringDecision>();
  for (const row of rows) {
    const detail = parsed(row.detail) as Record<string, string>;
    const actor = parsed(row.actor) as { subject: string; name: string };
    const content = steeringDecisionOfEntry(detail);
    if (content === undefined) continue;
    const decision = byId.get(content.id) ?? { ...content, hash: detail.hash ?? '', signatures: [] };
    byId.set(content.id, decision);
    decision.signatures.push({
      member: detail.member ?? '',
      projectSeq: Number(row.project_seq),
      signer: { subject: actor.subject, name: actor.name },
      role: detail.role ?? '',
      meaning: detail.meaning ?? '',
      signedAt: new Date(row.at).toISOString(),
    });
  }
  return [...byId.values()];
}

/** The log's entries of `hashes`, any project's (none asked, none read). */
export async function anchoredEntries(q: Queryable, hashes: readonly string[]): Promise<AnchoredEntry[]> {
  if (hashes.length === 0) return [];
  return q.query<AnchoredEntry>(
    'SELECT hash, project, project_seq, kind FROM audit_log WHERE hash = ANY($1::text[])',
    [[...hashes]],
  );
}

/** How many entries the project's log holds. */
export async function projectEntryCount(q: Queryable, projectId: string): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE project = $1', [
    projectId,
  ]);
  return Number(rows[0]?.n ?? 0);
}
