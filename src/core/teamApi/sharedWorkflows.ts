/**
 * A project's shared workflows on the team server (src/core/workflow/shared): list, share, open,
 * pull and push changes in the server's one order, and name, read and restore versions.
 *
 * Constraints: a change's operations are checked one by one on the server (`sharedOpProblem`)
 * and the workflow they leave by its format's schema, after these schemas; the counts here bound
 * what one request may carry. The workflow and the sync's answer are the core's types, named
 * here, not written again.
 */
import { type Static, Type } from 'typebox';
import type { Workflow } from '../../formats/workflow.ts';
import type { SharedOp, SyncAnswer } from '../workflow/shared/index.ts';
import { AfterQuery, Id, ProjectParams } from './common.ts';
import { defineRoute } from './route.ts';

/** Changes one request may carry (a copy that was offline for a day sends them together). */
export const MAX_CHANGES_PER_PUSH = 500;
/** Operations one request may carry in all (one change's are bounded by it too). */
export const MAX_OPS_PER_PUSH = 5000;
/** The longest version name. */
const MAX_VERSION_NAME = 200;

const base = '/api/projects/:projectId/workflows';
const WorkflowParams = Type.Object({ ...ProjectParams.properties, workflowId: Id });
const VersionParams = Type.Object({ ...WorkflowParams.properties, versionId: Id });

/** A workflow as its format defines it (src/formats/workflow.ts). */
const SharedWorkflow = Type.Unsafe<Workflow>({ type: 'object' });
/** The changes after the head a copy knows, and the head (src/core/workflow/shared). */
const Sync = Type.Unsafe<SyncAnswer>({ type: 'object' });

/** A shared workflow as the project's list shows it. */
export const SharedWorkflowSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  state: Type.String(),
  process: Type.Union([Type.String(), Type.Null()]),
  /** the number of its last change */
  head: Type.Integer(),
  sharedAt: Type.String(),
});
/** A shared workflow as the project's list shows it. */
export type SharedWorkflowSummary = Static<typeof SharedWorkflowSummarySchema>;

/** A named version as listed. */
export const SharedVersionSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  /** the workflow's head when it was named */
  head: Type.Integer(),
  namedAt: Type.String(),
  namedBy: Type.String(),
});
/** A named version as listed. */
export type SharedVersion = Static<typeof SharedVersionSchema>;

/** `GET …/workflows`: the project's shared workflows, by name. */
export const listWorkflowsRoute = defineRoute({
  method: 'GET',
  path: base,
  params: ProjectParams,
  answer: Type.Object({ workflows: Type.Array(SharedWorkflowSummarySchema) }),
});

/** `POST …/workflows`: shares one of the person's own workflows with the project. */
export const shareWorkflowRoute = defineRoute({
  method: 'POST',
  path: base,
  status: 201,
  params: ProjectParams,
  body: Type.Object({ workflow: Type.Unsafe<unknown>({ type: 'object' }) }, { additionalProperties: false }),
  answer: Type.Object({ workflow: SharedWorkflow, head: Type.Integer() }),
});

/** `GET …/workflows/:workflowId`: the workflow as the server has it now, and its head. */
export const openWorkflowRoute = defineRoute({
  method: 'GET',
  path: `${base}/:workflowId`,
  params: WorkflowParams,
  answer: Type.Object({ workflow: SharedWorkflow, head: Type.Integer() }),
});

/** `GET …/workflows/:workflowId/changes?after=`: the changes after a head. */
export const pullChangesRoute = defineRoute({
  method: 'GET',
  path: `${base}/:workflowId/changes`,
  params: WorkflowParams,
  query: AfterQuery,
  answer: Sync,
});

/** `POST …/workflows/:workflowId/changes`: a copy's changes, stored once each, and what came after `after`. */
export const pushChangesRoute = defineRoute({
  method: 'POST',
  path: `${base}/:workflowId/changes`,
  params: WorkflowParams,
  body: Type.Object(
    {
      after: Type.Integer({ minimum: 0 }),
      changes: Type.Array(
        Type.Object(
          {
            id: Id,
            ops: Type.Array(Type.Unsafe<SharedOp>({ type: 'object' }), { maxItems: MAX_OPS_PER_PUSH }),
          },
          { additionalProperties: false },
        ),
        { maxItems: MAX_CHANGES_PER_PUSH },
      ),
    },
    { additionalProperties: false },
  ),
  answer: Sync,
});

/** `GET …/workflows/:workflowId/versions`: the named versions, oldest first. */
export const listVersionsRoute = defineRoute({
  method: 'GET',
  path: `${base}/:workflowId/versions`,
  params: WorkflowParams,
  answer: Type.Object({ versions: Type.Array(SharedVersionSchema) }),
});

/** `POST …/workflows/:workflowId/versions`: names the workflow as the server has it now. */
export const nameVersionRoute = defineRoute({
  method: 'POST',
  path: `${base}/:workflowId/versions`,
  status: 201,
  params: WorkflowParams,
  body: Type.Object(
    { name: Type.String({ minLength: 1, maxLength: MAX_VERSION_NAME }) },
    { additionalProperties: false },
  ),
  answer: Type.Object({ version: SharedVersionSchema }),
});

/** `GET …/versions/:versionId`: a named version and the workflow as it was then. */
export const readVersionRoute = defineRoute({
  method: 'GET',
  path: `${base}/:workflowId/versions/:versionId`,
  params: VersionParams,
  answer: Type.Object({ version: SharedVersionSchema, workflow: SharedWorkflow }),
});

/** `POST …/versions/:versionId/restore`: one more change, back to the version; the changes after `after`. */
export const restoreVersionRoute = defineRoute({
  method: 'POST',
  path: `${base}/:workflowId/versions/:versionId/restore`,
  params: VersionParams,
  body: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
  answer: Sync,
});
