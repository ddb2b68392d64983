/**
 * A shared project's records on the server: check sets, contracts, mappings, accepted issues,
 * sample plans, the sign-off roster, readiness records, steering decisions and report summaries
 * (the kinds are the core's table, src/core/teamRecords). Each record has one version, the
 * number of its last write in the project's one sequence; a write names the version it is based
 * on, and a write based on an older one is refused (409) with what the server holds, so the app
 * shows both and the person chooses — the server never overwrites a change it was not shown.
 *
 * Constraints:
 * - Every request checks the caller's current membership and role (roles.ts: `read-records`, and
 *   per kind the write action of {@link WRITE_ACTION}); a write does so after locking the
 *   project's row, in the transaction that stores it and its audit entry.
 * - Never sent: a body is checked against its format's schema and the never-sent guard (no
 *   examples, failing rows, event-log events, whole reports); a report is kept as its summary
 *   and SHA-256s only. Refused with 400 and the place of the field, never its value.
 * - Bounded: body size, records per project, records per answer.
 */
import type { FastifyInstance } from 'fastify';
import {
  isSharedRecordKind,
  KIND_RULES,
  recordContentProblem,
  recordSha256,
  SHARED_RECORD_KINDS,
  type SharedRecord,
  type SharedRecordKind,
} from '../core/teamRecords/index.ts';
import type { Database, Queryable } from './database.ts';
import { personOf, projectAudit, requireAction } from './projectRoutes.ts';
import { ProjectRefusal } from './projects.ts';
import type { ProjectAction } from './roles.ts';

/** The largest record body kept, as JSON (a contract or a roster of a large clinic is far smaller). */
export const MAX_RECORD_BYTES = 512 * 1024;
/** Records one project keeps, of all kinds. */
export const MAX_RECORDS_PER_PROJECT = 5000;
/** Records one pull answers with; the rest come with the next. */
export const MAX_RECORDS_PER_ANSWER = 500;

/** Who may write each kind: the role accountable for it (roles.ts). */
export const WRITE_ACTION: Readonly<Record<SharedRecordKind, ProjectAction>> = {
  'check-set': 'edit-data-checks',
  contract: 'edit-data-checks',
  mapping: 'edit-data-checks',
  waiver: 'edit-data-checks',
  'report-summary': 'edit-data-checks',
  'sample-plan': 'edit-plans',
  roster: 'edit-plans',
  'readiness-record': 'edit-readiness',
  'steering-decision': 'record-steering',
};

const ID = { type: 'string', minLength: 1, maxLength: 200 };
const params = {
  type: 'object',
  properties: {
    projectId: { type: 'string', maxLength: 64 },
    kind: { type: 'string', enum: SHARED_RECORD_KINDS },
    recordId: ID,
  },
};
const afterQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { after: { type: 'string', pattern: '^[0-9]{1,15}$' } },
};
const putBody = {
  type: 'object',
  additionalProperties: false,
  required: ['baseVersion', 'body'],
  properties: {
    baseVersion: { type: 'integer', minimum: 0 },
    body: { anyOf: [{ type: 'object' }, { type: 'array' }, { type: 'null' }] },
  },
};

interface RecordParams {
  projectId: string;
  kind: SharedRecordKind;
  recordId: string;
}

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

/** Whether any text in `value` has a NUL character: PostgreSQL's jsonb cannot hold one. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).some(([key, inner]) => holdsNul(key) || holdsNul(inner));
  return false;
}

/** Refuses a body that is not a well-formed record of `kind`, or that carries record content. */
export function storableBody(kind: SharedRecordKind, id: string, body: unknown): string {
  const content = recordContentProblem(body);
  if (content !== undefined)
    throw new ProjectRefusal(400, `this ${KIND_RULES[kind].one} was not kept: ${content}`);
  const problem = KIND_RULES[kind].problem(body, id);
  if (problem !== undefined)
    throw new ProjectRefusal(
      422,
      `this is not a ${KIND_RULES[kind].one} Preflight can keep (at ${problem}): check it in the app and send it again`,
    );
  if (holdsNul(body)) throw new ProjectRefusal(422, 'text with a NUL character cannot be stored: remove it');
  const json = JSON.stringify(body);
  if (Buffer.byteLength(json) > MAX_RECORD_BYTES)
    throw new ProjectRefusal(413, `a shared record is kept up to ${MAX_RECORD_BYTES / 1024} KB`);
  return json;
}

/** The shared record routes on `app`, over `db`, with the server's clock. */
export function registerSharedRecordRoutes(app: FastifyInstance, db: Database, clock: () => number): void {
  const base = '/api/projects/:projectId/records';

  app.get<{ Params: RecordParams; Querystring: { after?: string } }>(
    base,
    { schema: { params, querystring: afterQuery } },
    async (request) => {
      const { projectId } = request.params;
      await requireAction(db, request, projectId, 'read-records', clock(), false);
      const after = Number(request.query.after ?? 0);
      const [project] = await db.query<{ records_head: string | number }>(
        'SELECT records_head FROM projects WHERE id = $1',
        [projectId],
      );
      const rows = await db.query<RecordRow>(
        `SELECT ${COLUMNS} FROM shared_records WHERE project_id = $1 AND version > $2 ORDER BY version LIMIT $3`,
        [projectId, after, MAX_RECORDS_PER_ANSWER],
      );
      return { head: Number(project?.records_head ?? 0), records: rows.map(recordOfRow) };
    },
  );

  app.get<{ Params: RecordParams }>(`${base}/:kind/:recordId`, { schema: { params } }, async (request) => {
    const { projectId, kind, recordId } = request.params;
    await requireAction(db, request, projectId, 'read-records', clock(), false);
    const current = await recordOf(db, projectId, kind, recordId);
    if (current === undefined)
      throw new ProjectRefusal(404, `no such ${KIND_RULES[kind].one} in this project`);
    return { record: current };
  });

  app.put<{ Params: RecordParams; Body: { baseVersion: number; body: unknown } }>(
    `${base}/:kind/:recordId`,
    { schema: { params, body: putBody } },
    async (request, reply) => {
      const { projectId, kind, recordId } = request.params;
      if (!isSharedRecordKind(kind)) throw new ProjectRefusal(404, 'no such kind of record');
      const { baseVersion, body } = request.body;
      const json = body === null ? null : storableBody(kind, recordId, body);
      const sha256 = recordSha256(body);
      type Written = { conflict: SharedRecord | null } | { record: SharedRecord };
      const answer = await db.transaction(async (tx): Promise<Written> => {
        await requireAction(tx, request, projectId, WRITE_ACTION[kind], clock(), true);
        const current = await recordOf(tx, projectId, kind, recordId);
        // the server already holds exactly this (a copy resending after a lost answer, or two
        // copies of one project): agreed as it is, with no new version
        if (current !== undefined && current.sha256 === sha256) return { record: current };
        if ((current?.version ?? 0) !== baseVersion) return { conflict: current ?? null };
        if (current === undefined) {
          if (body === null) throw new ProjectRefusal(404, `no such ${KIND_RULES[kind].one} in this project`);
          const [counted] = await tx.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM shared_records WHERE project_id = $1',
            [projectId],
          );
          if ((counted?.n ?? 0) >= MAX_RECORDS_PER_PROJECT)
            throw new ProjectRefusal(
              409,
              `a project keeps at most ${MAX_RECORDS_PER_PROJECT} shared records`,
            );
        }
        const [head] = await tx.query<{ records_head: string | number }>(
          'UPDATE projects SET records_head = records_head + 1 WHERE id = $1 RETURNING records_head',
          [projectId],
        );
        const version = Number(head?.records_head);
        const who = personOf(request);
        const at = new Date(clock()).toISOString();
        await tx.query(
          `INSERT INTO shared_records
             (project_id, kind, id, version, body, sha256, written_by_issuer, written_by_subject, written_by_name, written_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (project_id, kind, id) DO UPDATE SET
             version = EXCLUDED.version, body = EXCLUDED.body, sha256 = EXCLUDED.sha256,
             written_by_issuer = EXCLUDED.written_by_issuer, written_by_subject = EXCLUDED.written_by_subject,
             written_by_name = EXCLUDED.written_by_name, written_at = EXCLUDED.written_at`,
          [projectId, kind, recordId, version, json, sha256, who.issuer, who.subject, who.name, at],
        );
        await projectAudit(tx, request, clock(), body === null ? 'record-removed' : 'record-written', {
          record: kind,
          id: recordId,
          version: String(version),
          sha256,
        });
        return { record: (await recordOf(tx, projectId, kind, recordId)) as SharedRecord };
      });
      if ('conflict' in answer)
        return reply.code(409).send({
          error:
            answer.conflict === null
              ? `this ${KIND_RULES[kind].one} was removed from the team server after your copy was made`
              : `someone else changed this ${KIND_RULES[kind].one} first (${answer.conflict.by}, ${answer.conflict.at}): choose which version to keep`,
          current: answer.conflict,
        });
      return { record: answer.record };
    },
  );
}

async function recordOf(
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
