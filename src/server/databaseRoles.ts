/**
 * Two PostgreSQL roles for one team server: the owner, who creates and alters the tables
 * (`preflight serve migrate`, run by the clinic's administrator at install and upgrade), and the
 * runtime role the server connects as, which only reads and writes rows. Append-only holds only
 * against a role that does not own the table: an owner may `ALTER TABLE audit_log DISABLE
 * TRIGGER USER` and then rewrite entries. So the runtime role gets no UPDATE or DELETE on the
 * append-only tables, and the server refuses to start as a role that owns them.
 *
 * Constraints: privileges are granted per table from {@link RUNTIME_PRIVILEGES} after every
 * migration, so a table a later migration adds is granted by the same run; a role name is quoted
 * as an identifier (never spliced raw); the embedded database has one all-powerful user, so none
 * of this applies to it — whoever holds its `--data` folder holds everything.
 */
import type { Database, Queryable } from './database.ts';
import { MIGRATIONS, SchemaTooNewError } from './migrations.ts';

/** A row privilege the runtime role may hold on a table (an UPDATE may name its only columns). */
type RowPrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | `UPDATE (${string})`;

/** What the runtime role may do to every table not named in {@link RUNTIME_PRIVILEGES}. */
const DEFAULT_RUNTIME_PRIVILEGES: readonly RowPrivilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/**
 * The tables whose rows the runtime role may not change once written: the append-only logs
 * (their triggers refuse it too, for the owner as well unless disabled) and the schema's own record.
 * A log key's private half is the one column it may set, and its trigger lets it only wipe a
 * retired key's (migration 14: a rotation does, in its transaction).
 */
export const RUNTIME_PRIVILEGES: Readonly<Record<string, readonly RowPrivilege[]>> = {
  // entries go in through audit_log_append (migrations 16, 18), which keeps them in order and
  // dated by the server's clock
  audit_log: ['SELECT'],
  review_decisions: ['SELECT', 'INSERT'],
  log_keys: ['SELECT', 'INSERT', 'UPDATE (private_key)'],
  tree_heads: ['SELECT', 'INSERT'],
  schema_migrations: ['SELECT'],
};

/** How the server's connection stands to the tables it uses. */
export interface DatabaseRole {
  /** the role the server connected as */
  name: string;
  /**
   * why this role could disable the append-only triggers (it owns the tables, is a member of
   * their owner, is a superuser, or would own the tables it creates); undefined: it cannot
   */
  ownsTables?: string;
}

/** Thrown when the server's role owns its tables and the start is told to refuse that. */
export class TableOwnerError extends Error {
  override name = 'TableOwnerError';
}

/** Thrown when the runtime role finds a schema older than this server, or tables it may not use. */
export class SchemaNotReadyError extends Error {
  override name = 'SchemaNotReadyError';
}

const quoteIdent = (name: string) => `"${name.split('"').join('""')}"`;

/** The role `db` is connected as, and whether it could rewrite the append-only tables. */
export async function databaseRoleOf(db: Queryable): Promise<DatabaseRole> {
  const [me] = await db.query<{ name: string; superuser: boolean }>(
    'SELECT current_user AS name, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
  );
  const name = me?.name ?? '';
  if (me?.superuser) return { name, ownsTables: `${name} is a superuser` };
  const [table] = await db.query<{ owner: string; member: boolean }>(
    `SELECT pg_get_userbyid(c.relowner) AS owner, pg_has_role(current_user, c.relowner, 'MEMBER') AS member
       FROM pg_class c WHERE c.oid = to_regclass('audit_log')`,
  );
  if (table !== undefined)
    return table.member
      ? {
          name,
          ownsTables:
            table.owner === name
              ? `${name} owns the tables`
              : `${name} is a member of ${table.owner}, which owns the tables`,
        }
      : { name };
  const [schema] = await db.query<{ create: boolean }>(
    `SELECT has_schema_privilege(current_user, current_schema(), 'CREATE') AS "create"`,
  );
  return schema?.create ? { name, ownsTables: `${name} would own the tables it creates` } : { name };
}

/**
 * Checks, as a runtime role that does not own the tables, that the schema is this server's
 * (migrated by the owner) and that every table is granted to it.
 *
 * @throws {SchemaTooNewError} when a newer Preflight migrated it
 * @throws {SchemaNotReadyError} when migrations are pending or a table is not granted
 */
export async function checkSchemaReady(db: Queryable, role: string): Promise<void> {
  const migrate = `run "preflight serve migrate --database <the owner's address> --grant-to ${role}" as the tables' owner first`;
  const [known] = await db.query<{ present: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS present`,
  );
  if (!known?.present) throw new SchemaNotReadyError(`the database has no Preflight tables yet: ${migrate}`);
  const grants = await db.query<{ table: string; select: boolean }>(
    `SELECT c.relname AS table, has_table_privilege(current_user, c.oid, 'SELECT') AS select
       FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
       ORDER BY c.relname`,
  );
  const missing = grants.filter((g) => !g.select).map((g) => g.table);
  if (missing.length > 0)
    throw new SchemaNotReadyError(`${role} is not granted the tables ${missing.join(', ')}: ${migrate}`);
  const applied = new Set(
    (await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
  );
  const versions = new Set(MIGRATIONS.map((m) => m.version));
  const newer = [...applied].filter((v) => !versions.has(v));
  if (newer.length > 0)
    throw new SchemaTooNewError(
      `the database has schema version ${Math.max(...newer)}, newer than this Preflight knows (${Math.max(0, ...versions)}): run the newer Preflight that last used it`,
    );
  const pending = MIGRATIONS.filter((m) => !applied.has(m.version)).map((m) => m.version);
  if (pending.length > 0)
    throw new SchemaNotReadyError(
      `the database's schema is behind this Preflight (migrations ${pending.join(', ')} pending): ${migrate}`,
    );
}

/**
 * Grants the runtime role `role` what the server needs on every table of the current schema, and
 * no more: {@link RUNTIME_PRIVILEGES} for the append-only tables, {@link DEFAULT_RUNTIME_PRIVILEGES}
 * elsewhere. Run by the tables' owner after migrating; repeatable.
 *
 * @throws {TableOwnerError} when `role` could itself disable the triggers (it owns the tables, is
 *   a member of their owner, or is a superuser): granting it would protect nothing
 */
export async function grantRuntimeRole(db: Database, role: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [found] = await tx.query<{ superuser: boolean; member: boolean }>(
      `SELECT r.rolsuper AS superuser, pg_has_role(r.oid, c.relowner, 'MEMBER') AS member
         FROM pg_roles r, pg_class c WHERE r.rolname = $1 AND c.oid = to_regclass('audit_log')`,
      [role],
    );
    if (found === undefined)
      throw new TableOwnerError(
        `there is no role ${role} (or the schema is not migrated): create it first (CREATE ROLE ${quoteIdent(role)} LOGIN PASSWORD '…')`,
      );
    if (found.superuser || found.member)
      throw new TableOwnerError(
        `${role} ${found.superuser ? 'is a superuser' : 'owns the tables (or is a member of their owner)'}: the server's role must be another one, which does not own them`,
      );
    const [{ schema } = { schema: 'public' }] = await tx.query<{ schema: string }>(
      'SELECT current_schema() AS schema',
    );
    const tables = await tx.query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_class c
         WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
    );
    const grantee = quoteIdent(role);
    await tx.exec(`GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO ${grantee}`);
    for (const { table } of tables) {
      const privileges = RUNTIME_PRIVILEGES[table] ?? DEFAULT_RUNTIME_PRIVILEGES;
      await tx.exec(
        `REVOKE ALL ON TABLE ${quoteIdent(schema)}.${quoteIdent(table)} FROM ${grantee};
         GRANT ${privileges.join(', ')} ON TABLE ${quoteIdent(schema)}.${quoteIdent(table)} TO ${grantee}`,
      );
    }
    await tx.exec(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${quoteIdent(schema)} TO ${grantee}`);
    // the one way the runtime role appends to the audit log; nobody else is granted it
    const append = `FUNCTION ${quoteIdent(schema)}.audit_log_append(bigint, text, text, jsonb, jsonb, text, text, text, bigint, text)`;
    await tx.exec(`REVOKE ALL ON ${append} FROM PUBLIC; GRANT EXECUTE ON ${append} TO ${grantee}`);
  });
}
