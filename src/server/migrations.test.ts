/**
 * The schema migrations on both engines the server runs on: the embedded default (PGlite) and a
 * real PostgreSQL (the throwaway server of tests/setup/postgres.ts). Each case runs on a fresh
 * database of each engine.
 */
import { describe, expect, it } from 'vitest';
import { postgresBinDir } from '../../tests/setup/postgres.ts';
import { appliedVersions, MIGRATIONS, type Migration, migrate, ROLES, SchemaTooNewError } from './index.ts';
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
});

describe('the migration table', () => {
  it('numbers migrations 1, 2, 3… with no gap or repeat', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
