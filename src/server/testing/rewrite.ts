/**
 * The rewrite whoever owns the server's database can make without the server, for the tests that
 * prove it is caught. Test-only: imported by *.test.ts files, never by the server.
 */

import { GENESIS_HASH } from '../../formats/auditLog.ts';
import { auditEntryHash, readAudit, type ServerAuditEntry } from '../auditLog.ts';
import type { Database } from '../database.ts';

/**
 * What a database owner can do without the server: switch the append-only trigger off, delete
 * the entry with `seq`, and re-number and re-chain every later entry (server-wide and in its
 * project) so that each hash is its content's again.
 */
export async function deleteAndRechain(db: Database, seq: number): Promise<void> {
  const all = await readAudit(db);
  const kept = all.filter((e) => e.seq !== seq);
  const rechained: ServerAuditEntry[] = [];
  const lastOfProject = new Map<string, ServerAuditEntry>();
  for (const [i, entry] of kept.entries()) {
    const project = entry.detail.project;
    const before = project === undefined ? undefined : lastOfProject.get(project);
    const { hash: _old, ...rest } = entry;
    const content = {
      ...rest,
      seq: i + 1,
      prevHash: rechained[i - 1]?.hash ?? entry.prevHash,
      ...(project === undefined
        ? {}
        : {
            projectSeq: (before?.projectSeq ?? 0) + 1,
            projectPrevHash: before?.hash ?? entry.projectPrevHash,
          }),
    };
    const next = { ...content, hash: auditEntryHash(content) };
    rechained.push(next);
    if (project !== undefined) lastOfProject.set(project, next);
  }
  await db.exec('ALTER TABLE audit_log DISABLE TRIGGER USER');
  await db.query('DELETE FROM audit_log WHERE seq >= $1', [seq]);
  for (const e of rechained.slice(seq - 1))
    await db.query(
      `INSERT INTO audit_log (seq, at, kind, actor, detail, prev_hash, hash, project, project_seq, project_prev_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        e.seq,
        e.at,
        e.kind,
        JSON.stringify(e.actor),
        JSON.stringify(e.detail),
        e.prevHash,
        e.hash,
        e.detail.project ?? null,
        e.projectSeq ?? null,
        e.projectPrevHash ?? null,
      ],
    );
  await db.exec('ALTER TABLE audit_log ENABLE TRIGGER USER');
}

/** And, to leave the server nothing to compare with, the heads it signed of `project`. */
export async function deleteSignedHeads(db: Database, project: string): Promise<void> {
  await db.exec('ALTER TABLE tree_heads DISABLE TRIGGER USER');
  await db.query('DELETE FROM tree_heads WHERE project = $1', [project]);
  await db.exec('ALTER TABLE tree_heads ENABLE TRIGGER USER');
}

/**
 * What a role of the database can append without the server: the next entry of `project`,
 * chained so every hash holds, dated `at` and said to be by `actor` — inserted into the table
 * (`insert`, as its owner can) or through the log's append function (`function`, as the runtime
 * role can).
 */
export async function appendAround(
  db: Database,
  project: string,
  entry: {
    at: string;
    kind: ServerAuditEntry['kind'];
    actor: ServerAuditEntry['actor'];
    detail?: Record<string, string>;
  },
  via: 'insert' | 'function',
): Promise<ServerAuditEntry> {
  const all = await readAudit(db);
  const last = all.at(-1);
  const lastOfProject = all.filter((e) => e.detail.project === project).at(-1);
  const content = {
    seq: (last?.seq ?? 0) + 1,
    at: entry.at,
    kind: entry.kind,
    actor: entry.actor,
    detail: { ...entry.detail, project },
    prevHash: last?.hash ?? GENESIS_HASH,
    projectSeq: (lastOfProject?.projectSeq ?? 0) + 1,
    projectPrevHash: lastOfProject?.hash ?? GENESIS_HASH,
  };
  const made = { ...content, hash: auditEntryHash(content) };
  const values = [
    made.seq,
    made.at,
    made.kind,
    JSON.stringify(made.actor),
    JSON.stringify(made.detail),
    made.prevHash,
    made.hash,
    project,
    made.projectSeq,
    made.projectPrevHash,
  ];
  await db.query(
    via === 'insert'
      ? `INSERT INTO audit_log (seq, at, kind, actor, detail, prev_hash, hash, project, project_seq, project_prev_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
      : 'SELECT audit_log_append($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10)',
    values,
  );
  return made;
}
