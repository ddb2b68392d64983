/**
 * The server's database schema, as numbered migrations applied in order. Each runs once, in one
 * transaction with the row that records it in `schema_migrations`, so a migration is either wholly
 * applied or not at all. Constraint: a migration that has shipped is never edited — a change is
 * a new migration with the next number; `migrate` refuses a database whose recorded versions it
 * does not know (a newer server's), so an older server never writes to a newer schema.
 */
import type { Database } from './database.ts';
import { AUDIT_AHEAD_BOUND } from './serverClock.ts';

/** One step of the schema. */
export interface Migration {
  /** 1, 2, 3… with no gap: the order they are applied in */
  version: number;
  /** what it adds, in a few words */
  name: string;
  sql: string;
}

/**
 * The text of the `audit_log_append` function, as migrations 18 and 20 create it: they differ
 * only in the column a project's last entry is found by (`seq`, the log's order; `project_seq`,
 * the project's, which an index keeps). Built once so the two cannot drift apart; each text as
 * shipped is pinned by its digest (migrations.test.ts), so a change here shows as a changed
 * migration.
 */
function auditLogAppendSql(projectOrder: 'seq' | 'project_seq'): string {
  return `
      CREATE OR REPLACE FUNCTION audit_log_append(
        p_seq bigint, p_at text, p_kind text, p_actor jsonb, p_detail jsonb, p_prev_hash text,
        p_hash text, p_project text, p_project_seq bigint, p_project_prev_hash text
      ) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
      DECLARE
        before_row record;
        before_project record;
      BEGIN
        SELECT seq, at, hash INTO before_row FROM audit_log ORDER BY seq DESC LIMIT 1;
        IF p_seq <> COALESCE(before_row.seq, 0) + 1 OR (FOUND AND p_prev_hash <> before_row.hash) THEN
          RAISE EXCEPTION 'the audit log takes entries only at its end: entry % does not follow entry %',
            p_seq, COALESCE(before_row.seq, 0);
        END IF;
        IF p_at IS NULL OR p_at !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}.[0-9]{3}Z$' THEN
          RAISE EXCEPTION 'the audit log takes an entry''s time only in UTC as YYYY-MM-DDTHH:MM:SS.sssZ: entry % is dated %',
            p_seq, COALESCE(p_at, 'nothing');
        END IF;
        IF FOUND AND p_at::timestamptz < before_row.at::timestamptz THEN
          RAISE EXCEPTION 'the audit log takes entries only in time order: entry % is dated %, before entry % (%)',
            p_seq, p_at, before_row.seq, before_row.at;
        END IF;
        IF p_at::timestamptz > clock_timestamp() + interval '${AUDIT_AHEAD_BOUND}' THEN
          RAISE EXCEPTION 'the audit log takes no entry dated ahead of the database''s clock: entry % is dated %, more than ${AUDIT_AHEAD_BOUND} after %; if the server wrote it, set its clock and the database''s from the same time source (NTP)',
            p_seq, p_at, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
        END IF;
        IF p_project IS NOT NULL THEN
          SELECT project_seq, hash INTO before_project FROM audit_log
            WHERE project = p_project ORDER BY ${projectOrder} DESC LIMIT 1;
          IF p_project_seq IS DISTINCT FROM COALESCE(before_project.project_seq, 0) + 1
             OR (FOUND AND p_project_prev_hash IS DISTINCT FROM before_project.hash) THEN
            RAISE EXCEPTION 'the audit log takes entries only at its end: entry % is not the next of its project', p_seq;
          END IF;
        END IF;
        INSERT INTO audit_log (seq, at, kind, actor, detail, prev_hash, hash, project, project_seq, project_prev_hash)
          VALUES (p_seq, p_at, p_kind, p_actor, p_detail, p_prev_hash, p_hash, p_project, p_project_seq, p_project_prev_hash);
      END
      $$;
    `;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions',
    sql: `
      CREATE TABLE sessions (
        id_hash text PRIMARY KEY,
        subject text NOT NULL,
        issuer text NOT NULL,
        name text NOT NULL,
        email text,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'audit log, append-only',
    sql: `
      CREATE TABLE audit_log (
        seq bigint PRIMARY KEY,
        at text NOT NULL,
        kind text NOT NULL,
        actor jsonb,
        detail jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL UNIQUE
      );
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % is refused', TG_OP;
      END
      $$;
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
    `,
  },
  {
    version: 3,
    name: 'people, projects, their members, and each project’s chain in the audit log',
    // the role list is checked here as it stood when this shipped: a new role is a new migration
    sql: `
      CREATE TABLE users (
        issuer text NOT NULL,
        subject text NOT NULL,
        name text NOT NULL,
        email text,
        first_sign_in_at timestamptz NOT NULL,
        last_sign_in_at timestamptz NOT NULL,
        PRIMARY KEY (issuer, subject)
      );
      CREATE INDEX users_by_email ON users (lower(email));
      CREATE TABLE projects (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL,
        created_by_issuer text NOT NULL,
        created_by_subject text NOT NULL
      );
      CREATE TABLE project_members (
        id text PRIMARY KEY,
        project_id text NOT NULL REFERENCES projects (id),
        issuer text NOT NULL,
        subject text NOT NULL,
        role text NOT NULL
          CHECK (role IN ('lead', 'analyst', 'data', 'reviewer', 'steering', 'viewer')),
        expires_on date,
        added_at timestamptz NOT NULL,
        UNIQUE (project_id, issuer, subject)
      );
      CREATE INDEX project_members_by_person ON project_members (issuer, subject);
      ALTER TABLE audit_log
        ADD COLUMN project text,
        ADD COLUMN project_seq bigint,
        ADD COLUMN project_prev_hash text;
      CREATE UNIQUE INDEX audit_log_by_project ON audit_log (project, project_seq) WHERE project IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'shared workflows: their changes in the server’s order, and named versions',
    sql: `
      CREATE TABLE shared_workflows (
        project_id text NOT NULL REFERENCES projects (id),
        id text NOT NULL,
        document jsonb NOT NULL,
        head bigint NOT NULL,
        shared_at timestamptz NOT NULL,
        shared_by_subject text NOT NULL,
        PRIMARY KEY (project_id, id)
      );
      CREATE TABLE shared_workflow_changes (
        project_id text NOT NULL,
        workflow_id text NOT NULL,
        seq bigint NOT NULL,
        change_id text NOT NULL,
        author_issuer text NOT NULL,
        author_subject text NOT NULL,
        author_name text NOT NULL,
        at timestamptz NOT NULL,
        ops jsonb NOT NULL,
        PRIMARY KEY (project_id, workflow_id, seq),
        UNIQUE (project_id, workflow_id, change_id),
        FOREIGN KEY (project_id, workflow_id) REFERENCES shared_workflows (project_id, id)
      );
      CREATE TABLE shared_workflow_versions (
        project_id text NOT NULL,
        workflow_id text NOT NULL,
        id text NOT NULL,
        name text NOT NULL,
        head bigint NOT NULL,
        document jsonb NOT NULL,
        named_at timestamptz NOT NULL,
        named_by_subject text NOT NULL,
        named_by_name text NOT NULL,
        PRIMARY KEY (project_id, workflow_id, id),
        FOREIGN KEY (project_id, workflow_id) REFERENCES shared_workflows (project_id, id)
      );
    `,
  },
  {
    version: 5,
    name: 'signing keys, their owners, signing ceremonies and each project’s signing idle time',
    // one authenticator credential serves one person: credential_owners is keyed by the credential
    sql: `
      CREATE TABLE credential_owners (
        credential_id text PRIMARY KEY,
        issuer text NOT NULL,
        subject text NOT NULL
      );
      CREATE TABLE signing_keys (
        id text PRIMARY KEY,
        project_id text NOT NULL REFERENCES projects (id),
        issuer text NOT NULL,
        subject text NOT NULL,
        credential_id text NOT NULL REFERENCES credential_owners (credential_id),
        algorithm integer NOT NULL,
        public_key_jwk jsonb NOT NULL,
        public_key_cose text NOT NULL,
        sign_count bigint NOT NULL,
        registered_at timestamptz NOT NULL,
        confirmed_at timestamptz,
        confirmed_by_subject text,
        revoked_at timestamptz,
        revoked_reason text,
        UNIQUE (project_id, credential_id)
      );
      CREATE TABLE signing_challenges (
        session_hash text NOT NULL,
        project_id text NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('register', 'sign')),
        challenge text NOT NULL,
        issued_at timestamptz NOT NULL,
        PRIMARY KEY (session_hash, project_id, purpose)
      );
      ALTER TABLE sessions
        ADD COLUMN fresh_auth_at timestamptz,
        ADD COLUMN last_signed_at timestamptz;
      ALTER TABLE projects ADD COLUMN signing_idle_minutes integer NOT NULL DEFAULT 15
        CHECK (signing_idle_minutes BETWEEN 1 AND 480);
    `,
  },
  {
    version: 6,
    name: 'shared project records: check sets, contracts, waivers, plans, readiness… by version',
    // records_head numbers every write of a project's records: a record's version is the number of
    // its last write, so "what changed since N" is one index range
    sql: `
      ALTER TABLE projects ADD COLUMN records_head bigint NOT NULL DEFAULT 0;
      CREATE TABLE shared_records (
        project_id text NOT NULL REFERENCES projects (id),
        kind text NOT NULL,
        id text NOT NULL,
        version bigint NOT NULL,
        body jsonb,
        sha256 text NOT NULL,
        written_by_issuer text NOT NULL,
        written_by_subject text NOT NULL,
        written_by_name text NOT NULL,
        written_at timestamptz NOT NULL,
        PRIMARY KEY (project_id, kind, id),
        UNIQUE (project_id, version)
      );
    `,
  },
  {
    version: 7,
    name: 'review assignments: sampled record pairs, who reviews which pass, and decisions in order',
    // the sampled record pairs are the one record content kept on the server (read access is
    // audited); decisions are appended in the server's order and never changed or removed
    sql: `
      CREATE TABLE review_samples (
        project_id text NOT NULL REFERENCES projects (id),
        id text NOT NULL,
        review jsonb NOT NULL,
        dual_review boolean NOT NULL,
        assigned_at timestamptz NOT NULL,
        assigned_by_subject text NOT NULL,
        PRIMARY KEY (project_id, id)
      );
      CREATE TABLE review_records (
        project_id text NOT NULL,
        review_id text NOT NULL,
        id integer NOT NULL,
        stratum text NOT NULL,
        record_key text NOT NULL,
        first_member text NOT NULL,
        second_member text,
        adjudicator_member text,
        shown jsonb,
        shown_hash text,
        PRIMARY KEY (project_id, review_id, id),
        UNIQUE (project_id, review_id, stratum, record_key),
        FOREIGN KEY (project_id, review_id) REFERENCES review_samples (project_id, id),
        CHECK (second_member IS NULL OR second_member <> first_member),
        CHECK (adjudicator_member IS NULL OR (adjudicator_member <> first_member
          AND adjudicator_member IS DISTINCT FROM second_member))
      );
      CREATE TABLE review_decisions (
        project_id text NOT NULL,
        review_id text NOT NULL,
        seq bigint NOT NULL,
        record_id integer NOT NULL,
        decision_id text NOT NULL,
        stage text NOT NULL CHECK (stage IN ('first', 'second', 'adjudication')),
        member_id text NOT NULL,
        received_at timestamptz NOT NULL,
        decision jsonb NOT NULL,
        audit_hash text NOT NULL,
        PRIMARY KEY (project_id, review_id, seq),
        UNIQUE (project_id, review_id, decision_id),
        FOREIGN KEY (project_id, review_id, record_id) REFERENCES review_records (project_id, review_id, id)
      );
      CREATE TRIGGER review_decisions_append_only BEFORE UPDATE OR DELETE ON review_decisions
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
      CREATE TRIGGER review_decisions_no_truncate BEFORE TRUNCATE ON review_decisions
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
    `,
  },
  {
    version: 8,
    name: 'review decisions: posted by their reviewer, or recorded by the lead from a review packet',
    // a decision the lead merged from an offline packet is recorded in the server's order too,
    // saying so: it is never taken for one its reviewer posted herself (the table stays append-only)
    sql: `
      ALTER TABLE review_decisions ADD COLUMN source text NOT NULL DEFAULT 'posted'
        CHECK (source IN ('posted', 'packet'));
    `,
  },
  {
    version: 9,
    name: 'verified e-mails, and invitations to a project redeemed after signing in',
    // email_verified is what the provider said at the person's last sign-in; people who signed in
    // before this migration are unverified until they sign in again. An invitation keeps only the
    // SHA-256 of its code: a copy of the database cannot be used to join a project
    sql: `
      ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false;
      CREATE TABLE invitations (
        id text PRIMARY KEY,
        project_id text NOT NULL REFERENCES projects (id),
        code_hash text NOT NULL UNIQUE,
        role text NOT NULL
          CHECK (role IN ('lead', 'analyst', 'data', 'reviewer', 'steering', 'viewer')),
        member_expires_on date,
        label text,
        created_at timestamptz NOT NULL,
        created_by_issuer text NOT NULL,
        created_by_subject text NOT NULL,
        valid_until timestamptz NOT NULL,
        redeemed_at timestamptz,
        redeemed_by_issuer text,
        redeemed_by_subject text,
        revoked_at timestamptz,
        CHECK (redeemed_at IS NULL OR revoked_at IS NULL)
      );
      CREATE INDEX invitations_by_project ON invitations (project_id);
    `,
  },
  {
    version: 10,
    name: 'transparency log: the log key and the tree heads signed with it, append-only',
    // each project's entries are the leaves of a Merkle tree; a head is the server's signed word
    // on its size and root (transparencyLog.ts). The private key is null when kept in a key file.
    // A head names its key by id without a foreign key, so that a TRUNCATE of log_keys reaches
    // the append-only trigger; the head's signature is what ties it to the key.
    sql: `
      CREATE TABLE log_keys (
        key_id text PRIMARY KEY,
        public_key text NOT NULL,
        private_key text,
        created_at text NOT NULL
      );
      CREATE TABLE tree_heads (
        project text NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        root_hash text NOT NULL,
        at text NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL,
        PRIMARY KEY (project, size)
      );
      CREATE TRIGGER log_keys_append_only BEFORE UPDATE OR DELETE ON log_keys
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
      CREATE TRIGGER log_keys_no_truncate BEFORE TRUNCATE ON log_keys
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
      CREATE TRIGGER tree_heads_append_only BEFORE UPDATE OR DELETE ON tree_heads
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
      CREATE TRIGGER tree_heads_no_truncate BEFORE TRUNCATE ON tree_heads
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
    `,
  },
  {
    version: 11,
    name: 'sign-ins in progress and sign-in limits, shared by every server process',
    // what one server process kept in its memory, so that several processes on one PostgreSQL
    // serve one clinic: a sign-in begun on one is finished on another, and a limit counts the
    // requests made to all. Both keep only a SHA-256 or an address; rows past their time are swept
    sql: `
      CREATE TABLE pending_sign_ins (
        id_hash text PRIMARY KEY,
        pending jsonb NOT NULL,
        started_at timestamptz NOT NULL
      );
      CREATE INDEX pending_sign_ins_by_start ON pending_sign_ins (started_at);
      CREATE TABLE rate_limit_windows (
        key text PRIMARY KEY,
        hits integer NOT NULL CHECK (hits > 0),
        ends_at timestamptz NOT NULL
      );
      CREATE INDEX rate_limit_windows_by_end ON rate_limit_windows (ends_at);
      CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
      CREATE INDEX signing_challenges_by_issue ON signing_challenges (issued_at);
    `,
  },
  {
    version: 12,
    name: "tree heads keep the time-stamp authority's token, when the server was given one",
    // the token is asked for before the head is kept, so it is written with the head's row (the
    // append-only trigger refuses adding it later); null: no authority, or it did not answer
    sql: `
      ALTER TABLE tree_heads ADD COLUMN time_stamp text;
    `,
  },
  {
    version: 13,
    name: 'a log key rotated to names the key before it and carries its signature of the handover',
    // a rotation (`serve rotate-log-key`) is signed by the key before, so a witness holding a head
    // signed by that key follows the chain to the new one (src/core/transparency/logKeys.ts); the
    // audit log records the same as a `log-key-rotated` entry. Null on the server's first key
    sql: `
      ALTER TABLE log_keys ADD COLUMN rotated_from text;
      ALTER TABLE log_keys ADD COLUMN rotation_signature text;
      CREATE UNIQUE INDEX log_keys_one_rotation_from_each ON log_keys (rotated_from);
    `,
  },
  {
    version: 14,
    name: "a retired log key's private half is wiped from its row; nothing else of a key changes",
    // a rotation (`serve rotate-log-key`) wipes the private half of the key it retires in its own
    // transaction, so whoever reads the database after cannot sign with it; the row's public half
    // and the handover stay, and every other UPDATE, DELETE and TRUNCATE is still refused. A key
    // retired before this migration is wiped by it
    sql: `
      CREATE FUNCTION log_keys_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND OLD.private_key IS NOT NULL AND NEW.private_key IS NULL
           AND (NEW.key_id, NEW.public_key, NEW.created_at, NEW.rotated_from, NEW.rotation_signature)
             IS NOT DISTINCT FROM
               (OLD.key_id, OLD.public_key, OLD.created_at, OLD.rotated_from, OLD.rotation_signature)
           AND EXISTS (SELECT 1 FROM log_keys WHERE rotated_from = OLD.key_id) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the audit log is append-only: % is refused', TG_OP;
      END
      $$;
      DROP TRIGGER log_keys_append_only ON log_keys;
      CREATE TRIGGER log_keys_append_only BEFORE UPDATE OR DELETE ON log_keys
        FOR EACH ROW EXECUTE FUNCTION log_keys_refuse_change();
      UPDATE log_keys SET private_key = NULL
        WHERE private_key IS NOT NULL
          AND key_id IN (SELECT rotated_from FROM log_keys WHERE rotated_from IS NOT NULL);
    `,
  },
  {
    version: 15,
    name: 'a tree head is kept by its signature too: a row the server did not sign takes no size',
    // the runtime role may insert heads (the server signs them outside the database), so a row
    // it makes up must not hold the size the server's own head needs; the server reads back only
    // the rows its log keys signed (transparencyLog.ts `headsOf`)
    sql: `
      ALTER TABLE tree_heads DROP CONSTRAINT tree_heads_pkey;
      ALTER TABLE tree_heads ADD PRIMARY KEY (project, size, signature);
    `,
  },
  {
    version: 16,
    name: 'the audit log takes entries at its end and in time order, through one function',
    // the runtime role is granted SELECT on audit_log and EXECUTE on this function, not INSERT
    // (databaseRoles.ts): an entry goes in only as the next of the log and of its project, dated
    // no earlier than the entry before. SECURITY DEFINER runs it as the tables' owner, its
    // search_path fixed to the schema it was made in, so the caller cannot swap the tables
    sql: `
      CREATE FUNCTION audit_log_append(
        p_seq bigint, p_at text, p_kind text, p_actor jsonb, p_detail jsonb, p_prev_hash text,
        p_hash text, p_project text, p_project_seq bigint, p_project_prev_hash text
      ) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
      DECLARE
        before_row record;
        before_project record;
      BEGIN
        SELECT seq, at, hash INTO before_row FROM audit_log ORDER BY seq DESC LIMIT 1;
        IF p_seq <> COALESCE(before_row.seq, 0) + 1 OR (FOUND AND p_prev_hash <> before_row.hash) THEN
          RAISE EXCEPTION 'the audit log takes entries only at its end: entry % does not follow entry %',
            p_seq, COALESCE(before_row.seq, 0);
        END IF;
        IF FOUND AND p_at::timestamptz < before_row.at::timestamptz THEN
          RAISE EXCEPTION 'the audit log takes entries only in time order: entry % is dated %, before entry % (%)',
            p_seq, p_at, before_row.seq, before_row.at;
        END IF;
        IF p_project IS NOT NULL THEN
          SELECT project_seq, hash INTO before_project FROM audit_log
            WHERE project = p_project ORDER BY seq DESC LIMIT 1;
          IF p_project_seq IS DISTINCT FROM COALESCE(before_project.project_seq, 0) + 1
             OR (FOUND AND p_project_prev_hash IS DISTINCT FROM before_project.hash) THEN
            RAISE EXCEPTION 'the audit log takes entries only at its end: entry % is not the next of its project', p_seq;
          END IF;
        END IF;
        INSERT INTO audit_log (seq, at, kind, actor, detail, prev_hash, hash, project, project_seq, project_prev_hash)
          VALUES (p_seq, p_at, p_kind, p_actor, p_detail, p_prev_hash, p_hash, p_project, p_project_seq, p_project_prev_hash);
      END
      $$;
    `,
  },
  {
    version: 17,
    name: "the latest head each member's browser witnessed, for a new browser to check against",
    // one row per member and project, replaced only by a larger head (logRoutes.ts); the head is
    // the server's own signed word, so a browser reading it verifies it itself. Not part of the
    // log: whoever writes the database can delete a row, and a new browser then says it had no
    // head of the team's to check against
    sql: `
      CREATE TABLE log_witnesses (
        project text NOT NULL,
        issuer text NOT NULL,
        subject text NOT NULL,
        name text NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        head jsonb NOT NULL,
        reported_at text NOT NULL,
        PRIMARY KEY (project, issuer, subject)
      );
    `,
  },
  {
    version: 18,
    name: "the audit log takes an entry dated by the server's clock: written as the server writes it, not ahead of the database's",
    // migration 16 kept an entry from being dated before the one it follows; the runtime role
    // could still date one a day ahead (the server's next entries then take that date), or write
    // a time without its zone, which the database reads in a time zone the caller sets and a
    // verifier in its own. An entry's time is now the server's form (ISO 8601 in UTC, as
    // toISOString writes it) and no later than the database's clock plus five minutes, room
    // enough for two hosts' clocks kept by NTP. Replacing the function keeps its owner and the
    // runtime role's EXECUTE grant. The bound is the server's own (serverClock.ts), which warns
    // of a drift before this refuses; the text as shipped is pinned (migrations.test.ts)
    sql: auditLogAppendSql('seq'),
  },
  {
    version: 19,
    name: 'review decisions read only what concerns their record: the review without its drawn records, each record its own, and indexes',
    // a decision is checked against its record alone (the core's rules are per record), so the
    // posted review is kept once more without its drawn records (`head`) and each record row
    // keeps its own drawn entry (`drawn`, the record's place in the sample is its id): a decision
    // then reads neither the whole sample nor every decision, whatever the review's size. The
    // indexes find a record's decisions, a packet's decisions and a closed adjudication's entry
    sql: `
      ALTER TABLE review_samples ADD COLUMN head jsonb;
      UPDATE review_samples SET head = jsonb_set(review - 'lockedPlan', '{sample,strata}', (
        SELECT coalesce(jsonb_agg(jsonb_set(st.v, '{records}', '[]'::jsonb) ORDER BY st.i), '[]'::jsonb)
        FROM jsonb_array_elements(review->'sample'->'strata') WITH ORDINALITY AS st(v, i)));
      ALTER TABLE review_samples ALTER COLUMN head SET NOT NULL;
      ALTER TABLE review_records ADD COLUMN drawn jsonb;
      UPDATE review_records r SET drawn = d.rec FROM (
        SELECT s.project_id, s.id AS review_id, rc.rec,
          row_number() OVER (PARTITION BY s.project_id, s.id ORDER BY st.i, rc.j) AS pos
        FROM review_samples s
          CROSS JOIN LATERAL jsonb_array_elements(s.review->'sample'->'strata') WITH ORDINALITY AS st(v, i)
          CROSS JOIN LATERAL jsonb_array_elements(st.v->'records') WITH ORDINALITY AS rc(rec, j)
      ) d WHERE r.project_id = d.project_id AND r.review_id = d.review_id AND r.id = d.pos;
      ALTER TABLE review_records ALTER COLUMN drawn SET NOT NULL;
      CREATE INDEX review_decisions_by_record ON review_decisions (project_id, review_id, record_id, seq);
      CREATE INDEX review_decisions_by_packet ON review_decisions
        (project_id, review_id, ((decision->'imported'->>'packetSha256'))) WHERE source = 'packet';
      CREATE INDEX audit_log_adjudication_closed ON audit_log (project, (detail->>'review'), seq)
        WHERE kind = 'review-adjudication-closed';
    `,
  },
  {
    version: 20,
    name: "an append reads the project's last entry by its place in the project: one look-up, whatever the log's size",
    // migration 18's function found a project's last entry by the log's order, which no index of
    // the project keeps: the plan a connection keeps for the function from when the log was small
    // read every entry of the project and sorted them, for each new entry. The project's order
    // (project_seq) is the same order (this function takes a project's entries only one after
    // another) and is the index's (project, project_seq), so the last one is one look-up. The
    // function is otherwise migration 18's, built from the same bound (serverClock.ts)
    sql: auditLogAppendSql('project_seq'),
  },
];

/** Serialises migrations of one database across server processes started at once. */
const MIGRATION_LOCK = 72_657_368;

/** Thrown when the database holds a schema this server does not know. */
export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError';
}

/**
 * Applies the migrations `db` has not had yet; returns the versions applied now.
 *
 * @throws {SchemaTooNewError} when the database records a version this server does not have.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    );
  `);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const rows = await tx.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    const applied = new Set(rows.map((r) => r.version));
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...applied].filter((v) => !known.has(v));
    if (unknown.length > 0)
      throw new SchemaTooNewError(
        `the database has schema version ${Math.max(...unknown)}, newer than this Preflight knows (${Math.max(0, ...known)}): run the newer Preflight that last used it`,
      );
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      done.push(migration.version);
    }
    return done;
  });
}

/** The versions recorded as applied, in order. */
export async function appliedVersions(db: Database): Promise<number[]> {
  const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  return rows.map((r) => r.version);
}
