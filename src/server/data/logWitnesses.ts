/**
 * The latest tree head each member's browser reported it witnessed, per project (migration 17):
 * what a new browser of the team checks the server's head against (logRoutes.ts).
 *
 * Constraints: a member's row is replaced only by a larger head, so a stale report never hides a
 * later one; the rows are not part of the log — whoever writes the database can delete them, and
 * a new browser then says it had no head of the team's to check against.
 */
import type { SignedTreeHead } from '../../core/transparency/index.ts';
import type { Queryable } from '../database.ts';

/** Who reported, as their session names them. */
interface Reporter {
  issuer: string;
  subject: string;
  name: string;
}

/** Keeps `head` as `by`'s latest witnessed head of `project`, unless they reported a larger one. */
export async function keepWitnessedHead(
  q: Queryable,
  project: string,
  by: Reporter,
  head: SignedTreeHead,
  at: string,
): Promise<void> {
  await q.query(
    `INSERT INTO log_witnesses (project, issuer, subject, name, size, head, reported_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (project, issuer, subject) DO UPDATE
       SET name = EXCLUDED.name, size = EXCLUDED.size, head = EXCLUDED.head, reported_at = EXCLUDED.reported_at
       WHERE log_witnesses.size < EXCLUDED.size`,
    [project, by.issuer, by.subject, by.name, head.size, JSON.stringify(head), at],
  );
}

/** Every member's latest reported head of `project`, largest first; `asker`'s own marked `mine`. */
export async function witnessedHeads(
  q: Queryable,
  project: string,
  asker: Pick<Reporter, 'issuer' | 'subject'>,
): Promise<{ name: string; head: SignedTreeHead; reportedAt: string; mine?: true }[]> {
  const rows = await q.query<{
    issuer: string;
    subject: string;
    name: string;
    head: SignedTreeHead | string;
    reported_at: string;
  }>(
    'SELECT issuer, subject, name, head, reported_at FROM log_witnesses WHERE project = $1 ORDER BY size DESC, reported_at',
    [project],
  );
  // jsonb comes back parsed from node-postgres and PGlite alike; text if a driver gives it so
  return rows.map((r) => ({
    name: r.name,
    head: typeof r.head === 'string' ? (JSON.parse(r.head) as SignedTreeHead) : r.head,
    reportedAt: r.reported_at,
    ...(r.issuer === asker.issuer && r.subject === asker.subject ? { mine: true as const } : {}),
  }));
}
