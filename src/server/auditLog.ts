/**
 * The server's audit log: one row per sign-in, failed sign-in, sign-out, project created or
 * renamed, member added, changed or removed, project log read, workflow shared, workflow version
 * named or restored, review assigned (and its plan sent), sampled records sent and each read of one,
 * review decision and adjudication, decision recorded from a review packet (and, as the server
 * grows, other exports), and refused attempts that are evidence (a key of another person, a
 * self-confirmation of one's own key, a signature with a key not the signer's). The
 * database numbers the entries (`seq`, one after another with no gap, under a lock) and refuses
 * UPDATE, DELETE and TRUNCATE on the table (a trigger, migration 2), so the log is append-only
 * whoever connects. Entries go in through one function (`audit_log_append`, migrations 16,
 * 18 and 20) that takes them only at the log's end and in time order, each dated in UTC as
 * `toISOString` writes it and no more than five minutes past the database's clock; the server's
 * runtime role may call it and may not insert otherwise (databaseRoles.ts). A server whose clock
 * runs further ahead of its database's has its writes refused, saying so.
 *
 * Constraints: `hash` = SHA-256 of the RFC 8785 canonical JSON of the entry without `hash`
 * (its `prevHash` included), the same rule as the sign-off chain (src/core/signoff/signing/auditChain.ts),
 * kept with the export format (src/formats/projectAudit.ts): changing what goes into it breaks
 * every exported log. Entries hold who, what and when —
 * never record content. An entry is appended in the same transaction as the change it records
 * (or the refusal: the transaction commits the entry and the refusal is said after).
 */

import type { AuditKind } from '../core/teamApi/index.ts';
import { GENESIS_HASH } from '../formats/auditLog.ts';
import { type ServerAuditRecord, serverAuditEntryHash } from '../formats/projectAudit.ts';
import type { Queryable } from './database.ts';

/**
 * What the server records (the core's one table of kinds, with their labels: every screen and
 * printout names an entry by it). A project's entries carry its id as `detail.project`.
 */
export type ServerAuditKind = AuditKind;

/** Who did it, as the identity provider named them (absent for a failed sign-in). */
export interface AuditActor {
  issuer: string;
  subject: string;
  name: string;
}

/**
 * One entry of the server's audit log. An entry about a project (`detail.project`) is also a
 * link of that project's own chain (`projectSeq`, `projectPrevHash`), so the lead's export of a
 * project is a whole chain that is verified without the other projects' entries.
 */
export interface ServerAuditEntry extends ServerAuditRecord {
  kind: ServerAuditKind;
  actor: AuditActor | null;
}

/** Serialises appends, so `seq` and `prevHash` follow the last committed entry. */
const AUDIT_LOCK = 72_657_369;

/** The hash of `entry` (everything but its own `hash`): the rule exported logs are verified by. */
export const auditEntryHash: (entry: Omit<ServerAuditEntry, 'hash'>) => string = serverAuditEntryHash;

/** One event to record: when (the server's clock), what, by whom, and its ids. */
export interface AuditEvent {
  at: number;
  kind: ServerAuditKind;
  actor: AuditActor | null;
  detail?: Record<string, string>;
}

/** Takes the lock that serialises appends (held to the end of `tx`). */
export async function lockAudit(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
}

/**
 * Where the counters of a project's refused attempts that were folded into one entry, and not yet
 * recorded as repeated, are kept (refusalFolds.ts): a row of `rate_limit_windows` whose key
 * starts so, `hits` the attempts counted (the first one is an entry already), `ends_at` the end
 * of the fold's window.
 */
export const foldKeyPrefix = (project: string) => `audit-fold|${project}|`;

/**
 * Appends one entry in `tx` (call it inside the transaction of the change it records). An entry
 * of a project first records the project's refused attempts counted since their first entry, one
 * `refusal-repeated` entry each (refusalFolds.ts), so a count is in the log before what follows it.
 */
export async function appendAudit(tx: Queryable, event: AuditEvent): Promise<ServerAuditEntry> {
  await lockAudit(tx);
  const project = event.detail?.project;
  if (project !== undefined) await recordRepeats(tx, project, event.at);
  return appendEntry(tx, event);
}

/**
 * Records the repeats counted of `project`'s folded refusals (each fold of more than one attempt):
 * one `refusal-repeated` entry each, in the name of the person refused, naming the fold's first
 * entry; the count starts again from that entry. `only`: the fold of that key alone. Call it with
 * the audit lock held.
 */
export async function recordRepeats(
  tx: Queryable,
  project: string,
  at: number,
  only?: string,
): Promise<void> {
  const folds = await tx.query<{ key: string; hits: number }>(
    only === undefined
      ? 'SELECT key, hits FROM rate_limit_windows WHERE key LIKE $1 AND hits > 1 ORDER BY key FOR UPDATE'
      : 'SELECT key, hits FROM rate_limit_windows WHERE key = $1 AND hits > 1 FOR UPDATE',
    [only ?? `${foldKeyPrefix(project).replace(/[\\%_]/g, '\\$&')}%`],
  );
  for (const fold of folds) {
    const id = fold.key.slice(foldKeyPrefix(project).length);
    const first = await tx.query<{
      seq: string | number;
      project_seq: string | number;
      hash: string;
      at: string;
      actor: AuditActor | null;
      detail: Record<string, string>;
    }>(
      `SELECT seq, project_seq, hash, at, actor, detail FROM audit_log WHERE project = $1 AND detail->>'fold' = $2
       ORDER BY seq DESC LIMIT 1`,
      [project, id],
    );
    const entry = first[0];
    await tx.query('UPDATE rate_limit_windows SET hits = 1 WHERE key = $1', [fold.key]);
    if (entry === undefined) continue;
    const { session, signedInAt, subject, about, reason } = entry.detail;
    await appendEntry(tx, {
      at,
      kind: 'refusal-repeated',
      actor: entry.actor,
      detail: {
        project,
        fold: id,
        // the first entry by its number in the project's log (as the lead's table numbers it) and its hash
        first: String(entry.project_seq),
        firstHash: entry.hash,
        since: entry.at,
        repeats: String(Number(fold.hits) - 1),
        ...(about === undefined ? {} : { about }),
        ...(reason === undefined ? {} : { reason }),
        ...(subject === undefined ? {} : { subject }),
        // the first attempt's session: the count is the server's, of that person's attempts
        ...(session === undefined ? {} : { session }),
        ...(signedInAt === undefined ? {} : { signedInAt }),
      },
    });
  }
}

/** Appends `event` at the log's end (the audit lock held). */
async function appendEntry(tx: Queryable, event: AuditEvent): Promise<ServerAuditEntry> {
  const last = await tx.query<{ seq: string | number; hash: string; at: string }>(
    'SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  const project = event.detail?.project;
  const lastOfProject =
    project === undefined
      ? []
      : await tx.query<{ project_seq: string | number; hash: string }>(
          // by the project's own order, which its index keeps: one look-up, whatever the log's size
          'SELECT project_seq, hash FROM audit_log WHERE project = $1 ORDER BY project_seq DESC LIMIT 1',
          [project],
        );
  const entry: Omit<ServerAuditEntry, 'hash'> = {
    seq: last[0] === undefined ? 1 : Number(last[0].seq) + 1,
    // never before the entry it follows: a clock set back, or another process's a little ahead,
    // dates it at that entry's time (the log takes entries in time order only)
    at: new Date(Math.max(event.at, last[0] === undefined ? event.at : Date.parse(last[0].at))).toISOString(),
    kind: event.kind,
    actor: event.actor,
    detail: event.detail ?? {},
    prevHash: last[0]?.hash ?? GENESIS_HASH,
    ...(project === undefined
      ? {}
      : {
          projectSeq: lastOfProject[0] === undefined ? 1 : Number(lastOfProject[0].project_seq) + 1,
          projectPrevHash: lastOfProject[0]?.hash ?? GENESIS_HASH,
        }),
  };
  const hash = auditEntryHash(entry);
  await tx.query('SELECT audit_log_append($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10)', [
    entry.seq,
    entry.at,
    entry.kind,
    JSON.stringify(entry.actor),
    JSON.stringify(entry.detail),
    entry.prevHash,
    hash,
    project ?? null,
    entry.projectSeq ?? null,
    entry.projectPrevHash ?? null,
  ]);
  return { ...entry, hash };
}

/**
 * Every entry in order, or with `project` only that project's entries (`detail.project`), or with
 * `hashes` only the entries of those hashes.
 */
export async function readAudit(
  db: Queryable,
  filter: { project?: string; hashes?: readonly string[] } = {},
): Promise<ServerAuditEntry[]> {
  if (filter.hashes?.length === 0) return [];
  const rows = await db.query<{
    seq: string | number;
    at: string;
    kind: ServerAuditKind;
    actor: AuditActor | null;
    detail: Record<string, string>;
    prev_hash: string;
    project_seq: string | number | null;
    project_prev_hash: string | null;
    hash: string;
  }>(
    `SELECT seq, at, kind, actor, detail, prev_hash, project_seq, project_prev_hash, hash FROM audit_log
     ${filter.hashes !== undefined ? 'WHERE hash = ANY($1::text[])' : filter.project === undefined ? '' : 'WHERE project = $1'} ORDER BY seq`,
    filter.hashes !== undefined ? [[...filter.hashes]] : filter.project === undefined ? [] : [filter.project],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at,
    kind: r.kind,
    actor: r.actor,
    detail: r.detail,
    prevHash: r.prev_hash,
    ...(r.project_seq === null
      ? {}
      : { projectSeq: Number(r.project_seq), projectPrevHash: r.project_prev_hash as string }),
    hash: r.hash,
  }));
}

/**
 * The first entry of `entries` that breaks the chain — a gap in `seq`, a `prevHash` that is not
 * the entry before's hash, or a hash that is not its content's — or undefined when all hold.
 */
export function firstBrokenAuditEntry(
  entries: readonly ServerAuditEntry[],
): { seq: number; problem: 'sequence' | 'link' | 'hash' } | undefined {
  let prev = GENESIS_HASH;
  for (const [i, entry] of entries.entries()) {
    if (entry.seq !== i + 1) return { seq: entry.seq, problem: 'sequence' };
    if (entry.prevHash !== prev) return { seq: entry.seq, problem: 'link' };
    if (auditEntryHash(entry) !== entry.hash) return { seq: entry.seq, problem: 'hash' };
    prev = entry.hash;
  }
  return undefined;
}
