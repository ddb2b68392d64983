/**
 * The schema migrations on both engines the server runs on: the embedded default (PGlite) and a
 * real PostgreSQL (the throwaway server of tests/setup/postgres.ts). Each case runs on a fresh
 * database of each engine.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { postgresBinDir } from '../../tests/setup/postgres.ts';
import {
  appendAudit,
  appliedVersions,
  firstBrokenAuditEntry,
  MIGRATIONS,
  type Migration,
  migrate,
  ROLES,
  readAudit,
  SchemaTooNewError,
} from './index.ts';
import { fileTestEngines } from './testing/databases.ts';

const testEngines = fileTestEngines();
const running = () => testEngines.running();

const engines = [
  { engine: 'embedded (PGlite)', open: () => running().open('embedded') },
  { engine: 'PostgreSQL', open: () => running().open('postgres') },
];
const bin = postgresBinDir();

describe.each(engines)('migrations on $engine', ({ engine, open }) => {
  const skip = engine === 'PostgreSQL' && bin === undefined;

  it.skipIf(skip)('applies every migration once, in order, and records each', async () => {
    const db = await open();
    try {
      expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await migrate(db)).toEqual([]);
      expect(await appliedVersions(db)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await db.query('SELECT count(*)::int AS n FROM sessions')).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });

  it.skipIf(skip)('keeps on a roster exactly the roles the server knows', async () => {
    const db = await open();
    try {
      await migrate(db);
      await db.query(
        "INSERT INTO projects (id, name, created_at, created_by_issuer, created_by_subject) VALUES ('p', 'P', now(), 'i', 's')",
      );
      const add = (role: string) =>
        db.query(
          `INSERT INTO project_members (id, project_id, issuer, subject, role, added_at) VALUES ($1, 'p', 'i', $1, $2, now())`,
          [`m-${role}`, role],
        );
      for (const role of ROLES) await add(role);
      await expect(add('admin')).rejects.toThrow(/project_members_role_check/);
    } finally {
      await db.close();
    }
  });

  it.skipIf(skip)('applies only the new ones to a database migrated by an older server', async () => {
    const db = await open();
    const next: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'test',
      sql: 'CREATE TABLE t (a int); CREATE TABLE u (b int);',
    };
    try {
      await migrate(db);
      expect(await migrate(db, [...MIGRATIONS, next])).toEqual([next.version]);
      expect(await db.query('SELECT count(*)::int AS n FROM u')).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });

  it.skipIf(skip)('leaves no trace of a migration that fails half way', async () => {
    const db = await open();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      sql: 'CREATE TABLE half (a int); SELECT no_such_function();',
    };
    try {
      await migrate(db);
      await expect(migrate(db, [...MIGRATIONS, broken])).rejects.toThrow(/no_such_function/);
      expect(await appliedVersions(db)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await db.query("SELECT to_regclass('half') AS t")).toEqual([{ t: null }]);
    } finally {
      await db.close();
    }
  });

  it.skipIf(skip)('refuses a database a newer server has migrated, and changes nothing', async () => {
    const db = await open();
    const newer: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'newer',
      sql: 'CREATE TABLE newer (a int);',
    };
    try {
      await migrate(db, [...MIGRATIONS, newer]);
      await expect(migrate(db)).rejects.toThrow(SchemaTooNewError);
      await expect(migrate(db)).rejects.toThrow(/newer than this Preflight knows .* run the newer Preflight/);
    } finally {
      await db.close();
    }
  });

  it.skipIf(skip)(
    'gives a review sent before migration 19 its head and each record its drawn entry, in the sample’s order',
    async () => {
      const db = await open();
      const drawn = (stratum: string, rows: number[]) =>
        rows.map((row) => ({ file: `${stratum}.csv`, row, key: `${stratum}-${row}` }));
      const strata = [
        { id: 'adults', census: false, population: 90, n: 2, records: drawn('adults', [7, 3]) },
        { id: 'children', census: true, population: 1, n: 1, records: drawn('children', [12]) },
      ];
      const review = {
        id: 'rv1',
        plan: { id: 'p1', hash: 'a'.repeat(64) },
        sample: { drawnAt: '2026-03-02T08:00:00Z', seed: '9f2c', inputs: [], strata },
        lockedPlan: { id: 'p1' },
      };
      try {
        await migrate(
          db,
          MIGRATIONS.filter((m) => m.version < 19),
        );
        await db.query(
          `INSERT INTO projects (id, name, created_at, created_by_issuer, created_by_subject)
             VALUES ('p', 'Go-live', now(), 'i', 's')`,
        );
        await db.query(
          `INSERT INTO review_samples (project_id, id, review, dual_review, assigned_at, assigned_by_subject)
             VALUES ('p', 'rv1', $1, false, now(), 's')`,
          [JSON.stringify(review)],
        );
        const ordered = strata.flatMap((s) => s.records.map((r) => [s.id, r.key]));
        for (const [i, [stratum, key]] of ordered.entries())
          await db.query(
            `INSERT INTO review_records (project_id, review_id, id, stratum, record_key, first_member)
               VALUES ('p', 'rv1', $1, $2, $3, 'm')`,
            [i + 1, stratum, key],
          );
        expect(await migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version >= 19).map((m) => m.version));
        const [sample] = await db.query<{ head: unknown }>('SELECT head FROM review_samples');
        const { lockedPlan: _, ...posted } = review;
        expect(sample?.head).toEqual({
          ...posted,
          sample: { ...posted.sample, strata: strata.map((s) => ({ ...s, records: [] })) },
        });
        const records = await db.query<{ id: number; drawn: unknown }>(
          'SELECT id, drawn FROM review_records ORDER BY id',
        );
        expect(records).toEqual(strata.flatMap((s) => s.records).map((r, i) => ({ id: i + 1, drawn: r })));
      } finally {
        await db.close();
      }
    },
  );

  it.skipIf(skip)(
    'takes the next entry of a log written before migration 20, and still refuses one out of its project',
    async () => {
      const db = await open();
      const lena = { issuer: 'i', subject: 'lena', name: 'Lena Lead' };
      const at = Date.UTC(2026, 0, 5, 9);
      const entryOf = (project: string, n: number) => ({
        at: at + n,
        kind: 'review-decision' as const,
        actor: lena,
        detail: { project, record: String(n) },
      });
      try {
        await migrate(
          db,
          MIGRATIONS.filter((m) => m.version < 20),
        );
        for (const [n, project] of ['p', 'q', 'p', 'p', 'q'].entries())
          await appendAudit(db, entryOf(project, n));
        expect(await migrate(db)).toEqual([20]);
        await appendAudit(db, entryOf('p', 5));
        await appendAudit(db, entryOf('q', 6));
        const entries = await readAudit(db);
        expect(firstBrokenAuditEntry(entries)).toBeUndefined();
        expect(entries.map((e) => [e.detail.project, e.projectSeq])).toEqual([
          ['p', 1],
          ['q', 1],
          ['p', 2],
          ['p', 3],
          ['q', 2],
          ['p', 4],
          ['q', 3],
        ]);
        const last = entries.at(-1) as NonNullable<(typeof entries)[number]>;
        // the project's entry 3 again, after its entry 3: the function refuses it as before
        await expect(
          db.query('SELECT audit_log_append($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10)', [
            last.seq + 1,
            new Date(at + 7).toISOString(),
            'review-decision',
            JSON.stringify(lena),
            JSON.stringify({ project: 'q' }),
            last.hash,
            'f'.repeat(64),
            'q',
            3,
            last.projectPrevHash,
          ]),
        ).rejects.toThrow(/is not the next of its project/);
      } finally {
        await db.close();
      }
    },
  );
});

/**
 * Each shipped migration's SQL by SHA-256, as databases applied it. `migrate` records versions
 * only, so an edited migration would reach new databases alone and the two would differ unseen;
 * a migration built from a constant (18, from the audit log's clock bound) changes with it. A
 * migration's digest is added here once it is on main.
 */
const SHIPPED_SQL_SHA256: Record<number, string> = {
  1: '853f9e8e8627e5f0e87966f161a22fb8764c154f781c3c2249fbb90ebb943e16',
  2: '73c0d3bdf8cdc47e9ded9005b146ffb9ebc5a5bed01e1597a7744f0119426a10',
  3: 'd9dff259b45b2f4ef3e3cf316817a65ccefb8e1ecd1bd150c2cb6b1361ebcdc8',
  4: '4ab8b02ba66deef445474b14152b6e5ae10eed13e88a704263182e32e3893968',
  5: '30d174211ceaf22ead0dcacf4a3f6f62e4bf624424225a260584436ab5e80752',
  6: 'f33995fba5f65cbd1aef4fca111fa1233aa0f57901c329efaccdfb44ffb3626c',
  7: 'd8a9105acd0df6febb68a02a432a93cfdc29a2e422065b062c484eaa258d5bf0',
  8: '96091ea277e62c4c6c2db11603ea8d6b2e594c28d9d5a7c9c6b9d32d244ffb00',
  9: '67b4ad0ed6f0c3f2a05dddde9206da5c8911b653fa44e508f7cf91292f80bdea',
  10: '5e14be2e7a3ebee750b1801634771ceb866cbd8ceccde68de2af45da5c529caa',
  11: '9048bf5b028bd1e1279bff4b4a7c4e8467b780bee1561b973bf12716b5899f91',
  12: 'efd7173041478e7a726e058649f2689d8d70d0c7e1c31c6004ab8bdeea3bd284',
  13: 'd2e51b9fb809bf9a20a4ad88bc4a3f522d98aa50a06e7fa0c9af1e7756c66a6d',
  14: 'a1e16fd25bbcb1e09d92c3d1f581d263a242af8c460dacf721ae4916cbaffc02',
  15: '4a572ea0d70436f281c88ffe5c89d1f10c01cb6e88e42b65f5a438bc129843b0',
  16: '39e5dd7d7bd17a318b790f1e70f20b8425aa84e9c77305804f5c3ea360fbb2af',
  17: 'a7fcafaa54d248bbbc888733ae86195f9996d2f4946c51dc5e5937c7d915f6a1',
  18: '8ff75733162d7f9df0a217cd74f0a3b1733bccf9d94dd08ac5aea25defd21539',
  19: '09524eaaa70f69173c5632d0b7f5070ae7105969489c02832ece8075742b6720',
  20: '1091cae5170901b95b49542be320f3bda74979e391de61597ebe851cca70a52b',
};

describe('the migration table', () => {
  it('numbers migrations 1, 2, 3… with no gap or repeat', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('never changes a migration that has shipped: a change is a new migration', () => {
    const changed = MIGRATIONS.filter(
      (m) =>
        SHIPPED_SQL_SHA256[m.version] !== undefined &&
        createHash('sha256').update(m.sql).digest('hex') !== SHIPPED_SQL_SHA256[m.version],
    ).map((m) => m.version);
    expect(
      changed,
      'these shipped migrations changed (a constant they are built from, such as AUDIT_AHEAD_BOUND_MS?): restore them and add a migration with the next number',
    ).toEqual([]);
  });

  it('has the digest of every migration recorded, so a change to any of them is caught', () => {
    const unrecorded = MIGRATIONS.filter((m) => SHIPPED_SQL_SHA256[m.version] === undefined).map(
      (m) => `${m.version}: '${createHash('sha256').update(m.sql).digest('hex')}'`,
    );
    expect(unrecorded, 'add these lines to SHIPPED_SQL_SHA256 as the migrations ship').toEqual([]);
  });
});
