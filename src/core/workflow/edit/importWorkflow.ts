/**
 * Bringing a `preflight.workflow/v1` file into a project, and starting a new workflow: the
 * checks and id choices both the editor and (later) the CLI need. Pure; the caller stores the
 * result with a `workflow/put` change.
 *
 * An imported file goes through the format's one loader (tag, migrations, schema, semantic
 * checks), so a file that loads here is one `preflight check` accepts. Problems are listed with
 * their JSON path and never quote the file.
 */
import { decodeUtf8Strict, parseJsonText } from '../../../formats/jsonText.ts';
import type { FormatProblem } from '../../../formats/loading.ts';
import type { Project } from '../../../formats/project.ts';
import {
  checkWorkflowAgainstBaseline,
  loadWorkflow,
  WORKFLOW_FORMAT,
  type Workflow,
  type WorkflowState,
} from '../../../formats/workflow.ts';
import { idBase } from './changes.ts';

/** The outcome of reading a workflow file for a project. */
type WorkflowImportResult =
  | {
      ok: true;
      workflow: Workflow;
      /** the file's id was taken in the project, so the workflow got this one instead */
      renamedFrom?: string;
      /** references into the baseline that do not resolve in this project (kept: a draft) */
      warnings: FormatProblem[];
    }
  | { ok: false; problems: FormatProblem[] };

/** A workflow id not used in the project: `base`, `base-2`, … */
export function newWorkflowId(project: Project, base: string): string {
  const used = new Set(project.workflows.map((w) => w.id));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * A workflow brought in from a file, made fit for `project`: when its id is already used there it
 * becomes a new workflow (never overwriting silently), with a free id and " (imported)" added to
 * its name. Shared by the JSON and the BPMN import.
 */
export function adoptWorkflow(
  workflow: Workflow,
  project: Project,
): { workflow: Workflow; renamedFrom?: string } {
  if (!project.workflows.some((w) => w.id === workflow.id)) return { workflow };
  return {
    workflow: { ...workflow, id: newWorkflowId(project, workflow.id), name: `${workflow.name} (imported)` },
    renamedFrom: workflow.id,
  };
}

/**
 * Reads workflow JSON text for `project`. A file whose id is already used in the project is
 * imported as a new workflow (never overwriting silently), with " (imported)" added to its name.
 */
export function importWorkflowText(text: string, project: Project): WorkflowImportResult {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const loaded = loadWorkflow(parsed.value);
  if (!loaded.ok) return { ok: false, problems: loaded.problems };
  const { workflow, renamedFrom } = adoptWorkflow(loaded.value, project);
  const warnings: FormatProblem[] = [];
  if (workflow.state === 'future' && workflow.baseline !== undefined) {
    const baseline = project.workflows.find((w) => w.id === workflow.baseline);
    if (!baseline) {
      warnings.push({
        path: '/baseline',
        code: 'unknown-reference',
        message: 'the current workflow this one replaces is not in this project',
      });
    } else {
      warnings.push(...checkWorkflowAgainstBaseline(workflow, baseline));
    }
  }
  return renamedFrom === undefined
    ? { ok: true, workflow, warnings }
    : { ok: true, workflow, renamedFrom, warnings };
}

/**
 * Reads a workflow file's bytes: strict UTF-8 (a bad byte is an error with its offset, never a
 * silently replaced character), then as {@link importWorkflowText}. `file` is the name the user
 * chose it by, for the bad byte's message.
 */
export function importWorkflowBytes(bytes: Uint8Array, project: Project, file: string): WorkflowImportResult {
  const decoded = decodeUtf8Strict(bytes, file);
  if (!decoded.ok) return { ok: false, problems: [decoded.problem] };
  return importWorkflowText(decoded.text, project);
}

/** Parameters of a new workflow. */
interface NewWorkflowParams {
  name: string;
  state: WorkflowState;
  /** the current workflow a future one replaces (required when future) */
  baseline?: string;
}

/**
 * A new workflow for the project: one lane and a start step, so the canvas is never blank. A
 * future workflow starts from its baseline's lanes (the same roles, usually) with the baseline's
 * demand, and traces nothing yet.
 * @throws Error when the name is blank or a future workflow names no current workflow of the project
 */
export function createWorkflow(project: Project, params: NewWorkflowParams): Workflow {
  const name = params.name.trim();
  if (name === '') throw new Error('A workflow needs a name.');
  const id = newWorkflowId(project, idBase(name));
  const baseline =
    params.state === 'future'
      ? project.workflows.find((w) => w.id === params.baseline && w.state === 'current')
      : undefined;
  if (params.state === 'future' && !baseline) {
    throw new Error('A future workflow replaces a current workflow of this project: choose which.');
  }
  const lanes =
    baseline && baseline.lanes.length > 0 ? baseline.lanes : [{ id: 'staff', name: 'Staff', staff: 1 }];
  const firstLane = lanes[0]?.id ?? 'staff';
  return {
    format: WORKFLOW_FORMAT,
    id,
    name,
    ...(baseline?.process ? { process: baseline.process } : {}),
    state: params.state,
    ...(baseline ? { baseline: baseline.id } : {}),
    arrivalsPerHour: baseline?.arrivalsPerHour ?? 0,
    lanes,
    steps: [
      {
        id: 'start',
        label: 'Start',
        lane: firstLane,
        kind: 'start',
        medium: 'digital',
        system: '',
        touchMin: 0,
        waitMin: 0,
        clicks: 0,
        enters: [],
        position: { x: 40, y: 40 },
      },
    ],
    flows: [],
  };
}
