/**
 * A project's shared workflows: shared from someone's own workflow, listed, opened, changed by
 * several people at once, and named, compared and restored as versions. The server's part of the
 * sync (docs/decisions: shared workflows sync) is to put every change in one order: it replays
 * each change on the stored workflow (src/core/workflow/shared), numbers it, and answers every
 * push or pull with the changes after the head the caller knows, so every copy replays the same
 * order and shows the same workflow.
 *
 * Constraints:
 * - Every request checks the caller's current membership and role (roles.ts: `read-workflows`,
 *   `edit-workflows`); a change does so after locking the project's row, in the transaction that
 *   stores it, so a member removed or past their end date is refused at their next request (404).
 * - A change is stored once whatever the number of times it is sent (its id is unique per
 *   workflow), so a copy that lost an answer sends it again safely.
 * - A merged workflow that breaks a rule of the process (a flow to a removed step) is stored as
 *   it is: the analysis shows it. A change whose workflow the format's schema refuses (a value of
 *   the wrong type or range) is refused whole.
 * - Bounded: changes per request, operations per request, the workflow's size, changes and
 *   versions per workflow, workflows per project. Sharing, naming a version and restoring one
 *   are audit entries in the project's chain; the changes themselves are their own record.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ProjectAction } from '../core/teamApi/index.ts';
import {
  applyOps,
  diffWorkflows,
  type PendingChange,
  type ServerChange,
  type SharedOp,
  type SyncAnswer,
  sharedOpProblem,
} from '../core/workflow/shared/index.ts';
import { validateWorkflow } from '../formats/generated/validators.js';
import { loadWorkflow, type Workflow } from '../formats/workflow.ts';
import type { ServerAuditKind } from './auditLog.ts';
import type { Database, Queryable } from './database.ts';
import { personOf, projectAudit, requireAction } from './projectRoutes.ts';
import { ProjectRefusal } from './projects.ts';

/** The largest shared workflow kept, as JSON (a clinic process of hundreds of steps is far smaller). */
export const MAX_SHARED_WORKFLOW_BYTES = 768 * 1024;
/** Changes one request may carry (a copy that was offline for a day sends them together). */
export const MAX_CHANGES_PER_PUSH = 500;
/** Operations one request may carry in all. */
export const MAX_OPS_PER_PUSH = 5000;
/** Changes one answer carries; the rest come with the next pull. */
export const MAX_CHANGES_PER_ANSWER = 1000;
/** Changes one workflow keeps; past it, a version is named and shared afresh. */
export const MAX_CHANGES_PER_WORKFLOW = 100_000;
/** Named versions of one workflow. */
export const MAX_VERSIONS = 200;
/** Shared workflows of one project. */
export const MAX_SHARED_WORKFLOWS = 500;
/** The longest version name. */
export const MAX_VERSION_NAME = 200;

const NO_WORKFLOW = 'no such shared workflow in this project: it may not have been shared yet';

const ID = { type: 'string', minLength: 1, maxLength: 200 };
const params = {
  type: 'object',
  properties: { projectId: { type: 'string', maxLength: 64 }, workflowId: ID, versionId: ID },
};
const afterQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { after: { type: 'string', pattern: '^[0-9]{1,15}$' } },
};
const shareBody = {
  type: 'object',
  additionalProperties: false,
  required: ['workflow'],
  properties: { workflow: { type: 'object' } },
};
const pushBody = {
  type: 'object',
  additionalProperties: false,
  required: ['after', 'changes'],
  properties: {
    after: { type: 'integer', minimum: 0 },
    changes: {
      type: 'array',
      maxItems: MAX_CHANGES_PER_PUSH,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'ops'],
        properties: { id: ID, ops: { type: 'array', maxItems: MAX_OPS_PER_PUSH, items: { type: 'object' } } },
      },
    },
  },
};
const versionBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: MAX_VERSION_NAME } },
};
const restoreBody = {
  type: 'object',
  additionalProperties: false,
  properties: { after: { type: 'integer', minimum: 0 } },
};

interface WorkflowParams {
  projectId: string;
  workflowId: string;
}
interface VersionParams extends WorkflowParams {
  versionId: string;
}

/** A shared workflow as the project's list shows it. */
export interface SharedWorkflowSummary {
  id: string;
  name: string;
  state: string;
  process: string | null;
  head: number;
  sharedAt: string;
}

/** A named version as listed. */
export interface SharedVersion {
  id: string;
  name: string;
  head: number;
  namedAt: string;
  namedBy: string;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/** A named version as its table row holds it. */
interface VersionRow {
  id: string;
  name: string;
  head: string | number;
  named_at: Date | string;
  named_by_name: string;
  [column: string]: unknown;
}
const versionOfRow = (r: VersionRow): SharedVersion => ({
  id: r.id,
  name: r.name,
  head: Number(r.head),
  namedAt: iso(r.named_at),
  namedBy: r.named_by_name,
});
const asWorkflow = (value: unknown): Workflow =>
  (typeof value === 'string' ? JSON.parse(value) : value) as Workflow;

/** The stored workflow and its head, the row locked for the transaction when `lock`. */
async function storedWorkflow(
  q: Queryable,
  projectId: string,
  workflowId: string,
  lock: boolean,
): Promise<{ workflow: Workflow; head: number }> {
  const rows = await q.query<{ document: unknown; head: string | number }>(
    `SELECT document, head FROM shared_workflows WHERE project_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [projectId, workflowId],
  );
  const row = rows[0];
  if (row === undefined) throw new ProjectRefusal(404, NO_WORKFLOW);
  return { workflow: asWorkflow(row.document), head: Number(row.head) };
}

async function changesAfter(
  q: Queryable,
  projectId: string,
  workflowId: string,
  after: number,
  head: number,
): Promise<SyncAnswer> {
  const rows = await q.query<{ seq: string | number; change_id: string; author_name: string; ops: unknown }>(
    `SELECT seq, change_id, author_name, ops FROM shared_workflow_changes
     WHERE project_id = $1 AND workflow_id = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
    [projectId, workflowId, after, MAX_CHANGES_PER_ANSWER],
  );
  const changes: ServerChange[] = rows.map((r) => ({
    seq: Number(r.seq),
    id: r.change_id,
    author: r.author_name,
    ops: (typeof r.ops === 'string' ? JSON.parse(r.ops) : r.ops) as SharedOp[],
  }));
  return { head, changes };
}

/** Whether any text in `value` has a NUL character: PostgreSQL's jsonb cannot hold one (and no text typed in the editor has one). */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).some(([key, inner]) => holdsNul(key) || holdsNul(inner));
  return false;
}

/** Refuses a workflow the format's schema refuses, or one larger than the server keeps. */
function checkStorable(workflow: Workflow): string {
  if (!validateWorkflow(workflow)) {
    const where = validateWorkflow.errors?.[0]?.instancePath || '/';
    throw new ProjectRefusal(
      422,
      `this change would leave the workflow with a value the workflow format does not allow (at ${where}): undo it and try again`,
    );
  }
  const json = JSON.stringify(workflow);
  if (holdsNul(workflow))
    throw new ProjectRefusal(
      422,
      'the workflow has text with a NUL character, which cannot be stored: remove it',
    );
  if (Buffer.byteLength(json) > MAX_SHARED_WORKFLOW_BYTES)
    throw new ProjectRefusal(
      413,
      `a shared workflow is kept up to ${MAX_SHARED_WORKFLOW_BYTES / 1024} KB: split the process into smaller workflows`,
    );
  return json;
}

/**
 * Stores `changes` (those not stored yet) after the workflow's current head, in `tx`, whose
 * caller already holds the right to edit; returns the new head.
 */
async function storeChanges(
  tx: Queryable,
  request: FastifyRequest,
  projectId: string,
  workflowId: string,
  changes: readonly PendingChange[],
  now: number,
): Promise<number> {
  const stored = await storedWorkflow(tx, projectId, workflowId, true);
  let { workflow, head } = stored;
  const author = personOf(request);
  for (const change of changes) {
    const seen = await tx.query(
      'SELECT 1 FROM shared_workflow_changes WHERE project_id = $1 AND workflow_id = $2 AND change_id = $3',
      [projectId, workflowId, change.id],
    );
    if (seen.length > 0) continue;
    const opsJson = JSON.stringify(change.ops);
    if (holdsNul(change.ops))
      throw new ProjectRefusal(400, `change ${change.id}: text with a NUL character cannot be stored`);
    for (const [i, op] of change.ops.entries()) {
      const problem = sharedOpProblem(op);
      if (problem !== undefined)
        throw new ProjectRefusal(400, `change ${change.id}, operation ${i + 1}: ${problem}`);
    }
    if (head >= MAX_CHANGES_PER_WORKFLOW)
      throw new ProjectRefusal(
        409,
        `this workflow has had ${MAX_CHANGES_PER_WORKFLOW} changes, as many as it keeps: name a version, then share a copy of it as a new workflow`,
      );
    workflow = applyOps(workflow, change.ops).workflow;
    head += 1;
    await tx.query(
      `INSERT INTO shared_workflow_changes
         (project_id, workflow_id, seq, change_id, author_issuer, author_subject, author_name, at, ops)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        projectId,
        workflowId,
        head,
        change.id,
        author.issuer,
        author.subject,
        author.name,
        new Date(now).toISOString(),
        opsJson,
      ],
    );
  }
  if (head !== stored.head)
    await tx.query('UPDATE shared_workflows SET document = $3, head = $4 WHERE project_id = $1 AND id = $2', [
      projectId,
      workflowId,
      checkStorable(workflow),
      head,
    ]);
  return head;
}

/** The shared workflow routes on `app`, over `db`, with the server's clock. */
export function registerSharedWorkflowRoutes(app: FastifyInstance, db: Database, clock: () => number): void {
  const base = '/api/projects/:projectId/workflows';

  /** Reads as a current member whose role may `action` (404 / 403 otherwise). */
  async function reading<T>(
    request: FastifyRequest<{ Params: WorkflowParams }>,
    work: (q: Queryable) => Promise<T>,
  ) {
    await requireAction(db, request, request.params.projectId, 'read-workflows', clock(), false);
    return work(db);
  }

  /** A change the caller's role must allow, with its audit entry when `audit` says one. */
  function changing<T>(
    request: FastifyRequest<{ Params: WorkflowParams }>,
    action: ProjectAction,
    work: (
      tx: Queryable,
    ) => Promise<{ result: T; audit?: { kind: ServerAuditKind; detail: Record<string, string> } }>,
  ): Promise<T> {
    const { projectId } = request.params;
    return db.transaction(async (tx) => {
      await requireAction(tx, request, projectId, action, clock(), true);
      const { result, audit } = await work(tx);
      if (audit) await projectAudit(tx, request, clock(), audit.kind, audit.detail);
      return result;
    });
  }

  app.get<{ Params: WorkflowParams }>(base, { schema: { params } }, (request) =>
    reading(request, async (q) => {
      const rows = await q.query<{
        id: string;
        name: string;
        state: string;
        process: string | null;
        head: string | number;
        shared_at: Date | string;
      }>(
        `SELECT id, document->>'name' AS name, document->>'state' AS state, document->>'process' AS process,
                head, shared_at
         FROM shared_workflows WHERE project_id = $1 ORDER BY document->>'name', id`,
        [request.params.projectId],
      );
      const workflows: SharedWorkflowSummary[] = rows.map((r) => ({
        id: r.id,
        name: r.name,
        state: r.state,
        process: r.process,
        head: Number(r.head),
        sharedAt: iso(r.shared_at),
      }));
      return { workflows };
    }),
  );

  app.post<{ Params: WorkflowParams; Body: { workflow: unknown } }>(
    base,
    { schema: { params, body: shareBody } },
    async (request, reply) => {
      const loaded = loadWorkflow(request.body.workflow);
      if (!loaded.ok)
        throw new ProjectRefusal(
          422,
          `this is not a workflow Preflight can share (${loaded.problems[0]?.message ?? 'not a workflow'}): export it again from the editor`,
        );
      const workflow = loaded.value;
      const json = checkStorable(workflow);
      const { projectId } = request.params;
      await changing(request, 'edit-workflows', async (tx) => {
        const [counted] = await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM shared_workflows WHERE project_id = $1',
          [projectId],
        );
        if ((counted?.n ?? 0) >= MAX_SHARED_WORKFLOWS)
          throw new ProjectRefusal(409, `a project shares at most ${MAX_SHARED_WORKFLOWS} workflows`);
        const existing = await tx.query('SELECT 1 FROM shared_workflows WHERE project_id = $1 AND id = $2', [
          projectId,
          workflow.id,
        ]);
        if (existing.length > 0)
          throw new ProjectRefusal(
            409,
            'a workflow with this id is already shared in this project: open the shared one instead',
          );
        await tx.query(
          `INSERT INTO shared_workflows (project_id, id, document, head, shared_at, shared_by_subject)
           VALUES ($1, $2, $3, 0, $4, $5)`,
          [projectId, workflow.id, json, new Date(clock()).toISOString(), personOf(request).subject],
        );
        return {
          result: undefined,
          audit: { kind: 'workflow-shared', detail: { workflow: workflow.id, name: workflow.name } },
        };
      });
      return reply.code(201).send({ workflow, head: 0 });
    },
  );

  app.get<{ Params: WorkflowParams }>(`${base}/:workflowId`, { schema: { params } }, (request) =>
    reading(request, (q) => storedWorkflow(q, request.params.projectId, request.params.workflowId, false)),
  );

  app.get<{ Params: WorkflowParams; Querystring: { after?: string } }>(
    `${base}/:workflowId/changes`,
    { schema: { params, querystring: afterQuery } },
    (request) =>
      reading(request, async (q) => {
        const { projectId, workflowId } = request.params;
        const { head } = await storedWorkflow(q, projectId, workflowId, false);
        return changesAfter(q, projectId, workflowId, Number(request.query.after ?? 0), head);
      }),
  );

  app.post<{ Params: WorkflowParams; Body: { after: number; changes: PendingChange[] } }>(
    `${base}/:workflowId/changes`,
    { schema: { params, body: pushBody } },
    async (request) => {
      const { projectId, workflowId } = request.params;
      const { after, changes } = request.body;
      const ops = changes.reduce((n, change) => n + change.ops.length, 0);
      if (ops > MAX_OPS_PER_PUSH)
        throw new ProjectRefusal(413, `send at most ${MAX_OPS_PER_PUSH} operations at once`);
      return changing(request, 'edit-workflows', async (tx) => {
        const head = await storeChanges(tx, request, projectId, workflowId, changes, clock());
        return { result: await changesAfter(tx, projectId, workflowId, after, head) };
      });
    },
  );

  app.get<{ Params: WorkflowParams }>(`${base}/:workflowId/versions`, { schema: { params } }, (request) =>
    reading(request, async (q) => {
      const { projectId, workflowId } = request.params;
      await storedWorkflow(q, projectId, workflowId, false);
      const rows = await q.query<VersionRow>(
        `SELECT id, name, head, named_at, named_by_name FROM shared_workflow_versions
         WHERE project_id = $1 AND workflow_id = $2 ORDER BY named_at, head, id`,
        [projectId, workflowId],
      );
      return { versions: rows.map(versionOfRow) };
    }),
  );

  app.post<{ Params: WorkflowParams; Body: { name: string } }>(
    `${base}/:workflowId/versions`,
    { schema: { params, body: versionBody } },
    async (request, reply) => {
      const { projectId, workflowId } = request.params;
      const name = request.body.name.trim();
      if (name === '') throw new ProjectRefusal(400, 'give the version a name');
      const version = await changing(request, 'edit-workflows', async (tx) => {
        const { workflow, head } = await storedWorkflow(tx, projectId, workflowId, true);
        const [counted] = await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM shared_workflow_versions WHERE project_id = $1 AND workflow_id = $2',
          [projectId, workflowId],
        );
        if ((counted?.n ?? 0) >= MAX_VERSIONS)
          throw new ProjectRefusal(409, `a workflow keeps at most ${MAX_VERSIONS} named versions`);
        const named: SharedVersion = {
          id: randomUUID(),
          name,
          head,
          namedAt: new Date(clock()).toISOString(),
          namedBy: personOf(request).name,
        };
        await tx.query(
          `INSERT INTO shared_workflow_versions
             (project_id, workflow_id, id, name, head, document, named_at, named_by_subject, named_by_name)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            projectId,
            workflowId,
            named.id,
            name,
            head,
            JSON.stringify(workflow),
            named.namedAt,
            personOf(request).subject,
            named.namedBy,
          ],
        );
        return {
          result: named,
          audit: {
            kind: 'workflow-version-named',
            detail: { workflow: workflowId, version: named.id, name, head: String(head) },
          },
        };
      });
      return reply.code(201).send({ version });
    },
  );

  async function versionOf(
    q: Queryable,
    p: VersionParams,
  ): Promise<{ version: SharedVersion; workflow: Workflow }> {
    const rows = await q.query<VersionRow & { document: unknown }>(
      `SELECT id, name, head, named_at, named_by_name, document FROM shared_workflow_versions
       WHERE project_id = $1 AND workflow_id = $2 AND id = $3`,
      [p.projectId, p.workflowId, p.versionId],
    );
    const row = rows[0];
    if (row === undefined) throw new ProjectRefusal(404, 'no such named version of this workflow');
    return { version: versionOfRow(row), workflow: asWorkflow(row.document) };
  }

  app.get<{ Params: VersionParams }>(
    `${base}/:workflowId/versions/:versionId`,
    { schema: { params } },
    (request) => reading(request, (q) => versionOf(q, request.params)),
  );

  app.post<{ Params: VersionParams; Body: { after?: number } }>(
    `${base}/:workflowId/versions/:versionId/restore`,
    { schema: { params, body: restoreBody } },
    async (request) => {
      const { projectId, workflowId } = request.params;
      return changing(request, 'edit-workflows', async (tx) => {
        const { version, workflow: old } = await versionOf(tx, request.params);
        const { workflow: now, head: before } = await storedWorkflow(tx, projectId, workflowId, true);
        // the restore is one more change: what turns today's workflow back into the version's
        const change = { id: `restore:${randomUUID()}`, ops: diffWorkflows(now, old) };
        const head = await storeChanges(tx, request, projectId, workflowId, [change], clock());
        return {
          result: await changesAfter(tx, projectId, workflowId, request.body?.after ?? before, head),
          audit: {
            kind: 'workflow-restored',
            detail: { workflow: workflowId, version: version.id, name: version.name, head: String(head) },
          },
        };
      });
    },
  );
}
