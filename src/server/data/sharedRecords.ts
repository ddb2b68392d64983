/**
 * The shared records' tables (`shared_records`, and the project's `records_head`): every SQL
 * statement the shared record routes run, as plain functions over the database's query interface.
 *
 * Constraints: a write takes the project's next version in the transaction that stores the
 * record, so versions are one sequence per project; the caller holds that transaction and has
 * locked the project's row (its role check) before {@link writeRecord}.
 */
import type { SharedRecord, SharedRecordKind } from '../../core/teamRecords/index.ts';
import type { Queryable } from '../database.ts';
import { ProjectRefusal } from '../projects.ts';

/** Records one project keeps, of all kinds. */
const MAX_RECORDS_PER_PROJECT = 5000;

interface RecordRow {
  kind: string;
  id: string;
  version: string | number;
  body: unknown;
  sha256: string;
  written_by_name: string;
  written_at: Date | string;
  [column: string]: unknown;
}
const COLUMNS = 'kind, id, version, body, sha256, written_by_name, written_at';
const recordOfRow = (r: RecordRow): SharedRecord => ({
  kind: r.kind as SharedRecordKind,
  id: r.id,
  version: Number(r.version),
  body: typeof r.body === 'string' ? JSON.parse(r.body) : (r.body ?? null),
  sha256: r.sha256,
  by: r.written_by_name,
  at: new Date(r.written_at).toISOString(),
});

/** The project's last version (0 before its first write). */
export async function recordsHead(q: Queryable, projectId: string): Promise<number> {
  const [project] = await q.query<{ records_head: string | number }>(
    'SELECT records_head FROM projects WHERE id = $1',
    [projectId],
  );
  return Number(project?.records_head ?? 0);
}

/** Up to `limit` records written after version `after`, oldest first. */
export async function recordsAfter(
  q: Queryable,
  projectId: string,
  after: number,
  limit: number,
): Promise<SharedRecord[]> {
  const rows = await q.query<RecordRow>(
    `SELECT ${COLUMNS} FROM shared_records WHERE project_id = $1 AND version > $2 ORDER BY version LIMIT $3`,
    [projectId, after, limit],
  );
  return rows.map(recordOfRow);
}

/** One record as the server holds it, or undefined. */
export async function recordOf(
  q: Queryable,
  projectId: string,
  kind: string,
  id: string,
): Promise<SharedRecord | undefined> {
  const rows = await q.query<RecordRow>(
    `SELECT ${COLUMNS} FROM shared_records WHERE project_id = $1 AND kind = $2 AND id = $3`,
    [projectId, kind, id],
  );
  return rows[0] === undefined ? undefined : recordOfRow(rows[0]);
}

/** Who last wrote record `id` of `kind`, and what it holds (its SHA-256); undefined: not held. */
export async function recordWriterOf(
  q: Queryable,
  projectId: string,
  kind: string,
  id: string,
): Promise<{ issuer: string; subject: string; sha256: string } | undefined> {
  const rows = await q.query<{ written_by_issuer: string; written_by_subject: string; sha256: string }>(
    `SELECT written_by_issuer, written_by_subject, sha256 FROM shared_records
      WHERE project_id = $1 AND kind = $2 AND id = $3`,
    [projectId, kind, id],
  );
  const row = rows[0];
  return row === undefined
    ? undefined
    : { issuer: row.written_by_issuer, subject: row.written_by_subject, sha256: row.sha256 };
}

/** A write of one record, as the route checked it. */
interface RecordWrite {
  projectId: string;
  kind: SharedRecordKind;
  id: string;
  /** the version the writer's copy was based on */
  baseVersion: number;
  /** the body as stored JSON; null removes the record */
  json: string | null;
  sha256: string;
  by: { issuer: string; subject: string; name: string };
  /** ISO 8601, the server's clock */
  at: string;
}

/**
 * What a write did: stored as a new version (`written`), found the server already holding
 * exactly it (`record` alone: nothing new), or was based on an older version than the server's
 * (`conflict`: the server's record, null when it was removed).
 */
type WriteOutcome = { record: SharedRecord; written: boolean } | { conflict: SharedRecord | null };

/**
 * Writes `write` in `tx` unless it conflicts.
 * @throws ProjectRefusal 404 removing a record the server does not have; 409 past {@link MAX_RECORDS_PER_PROJECT}
 */
export async function writeRecord(tx: Queryable, write: RecordWrite, noSuch: string): Promise<WriteOutcome> {
  const { projectId, kind, id } = write;
  const current = await recordOf(tx, projectId, kind, id);
  // the server already holds exactly this (a copy resending after a lost answer, or two copies of
  // one project): agreed as it is, with no new version
  if (current !== undefined && current.sha256 === write.sha256) return { record: current, written: false };
  if ((current?.version ?? 0) !== write.baseVersion) return { conflict: current ?? null };
  if (current === undefined) {
    if (write.json === null) throw new ProjectRefusal(404, noSuch);
    const [counted] = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM shared_records WHERE project_id = $1',
      [projectId],
    );
    if ((counted?.n ?? 0) >= MAX_RECORDS_PER_PROJECT)
      throw new ProjectRefusal(409, `a project keeps at most ${MAX_RECORDS_PER_PROJECT} shared records`);
  }
  const [head] = await tx.query<{ records_head: string | number }>(
    'UPDATE projects SET records_head = records_head + 1 WHERE id = $1 RETURNING records_head',
    [projectId],
  );
  const version = Number(head?.records_head);
  const { by } = write;
  await tx.query(
    `INSERT INTO shared_records
       (project_id, kind, id, version, body, sha256, written_by_issuer, written_by_subject, written_by_name, written_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (project_id, kind, id) DO UPDATE SET
       version = EXCLUDED.version, body = EXCLUDED.body, sha256 = EXCLUDED.sha256,
       written_by_issuer = EXCLUDED.written_by_issuer, written_by_subject = EXCLUDED.written_by_subject,
       written_by_name = EXCLUDED.written_by_name, written_at = EXCLUDED.written_at`,
    [projectId, kind, id, version, write.json, write.sha256, by.issuer, by.subject, by.name, write.at],
  );
  return { record: (await recordOf(tx, projectId, kind, id)) as SharedRecord, written: true };
}
