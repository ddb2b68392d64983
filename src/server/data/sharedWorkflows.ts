/**
 * The shared workflows' tables (`shared_workflows`, `shared_workflow_changes`,
 * `shared_workflow_versions`): every SQL statement the shared workflow routes run, as plain
 * functions over the database's query interface.
 *
 * Constraint: {@link storedWorkflow} with `lock` takes the workflow's row for the transaction, so
 * changes to one workflow are numbered one after another however many copies push at once.
 */
import type { SharedVersion, SharedWorkflowSummary } from '../../core/teamApi/index.ts';
import type { ServerChange, SharedOp } from '../../core/workflow/shared/index.ts';
import type { Workflow } from '../../formats/workflow.ts';
import type { Queryable } from '../database.ts';
import { ProjectRefusal } from '../projects.ts';

/** What a request for a workflow the project does not share is told. */
const NO_WORKFLOW = 'no such shared workflow in this project: it may not have been shared yet';

const iso = (value: Date | string) => new Date(value).toISOString();
const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

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

/** The project's shared workflows, by name. */
export async function workflowsOf(q: Queryable, projectId: string): Promise<SharedWorkflowSummary[]> {
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
    [projectId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    state: r.state,
    process: r.process,
    head: Number(r.head),
    sharedAt: iso(r.shared_at),
  }));
}

/** How many workflows the project shares. */
export async function workflowCount(q: Queryable, projectId: string): Promise<number> {
  const [counted] = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM shared_workflows WHERE project_id = $1',
    [projectId],
  );
  return counted?.n ?? 0;
}

/** Whether the project shares a workflow with this id. */
export async function workflowShared(q: Queryable, projectId: string, workflowId: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM shared_workflows WHERE project_id = $1 AND id = $2', [
    projectId,
    workflowId,
  ]);
  return rows.length > 0;
}

/** Stores a newly shared workflow (as JSON) at head 0. */
export async function insertWorkflow(
  tx: Queryable,
  share: { projectId: string; workflowId: string; json: string; at: string; bySubject: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO shared_workflows (project_id, id, document, head, shared_at, shared_by_subject)
     VALUES ($1, $2, $3, 0, $4, $5)`,
    [share.projectId, share.workflowId, share.json, share.at, share.bySubject],
  );
}

/**
 * The stored workflow and its head, the row locked for the transaction when `lock`.
 * @throws ProjectRefusal 404 when the project shares no such workflow
 */
export async function storedWorkflow(
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
  return { workflow: parsed(row.document) as Workflow, head: Number(row.head) };
}

/** Replaces the stored workflow (as JSON) and its head. */
export async function updateWorkflow(
  tx: Queryable,
  projectId: string,
  workflowId: string,
  json: string,
  head: number,
): Promise<void> {
  await tx.query('UPDATE shared_workflows SET document = $3, head = $4 WHERE project_id = $1 AND id = $2', [
    projectId,
    workflowId,
    json,
    head,
  ]);
}

/** Up to `limit` changes after `after`, in the server's order. */
export async function changesAfter(
  q: Queryable,
  projectId: string,
  workflowId: string,
  after: number,
  limit: number,
): Promise<ServerChange[]> {
  const rows = await q.query<{
    seq: string | number;
    change_id: string;
    author_name: string;
    at: Date | string;
    ops: unknown;
  }>(
    `SELECT seq, change_id, author_name, at, ops FROM shared_workflow_changes
     WHERE project_id = $1 AND workflow_id = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
    [projectId, workflowId, after, limit],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    id: r.change_id,
    author: r.author_name,
    at: new Date(r.at).toISOString(),
    ops: parsed(r.ops) as SharedOp[],
  }));
}

/** Whether a change with this id is stored already (a copy sending it again). */
export async function changeStored(
  q: Queryable,
  projectId: string,
  workflowId: string,
  changeId: string,
): Promise<boolean> {
  const seen = await q.query(
    'SELECT 1 FROM shared_workflow_changes WHERE project_id = $1 AND workflow_id = $2 AND change_id = $3',
    [projectId, workflowId, changeId],
  );
  return seen.length > 0;
}

/** Stores one change as number `seq`, its operations as JSON. */
export async function insertChange(
  tx: Queryable,
  change: {
    projectId: string;
    workflowId: string;
    seq: number;
    changeId: string;
    author: { issuer: string; subject: string; name: string };
    at: string;
    opsJson: string;
  },
): Promise<void> {
  const { author } = change;
  await tx.query(
    `INSERT INTO shared_workflow_changes
       (project_id, workflow_id, seq, change_id, author_issuer, author_subject, author_name, at, ops)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      change.projectId,
      change.workflowId,
      change.seq,
      change.changeId,
      author.issuer,
      author.subject,
      author.name,
      change.at,
      change.opsJson,
    ],
  );
}

/** The workflow's named versions, oldest first. */
export async function versionsOf(
  q: Queryable,
  projectId: string,
  workflowId: string,
): Promise<SharedVersion[]> {
  const rows = await q.query<VersionRow>(
    `SELECT id, name, head, named_at, named_by_name FROM shared_workflow_versions
     WHERE project_id = $1 AND workflow_id = $2 ORDER BY named_at, head, id`,
    [projectId, workflowId],
  );
  return rows.map(versionOfRow);
}

/** How many versions of the workflow are named. */
export async function versionCount(q: Queryable, projectId: string, workflowId: string): Promise<number> {
  const [counted] = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM shared_workflow_versions WHERE project_id = $1 AND workflow_id = $2',
    [projectId, workflowId],
  );
  return counted?.n ?? 0;
}

/** Stores a named version with the workflow as it is at its head. */
export async function insertVersion(
  tx: Queryable,
  projectId: string,
  workflowId: string,
  version: SharedVersion,
  workflow: Workflow,
  bySubject: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO shared_workflow_versions
       (project_id, workflow_id, id, name, head, document, named_at, named_by_subject, named_by_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      projectId,
      workflowId,
      version.id,
      version.name,
      version.head,
      JSON.stringify(workflow),
      version.namedAt,
      bySubject,
      version.namedBy,
    ],
  );
}

/**
 * A named version and the workflow as it was then.
 * @throws ProjectRefusal 404 when the workflow has no such version
 */
export async function versionOf(
  q: Queryable,
  projectId: string,
  workflowId: string,
  versionId: string,
): Promise<{ version: SharedVersion; workflow: Workflow }> {
  const rows = await q.query<VersionRow & { document: unknown }>(
    `SELECT id, name, head, named_at, named_by_name, document FROM shared_workflow_versions
     WHERE project_id = $1 AND workflow_id = $2 AND id = $3`,
    [projectId, workflowId, versionId],
  );
  const row = rows[0];
  if (row === undefined) throw new ProjectRefusal(404, 'no such named version of this workflow');
  return { version: versionOfRow(row), workflow: parsed(row.document) as Workflow };
}
