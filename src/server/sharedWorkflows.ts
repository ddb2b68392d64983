/**
 * A project's shared workflows: shared from someone's own workflow, listed, opened, changed by
 * several people at once, and named, compared and restored as versions. The server's part of the
 * sync (docs/decisions: shared workflows sync) is to put every change in one order: it replays
 * each change on the stored workflow (src/core/workflow/shared), numbers it, and answers every
 * push or pull with the changes after the head the caller knows, so every copy replays the same
 * order and shows the same workflow.
 *
 * Constraints:
 * - Every request checks the caller's current membership and role (src/core/teamRoles: `read-workflows`,
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
 *
 * Each route is its contract (src/core/teamApi/sharedWorkflows.ts) over the tables' functions
 * (data/sharedWorkflows.ts).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import {
  listVersionsRoute,
  listWorkflowsRoute,
  MAX_OPS_PER_PUSH,
  nameVersionRoute,
  openWorkflowRoute,
  pullChangesRoute,
  pushChangesRoute,
  readVersionRoute,
  restoreVersionRoute,
  type SharedVersion,
  shareWorkflowRoute,
} from '../core/teamApi/index.ts';
import {
  applyOps,
  diffWorkflows,
  type PendingChange,
  type SyncAnswer,
  sharedOpProblem,
} from '../core/workflow/shared/index.ts';
import { validateWorkflow } from '../formats/generated/validators.js';
import { loadWorkflow, type Workflow } from '../formats/workflow.ts';
import { personOf } from './access.ts';
import { type RouteServices, serveProjectRoute } from './contractRoute.ts';
import {
  changeStored,
  changesAfter,
  insertChange,
  insertVersion,
  insertWorkflow,
  storedWorkflow,
  updateWorkflow,
  versionCount,
  versionOf,
  versionsOf,
  workflowCount,
  workflowShared,
  workflowsOf,
} from './data/sharedWorkflows.ts';
import type { Queryable } from './database.ts';
import { ProjectRefusal } from './projects.ts';

export { MAX_CHANGES_PER_PUSH } from '../core/teamApi/index.ts';

/** The largest shared workflow kept, as JSON (a clinic process of hundreds of steps is far smaller). */
export const MAX_SHARED_WORKFLOW_BYTES = 768 * 1024;
/** Changes one answer carries; the rest come with the next pull. */
const MAX_CHANGES_PER_ANSWER = 1000;
/** Changes one workflow keeps; past it, a version is named and shared afresh. */
const MAX_CHANGES_PER_WORKFLOW = 100_000;
/** Named versions of one workflow. */
const MAX_VERSIONS = 200;
/** Shared workflows of one project. */
const MAX_SHARED_WORKFLOWS = 500;

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

/** The changes after `after` and the head, as a pull or push answers. */
async function syncAnswer(
  q: Queryable,
  projectId: string,
  workflowId: string,
  after: number,
  head: number,
): Promise<SyncAnswer> {
  return { head, changes: await changesAfter(q, projectId, workflowId, after, MAX_CHANGES_PER_ANSWER) };
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
    if (await changeStored(tx, projectId, workflowId, change.id)) continue;
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
    await insertChange(tx, {
      projectId,
      workflowId,
      seq: head,
      changeId: change.id,
      author: { issuer: author.issuer, subject: author.subject, name: author.name },
      at: new Date(now).toISOString(),
      opsJson,
    });
  }
  if (head !== stored.head) await updateWorkflow(tx, projectId, workflowId, checkStorable(workflow), head);
  return head;
}

/**
 * The shared workflow routes, a fastify plugin over `db` with the server's clock: reading is
 * `read-workflows`; sharing, pushing, naming and restoring are `edit-workflows`, each in one
 * transaction that locks the project's row, with its audit entry.
 */
export const sharedWorkflowRoutes: FastifyPluginAsync<RouteServices> = async (app, services) => {
  const { clock } = services;
  const read = { action: 'read-workflows', transaction: 'none' } as const;
  const change = { action: 'edit-workflows', transaction: 'change' } as const;

  serveProjectRoute(app, services, {
    contract: listWorkflowsRoute,
    ...read,
    handler: async ({ tx, projectId }) => ({ workflows: await workflowsOf(tx, projectId) }),
  });

  serveProjectRoute(app, services, {
    contract: shareWorkflowRoute,
    ...change,
    prepare: (request) => {
      const loaded = loadWorkflow(request.body.workflow);
      if (!loaded.ok)
        throw new ProjectRefusal(
          422,
          `this is not a workflow Preflight can share (${loaded.problems[0]?.message ?? 'not a workflow'}): export it again from the editor`,
        );
      return { workflow: loaded.value, json: checkStorable(loaded.value) };
    },
    handler: async ({ tx, projectId, request, audit, prepared: { workflow, json } }) => {
      if ((await workflowCount(tx, projectId)) >= MAX_SHARED_WORKFLOWS)
        throw new ProjectRefusal(409, `a project shares at most ${MAX_SHARED_WORKFLOWS} workflows`);
      if (await workflowShared(tx, projectId, workflow.id))
        throw new ProjectRefusal(
          409,
          'a workflow with this id is already shared in this project: open the shared one instead',
        );
      await insertWorkflow(tx, {
        projectId,
        workflowId: workflow.id,
        json,
        at: new Date(clock()).toISOString(),
        bySubject: personOf(request).subject,
      });
      await audit('workflow-shared', { workflow: workflow.id, name: workflow.name });
      return { workflow, head: 0 };
    },
  });

  serveProjectRoute(app, services, {
    contract: openWorkflowRoute,
    ...read,
    handler: ({ tx, projectId, params }) => storedWorkflow(tx, projectId, params.workflowId, false),
  });

  serveProjectRoute(app, services, {
    contract: pullChangesRoute,
    ...read,
    handler: async ({ tx, projectId, params, query }) => {
      const { head } = await storedWorkflow(tx, projectId, params.workflowId, false);
      return syncAnswer(tx, projectId, params.workflowId, Number(query.after ?? 0), head);
    },
  });

  serveProjectRoute(app, services, {
    contract: pushChangesRoute,
    ...change,
    prepare: (request) => {
      const ops = request.body.changes.reduce((n, one) => n + one.ops.length, 0);
      if (ops > MAX_OPS_PER_PUSH)
        throw new ProjectRefusal(413, `send at most ${MAX_OPS_PER_PUSH} operations at once`);
    },
    handler: async ({ tx, projectId, params, body, request }) => {
      const head = await storeChanges(tx, request, projectId, params.workflowId, body.changes, clock());
      return syncAnswer(tx, projectId, params.workflowId, body.after, head);
    },
  });

  serveProjectRoute(app, services, {
    contract: listVersionsRoute,
    ...read,
    handler: async ({ tx, projectId, params }) => {
      await storedWorkflow(tx, projectId, params.workflowId, false);
      return { versions: await versionsOf(tx, projectId, params.workflowId) };
    },
  });

  serveProjectRoute(app, services, {
    contract: nameVersionRoute,
    ...change,
    prepare: (request) => {
      const name = request.body.name.trim();
      if (name === '') throw new ProjectRefusal(400, 'give the version a name');
      return name;
    },
    handler: async ({ tx, projectId, params, request, audit, prepared: name }) => {
      const { workflowId } = params;
      const { workflow, head } = await storedWorkflow(tx, projectId, workflowId, true);
      if ((await versionCount(tx, projectId, workflowId)) >= MAX_VERSIONS)
        throw new ProjectRefusal(409, `a workflow keeps at most ${MAX_VERSIONS} named versions`);
      const named: SharedVersion = {
        id: randomUUID(),
        name,
        head,
        namedAt: new Date(clock()).toISOString(),
        namedBy: personOf(request).name,
      };
      await insertVersion(tx, projectId, workflowId, named, workflow, personOf(request).subject);
      await audit('workflow-version-named', {
        workflow: workflowId,
        version: named.id,
        name,
        head: String(head),
      });
      return { version: named };
    },
  });

  serveProjectRoute(app, services, {
    contract: readVersionRoute,
    ...read,
    handler: ({ tx, projectId, params }) => versionOf(tx, projectId, params.workflowId, params.versionId),
  });

  serveProjectRoute(app, services, {
    contract: restoreVersionRoute,
    ...change,
    handler: async ({ tx, projectId, params, body, request, audit }) => {
      const { workflowId, versionId } = params;
      const { version, workflow: old } = await versionOf(tx, projectId, workflowId, versionId);
      const { workflow: now, head: before } = await storedWorkflow(tx, projectId, workflowId, true);
      // the restore is one more change: what turns today's workflow back into the version's
      const change = { id: `restore:${randomUUID()}`, ops: diffWorkflows(now, old) };
      const head = await storeChanges(tx, request, projectId, workflowId, [change], clock());
      const answer = await syncAnswer(tx, projectId, workflowId, body?.after ?? before, head);
      await audit('workflow-restored', {
        workflow: workflowId,
        version: version.id,
        name: version.name,
        head: String(head),
      });
      return answer;
    },
  });
};
