/**
 * The server's audit log on both engines (PGlite and a real PostgreSQL): numbered by the
 * server with no gap even under concurrent appends, hash-chained, and append-only in the
 * database itself — UPDATE, DELETE and TRUNCATE are refused by a trigger whoever connects, as
 * they are on the review decisions, the server's log keys and the tree heads it signed.
 */
import { describe, expect, it } from 'vitest';
import { firstBrokenProjectEntry } from '../formats/projectAudit.ts';
import {
  appendAudit,
  type Database,
  firstBrokenAuditEntry,
  migrate,
  readAudit,
  type ServerAuditEntry,
} from './index.ts';
import { fileTestEngines } from './testing/databases.ts';

const testEngines = fileTestEngines();
const running = () => testEngines.running();

const AT = Date.UTC(2026, 0, 5, 9);
const ana = { issuer: 'https://id.clinic.test', subject: 'ana', name: 'Ana Lyst' };

async function migrated(engine: 'embedded' | 'postgres'): Promise<Database> {
  const db = await running().open(engine);
  await migrate(db);
  return db;
}

const ENGINES = ['embedded', 'postgres'] as const;

/**
 * The tables the database itself keeps append-only (one trigger function refuses for both), each
 * with one row put in, so a row trigger has a row to refuse; `column` is one to try to set.
 */
const APPEND_ONLY = [
  {
    table: 'audit_log',
    column: 'kind',
    seed: async (db: Database) => {
      await appendAudit(db, { at: AT, kind: 'sign-in', actor: ana });
    },
  },
  {
    table: 'review_decisions',
    column: 'stage',
    // a project, a sample of one record, and one decision on it, as the review routes store them
    seed: (db: Database) =>
      db.exec(`
        INSERT INTO projects (id, name, created_at, created_by_issuer, created_by_subject)
          VALUES ('p', 'P', now(), 'i', 's');
        INSERT INTO review_samples (project_id, id, review, dual_review, assigned_at, assigned_by_subject, head)
          VALUES ('p', 'r', '{}', false, now(), 's', '{}');
        INSERT INTO review_records (project_id, review_id, id, stratum, record_key, first_member, drawn)
          VALUES ('p', 'r', 1, 'all', 'k1', 'm', '{}');
        INSERT INTO review_decisions (project_id, review_id, seq, record_id, decision_id, stage, member_id,
          received_at, decision, audit_hash)
          VALUES ('p', 'r', 1, 1, 'd1', 'first', 'm', now(), '{}', 'h');
      `),
  },
  {
    table: 'log_keys',
    column: 'public_key',
    // the server's log key, as openLogSigner records it (transparencyLog.ts)
    seed: (db: Database) =>
      db.exec(
        `INSERT INTO log_keys (key_id, public_key, private_key, created_at) VALUES ('k', 'p', NULL, 't')`,
      ),
  },
  {
    table: 'tree_heads',
    column: 'root_hash',
    // a head signed with that key
    seed: (db: Database) =>
      db.exec(
        `INSERT INTO tree_heads (project, size, root_hash, at, key_id, signature) VALUES ('p', 1, 'r', 't', 'k', 's')`,
      ),
  },
];

describe.each(ENGINES)('the audit log on %s', (engine) => {
  const skip = () => !running().engines.some((e) => e.engine === engine);

  it('numbers entries from 1 and chains each to the one before', async ({ skip: skipTest }) => {
    if (skip()) skipTest();
    const db = await migrated(engine);
    try {
      await appendAudit(db, { at: AT, kind: 'sign-in', actor: ana, detail: { address: '127.0.0.1' } });
      await db.transaction((tx) => appendAudit(tx, { at: AT + 1, kind: 'sign-out', actor: ana }));
      await appendAudit(db, { at: AT + 2, kind: 'sign-in-failed', actor: null, detail: { reason: 'x' } });
      const entries = await readAudit(db);
      expect(entries.map((e) => [e.seq, e.kind])).toEqual([
        [1, 'sign-in'],
        [2, 'sign-out'],
        [3, 'sign-in-failed'],
      ]);
      expect(entries[0]?.at).toBe('2026-01-05T09:00:00.000Z');
      expect(firstBrokenAuditEntry(entries)).toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it('keeps the sequence whole under concurrent appends', async ({ skip: skipTest }) => {
    if (skip()) skipTest();
    const db = await migrated(engine);
    try {
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          db.transaction((tx) => appendAudit(tx, { at: AT + i, kind: 'sign-in', actor: ana })),
        ),
      );
      const entries = await readAudit(db);
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(firstBrokenAuditEntry(entries)).toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it.for([
    ['UPDATE', (table: string, column: string) => `UPDATE ${table} SET ${column} = ${column}`],
    ['DELETE', (table: string) => `DELETE FROM ${table}`],
    ['TRUNCATE', (table: string) => `TRUNCATE ${table}`],
  ] as const)('refuses %s in the database itself', async ([operation, sql], { skip: skipTest }) => {
    if (skip()) skipTest();
    const db = await migrated(engine);
    try {
      for (const { seed } of APPEND_ONLY) await seed(db);
      for (const { table, column } of APPEND_ONLY) {
        await expect(db.query(sql(table, column)), table).rejects.toThrow(
          `the audit log is append-only: ${operation} is refused`,
        );
        expect(await db.query(`SELECT count(*)::int AS n FROM ${table}`), table).toEqual([{ n: 1 }]);
      }
    } finally {
      await db.close();
    }
  });
});

describe('checking a chain', () => {
  it.each([
    {
      description: 'an entry changed',
      change: (e: ServerAuditEntry[]) => Object.assign(e[1] as object, { kind: 'sign-out' }),
      seq: 2,
      problem: 'hash',
    },
    {
      description: 'an entry removed',
      change: (e: ServerAuditEntry[]) => e.splice(1, 1),
      seq: 3,
      problem: 'sequence',
    },
    {
      description: 'two entries swapped',
      change: (e: ServerAuditEntry[]) => e.reverse(),
      seq: 3,
      problem: 'sequence',
    },
    {
      description: 'an entry relinked',
      change: (e: ServerAuditEntry[]) => Object.assign(e[2] as object, { prevHash: e[0]?.hash }),
      seq: 3,
      problem: 'link',
    },
  ])('finds $description', async ({ change, seq, problem }) => {
    const db = await migrated('embedded');
    try {
      for (let i = 0; i < 3; i++) await appendAudit(db, { at: AT + i, kind: 'sign-in', actor: ana });
      const entries = await readAudit(db);
      expect(firstBrokenAuditEntry(entries)).toBeUndefined();
      change(entries);
      expect(firstBrokenAuditEntry(entries)).toEqual({ seq, problem });
    } finally {
      await db.close();
    }
  });
});

describe('a project’s own chain', () => {
  const P = 'project-p';
  const Q = 'project-q';
  /** Sign-ins and two projects' entries, interleaved; P's entries as read back. */
  async function interleaved(db: Database): Promise<ServerAuditEntry[]> {
    const steps = [P, undefined, Q, P, Q, undefined, P];
    for (const [i, project] of steps.entries())
      await appendAudit(db, {
        at: AT + i,
        kind: project === undefined ? 'sign-in' : 'member-added',
        actor: ana,
        detail: project === undefined ? {} : { project, member: `m${i}` },
      });
    return readAudit(db, { project: P });
  }

  it.each(ENGINES)('numbers and links each project’s entries among themselves on %s', async (engine) => {
    if (!running().engines.some((e) => e.engine === engine)) return;
    const db = await migrated(engine);
    try {
      const p = await interleaved(db);
      expect(p.map((e) => [e.seq, e.projectSeq])).toEqual([
        [1, 1],
        [4, 2],
        [7, 3],
      ]);
      expect(firstBrokenProjectEntry(P, p)).toBeUndefined();
      expect(firstBrokenProjectEntry(Q, await readAudit(db, { project: Q }))).toBeUndefined();
      const all = await readAudit(db);
      expect(firstBrokenAuditEntry(all), 'the server’s chain holds too').toBeUndefined();
      expect(all[1]?.projectSeq, 'a sign-in is in no project’s chain').toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it.each([
    {
      description: 'an entry changed',
      change: (e: ServerAuditEntry[]) =>
        Object.assign(e[1] as object, { detail: { project: P, member: 'x' } }),
      index: 1,
      problem: 'hash',
    },
    {
      description: 'an entry removed',
      change: (e: ServerAuditEntry[]) => e.splice(1, 1),
      index: 1,
      problem: 'sequence',
    },
    {
      description: 'two entries swapped',
      change: (e: ServerAuditEntry[]) => e.reverse(),
      index: 0,
      problem: 'sequence',
    },
    {
      description: 'an entry relinked',
      change: (e: ServerAuditEntry[]) => Object.assign(e[2] as object, { projectPrevHash: e[0]?.hash }),
      index: 2,
      problem: 'link',
    },
    {
      description: 'another project’s entry slipped in',
      change: (e: ServerAuditEntry[], q: ServerAuditEntry[]) => e.splice(1, 0, q[0] as ServerAuditEntry),
      index: 1,
      problem: 'project',
    },
  ])('finds $description in an export', async ({ change, index, problem }) => {
    const db = await migrated('embedded');
    try {
      const p = await interleaved(db);
      change(p, await readAudit(db, { project: Q }));
      expect(firstBrokenProjectEntry(P, p)).toEqual({ index, problem });
    } finally {
      await db.close();
    }
  });
});
