/**
 * The workflow: the pool's (or process's) name and `preflight:workflow`'s settings around the
 * lanes, steps, flows and the rest the readers before made, checked against the workflow format.
 * Measured figures that break the format are the file's, not the model's: left out, and said.
 */

import { loadWorkflow, type Step, WORKFLOW_FORMAT, type Workflow } from '../../../../formats/workflow.ts';
import { type El, extensionOf, type PfWorkflow } from '../model.ts';
import { type BpmnReader, finiteAtLeast0, type ImportContext } from './context.ts';
import { dataObjectsOf } from './dataObjects.ts';

/** Workflow id when neither the extension, the process nor the definitions give one. */
const FALLBACK_WORKFLOW_ID = 'imported-bpmn';

/** The workflow of the file, checked against the format. */
export const workflowReader: BpmnReader = {
  id: 'workflow',
  reads: ['bpmn:process'],
  describe: 'the workflow: its name, state and go-live settings, checked against the workflow format',
  read(ctx) {
    const workflow = workflowOf(ctx, ctx.processes);
    let loaded = loadWorkflow(workflow);
    // measured figures that break the format are the file's, not the model's: left out, said
    if (!loaded.ok && dropInvalidObserved(ctx, workflow, loaded.problems)) loaded = loadWorkflow(workflow);
    if (!loaded.ok) {
      for (const problem of loaded.problems) {
        ctx.problems.push({
          severity: 'error',
          code: 'invalid-workflow',
          message: `the imported workflow breaks a rule of the workflow format at ${problem.path || '/'}: ${problem.message}`,
          path: problem.path,
        });
      }
    }
    ctx.workflow = workflow;
  },
};

/** The workflow around what the readers made. */
function workflowOf(ctx: ImportContext, processes: El[]): Workflow {
  // the first process carrying the extension (Preflight writes one process)
  const carrier = processes.find((process) => extensionOf<PfWorkflow>(process, 'preflight:Workflow'));
  const ext = carrier ? extensionOf<PfWorkflow>(carrier, 'preflight:Workflow') : undefined;
  const first = processes[0];
  const pool = first ? ctx.poolOf.get(first) : undefined;
  const id = ext?.id || carrier?.id || first?.id || ctx.definitions.id || FALLBACK_WORKFLOW_ID;
  // the name is the pool's (or process's) name, which other tools let people edit
  // with several pools the workflow is named by the definitions (or the first process), not a pool
  const candidates = ctx.multiPool
    ? [ctx.definitions.name, first?.name, pool?.name]
    : [pool?.name, first?.name, ctx.definitions.name];
  const named = candidates.find((name): name is string => name !== undefined && name.trim() !== '');
  const state = ext?.state === 'future' ? 'future' : 'current';
  if (carrier && ext?.state !== undefined && ext.state !== 'future' && ext.state !== 'current') {
    ctx.warnExtension(carrier, 'preflight:workflow state is neither current nor future; current is used');
  }
  const workflow: Workflow = {
    format: WORKFLOW_FORMAT,
    id,
    name: named ?? id,
    ...(ext?.process ? { process: ext.process } : {}),
    ...(ext?.description !== undefined ? { description: ext.description } : {}),
    state,
    ...(state === 'future' && ext?.baseline ? { baseline: ext.baseline } : {}),
    arrivalsPerHour: finiteAtLeast0(ext?.arrivalsPerHour) ? ext.arrivalsPerHour : 0,
    ...(finiteAtLeast0(ext?.casesPerDay) ? { casesPerDay: ext.casesPerDay } : {}),
    lanes: ctx.lanes,
    steps: ctx.steps.map(({ step, notes }) =>
      notes.length > 0 ? { ...step, notes: notes.join('\n') } : step,
    ),
    flows: ctx.flows,
  };
  if (ctx.pools.length > 0) workflow.pools = ctx.pools;
  if (ctx.messageFlows.length > 0) workflow.messageFlows = ctx.messageFlows;
  const dataObjects = dataObjectsOf(ctx);
  if (dataObjects.length > 0) workflow.dataObjects = dataObjects;
  if (ctx.annotations.length > 0) workflow.annotations = ctx.annotations;
  if (ctx.groups.length > 0) workflow.groups = ctx.groups;
  // notes sit before position in the step's field order: rebuild order for stable JSON
  workflow.steps = workflow.steps.map(orderStep);
  if (state === 'future' && ext?.retired && ext.retired.length > 0) workflow.retired = [...ext.retired];
  if (ext?.capacityFactor !== undefined && ext.productivityFactor !== undefined) {
    workflow.goLive = { capacityFactor: ext.capacityFactor, productivityFactor: ext.productivityFactor };
  }
  return workflow;
}

/** Leaves out each step's `observed` the format refuses, with a warning; whether any was. */
function dropInvalidObserved(
  ctx: ImportContext,
  workflow: Workflow,
  problems: readonly { path: string }[],
): boolean {
  const at = new Set(
    problems.flatMap((p) => {
      const m = /^\/steps\/(\d+)\/observed(?:\/|$)/.exec(p.path);
      return m ? [Number(m[1])] : [];
    }),
  );
  for (const index of at) {
    const step = workflow.steps[index];
    if (!step) continue;
    delete step.observed;
    ctx.problems.push({
      severity: 'warning',
      code: 'unreadable-element',
      message: `step "${step.id}": its preflight:step observed figures break the workflow format; left out`,
    });
  }
  return at.size > 0;
}

/** A step with its fields in the format's documented order (stable, diff-friendly JSON). */
function orderStep(step: Step): Step {
  const {
    id,
    label,
    lane,
    kind,
    medium,
    system,
    touchMin,
    waitMin,
    clicks,
    enters,
    replaces,
    notes,
    boundary,
    bpmn,
    within,
    observed,
    position,
    size,
  } = step;
  return {
    id,
    label,
    lane,
    kind,
    medium,
    system,
    touchMin,
    waitMin,
    clicks,
    enters,
    ...(replaces ? { replaces } : {}),
    ...(notes !== undefined ? { notes } : {}),
    ...(boundary ? { boundary } : {}),
    ...(bpmn ? { bpmn } : {}),
    ...(within !== undefined ? { within } : {}),
    ...(observed ? { observed } : {}),
    ...(position ? { position } : {}),
    ...(size ? { size } : {}),
  };
}
