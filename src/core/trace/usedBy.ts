/**
 * What depends on a failing check: from a report's issue (a CSV rule at a column, a FHIR rule at
 * an element path) through the project's confirmed data dictionary to the workflow steps that type
 * or read the data, with the role that does each step, the cases an hour that pass through it from
 * the capacity model, and the role's training. The cases an hour of an issue are the sum of
 * those; its weight ({@link failingWeight}) is that sum times the share of records that fail: how
 * often, at peak, someone works with a record whose data the check says is wrong.
 *
 * Which workflows count: the planned (future) ones, and a current one only while no planned
 * workflow replaces it (none names it as its baseline) — a go-live's risk is in the work as it
 * will be done, and counting both states of one process would count its cases twice.
 *
 * A confirmed link to a mapping field carries its item to the field's source columns (in the
 * datasets checked with that mapping, or named as its source) and to the FHIR element it writes,
 * so one decision covers the column's checks and the mapped records' checks alike. A confirmed
 * link to a column goes the same way through every FHIR mapping of its dataset: the elements the
 * fields read from that column write carry its item, so a FHIR record that fails at
 * `Patient.name[0].family` names the steps that type `last_name`.
 */
import { type DataDictionary, readDataDictionary } from '../../formats/dataDictionary.ts';
import type { Project } from '../../formats/project.ts';
import type { Report, ReportInput, ReportIssue, ReportUsedBy } from '../../formats/report.ts';
import { readTrainingRecord } from '../../formats/trainingRecord.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { prepareWorkflow } from '../workflow/index.ts';
import { confirmedLinks, dataItems, fieldElement, withoutPositions } from './dictionary.ts';

/** Severities of a failing issue: the ones that fail a run. */
const FAILING = new Set(['error', 'fatal']);

/** Cases an hour are kept to this many decimals, so a report reads and compares the same. */
const CASES_DECIMALS = 2;
const round = (x: number) => Math.round(x * 10 ** CASES_DECIMALS) / 10 ** CASES_DECIMALS;

/** The workflows whose steps count for the trace (see the file header). */
function tracedWorkflows(workflows: readonly Workflow[]): Workflow[] {
  const replaced = new Set(workflows.filter((w) => w.state === 'future').map((w) => w.baseline));
  return workflows.filter((w) => w.state === 'future' || !replaced.has(w.id));
}

/**
 * Where a failing problem lies, as the trace reads it: a whole report's issue gives it
 * ({@link placeOfIssue}), and so does a problem a shared validation summary kept (its rule, place
 * and file, with no example).
 */
export interface ProblemPlace {
  /** the column name or FHIR location */
  location: string;
  /** the name of the file it lies in, when the run could tell */
  input?: string;
  /** the FHIR element paths of its examples: a summary keeps none */
  paths?: readonly string[];
}

/** The inputs of a run as the trace reads them: each file's name and the dataset it was checked as. */
export type TracedInputs = readonly Pick<ReportInput, 'name' | 'dataset'>[];

/** A project's dictionary resolved once, to ask of many issues. */
export interface TraceIndex {
  /** the steps that depend on `issue` of `report`, most cases an hour first; [] when none */
  usedBy(issue: ReportIssue, report: Pick<Report, 'inputs'>): ReportUsedBy[];
  /** the steps that depend on a problem at `place` of a run of `inputs`, as {@link usedBy} */
  usedByPlace(place: ProblemPlace, inputs: TracedInputs): ReportUsedBy[];
}

/** Where `issue` of `report` lies: its file (its own, its examples', the run's only one) and paths. */
export function placeOfIssue(issue: ReportIssue, report: Pick<Report, 'inputs'>): ProblemPlace {
  const input =
    issue.input ??
    issue.examples.find((e) => e.input !== undefined)?.input ??
    (report.inputs.length === 1 ? report.inputs[0]?.name : undefined);
  return {
    location: issue.location,
    ...(input === undefined ? {} : { input }),
    paths: issue.examples.flatMap((e) => (e.path ? [e.path] : [])),
  };
}

type StepUse = Omit<ReportUsedBy, 'item'>;

/** The source columns a mapping field reads. */
const sourceColumns = (field: { from?: string | readonly string[] }): readonly string[] =>
  field.from === undefined ? [] : typeof field.from === 'string' ? [field.from] : field.from;

/** Builds the trace of `project` with `dictionary` (the project's own by default). */
export function createTraceIndex(project: Project, dictionary: DataDictionary): TraceIndex {
  // data item → the steps (of the counted workflows) that use it
  const training = readTrainingRecord(project.meta.settings);
  const trainingOf = (role: string) =>
    training.roles.find((r) => r.role.toLowerCase() === role.toLowerCase());
  const steps = new Map<string, StepUse>();
  for (const workflow of tracedWorkflows(project.workflows)) {
    const { visits } = prepareWorkflow(workflow).solved;
    for (const step of workflow.steps) {
      const lane = workflow.lanes.find((l) => l.id === step.lane);
      const v = visits.get(step.id) ?? 0;
      const role = lane?.name ?? step.lane;
      const trained = trainingOf(role);
      steps.set(`${workflow.id}\u0000${step.id}`, {
        workflow: workflow.id,
        workflowName: workflow.name,
        step: step.id,
        stepLabel: step.label,
        lane: step.lane,
        role,
        casesPerHour: Number.isFinite(v) ? round(workflow.arrivalsPerHour * v) : 0,
        ...(trained?.trained !== undefined && trained.staff !== undefined
          ? { trained: { trained: trained.trained, staff: trained.staff } }
          : {}),
      });
    }
  }
  const usesOf = new Map<string, StepUse[]>();
  for (const { item, uses } of dataItems(project)) {
    const found = uses.flatMap((u) => steps.get(`${u.workflow}\u0000${u.step}`) ?? []);
    if (found.length > 0) usesOf.set(item, found);
  }

  // what carries each confirmed item: columns by dataset, FHIR element paths
  const columns = new Map<string, Set<string>>(); // `${dataset}\0${column}` → items
  const elements = new Map<string, Set<string>>(); // element path → items
  const add = (map: Map<string, Set<string>>, key: string, item: string) => {
    const set = map.get(key) ?? new Set<string>();
    set.add(item);
    map.set(key, set);
  };
  /** the mappings of a dataset: the one it is checked with, and those naming it as their source */
  const mappingsOf = (datasetId: string) => {
    const dataset = project.datasets.find((d) => d.id === datasetId);
    return dataset
      ? project.mappings.filter((m) => dataset.mapping === m.id || dataset.name === m.source)
      : [];
  };
  for (const link of confirmedLinks(dictionary)) {
    const { target, item } = link;
    if (target.kind === 'column') {
      add(columns, `${target.dataset}\u0000${target.column}`, item);
      // through the mappings: each element a field reading this column writes
      for (const mapping of mappingsOf(target.dataset))
        for (const field of mapping.fields) {
          const element = fieldElement(mapping, field.target);
          if (element !== undefined && sourceColumns(field).includes(target.column))
            add(elements, element, item);
        }
    } else if (target.kind === 'element') add(elements, withoutPositions(target.path), item);
    else {
      const mapping = project.mappings.find((m) => m.id === target.mapping);
      const field = mapping?.fields.find((f) => f.target === target.target);
      if (!mapping || !field) continue;
      const element = fieldElement(mapping, field.target);
      if (element !== undefined) add(elements, element, item);
      for (const dataset of project.datasets)
        if (dataset.mapping === mapping.id || dataset.name === mapping.source)
          for (const column of sourceColumns(field)) add(columns, `${dataset.id}\u0000${column}`, item);
    }
  }

  const datasetOf = (inputs: TracedInputs, name: string | undefined): string | undefined => {
    if (name === undefined) return undefined;
    const input = inputs.find((i) => i.name === name);
    return input?.dataset ?? project.datasets.find((d) => d.name === name)?.id;
  };

  const usedByPlace = (place: ProblemPlace, inputs: TracedInputs): ReportUsedBy[] => {
    const items = new Set<string>();
    const dataset = datasetOf(inputs, place.input);
    // a column: of the problem's dataset when known, else of any dataset
    for (const [key, linked] of columns) {
      const [d, column] = key.split('\u0000');
      if (column === place.location && (dataset === undefined || d === dataset))
        for (const i of linked) items.add(i);
    }
    // an element: the problem's path, or an example's, at or inside a linked element
    const paths = new Set([place.location, ...(place.paths ?? [])].map(withoutPositions));
    for (const [element, linked] of elements)
      for (const path of paths)
        if (path === element || path.startsWith(`${element}.`)) for (const i of linked) items.add(i);
    const seen = new Set<string>();
    const out: ReportUsedBy[] = [];
    for (const item of items)
      for (const use of usesOf.get(item) ?? []) {
        const key = `${use.workflow}\u0000${use.step}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ item, ...use });
      }
    return out.sort(
      (a, b) =>
        b.casesPerHour - a.casesPerHour ||
        a.workflow.localeCompare(b.workflow) ||
        a.step.localeCompare(b.step),
    );
  };
  return {
    usedBy: (issue, report) => usedByPlace(placeOfIssue(issue, report), report.inputs),
    usedByPlace,
  };
}

/** Whether an issue fails its run: an error or fatal problem no waiver accepts. */
export const isFailingIssue = (issue: ReportIssue): boolean =>
  FAILING.has(issue.severity) && issue.acceptedBy === undefined;

/**
 * `report` with `usedBy` on each failing issue that something depends on, worked out afresh from
 * `project` and `dictionary` (any `usedBy` the report held before is replaced). Returns the same
 * report when nothing changes.
 */
export function withUsedBy<R extends Report>(report: R, project: Project, dictionary: DataDictionary): R {
  return traceReport(report, createTraceIndex(project, dictionary));
}

/**
 * A run's report as every engine and the browser give it with a project: each failing issue names
 * the steps, roles and cases an hour that use its data (the project's own data dictionary); with
 * no project, the report as it is. One function, so the CLI's and the browser's reports of the
 * same run name the same uses.
 */
export function withProjectUsedBy<R extends Report>(report: R, project: Project | undefined): R {
  return project ? withUsedBy(report, project, readDataDictionary(project.meta.settings)) : report;
}

/** {@link withUsedBy} with an index built once, for a screen that shows many reports. */
export function traceReport<R extends Report>(report: R, index: TraceIndex): R {
  let changed = false;
  const issues = report.issues.map((issue) => {
    const usedBy = isFailingIssue(issue) ? index.usedBy(issue, report) : [];
    const { usedBy: before, ...rest } = issue;
    if (usedBy.length === 0) {
      if (before === undefined) return issue;
      changed = true;
      return rest;
    }
    changed = true;
    return { ...rest, usedBy };
  });
  return changed ? { ...report, issues } : report;
}

/**
 * The weight of an issue's dependants: the cases an hour through every step that uses its data,
 * summed (a case through two such steps counts twice: two times someone works with the data).
 */
export const usedByWeight = (usedBy: readonly Pick<ReportUsedBy, 'casesPerHour'>[] | undefined): number =>
  round((usedBy ?? []).reduce((sum, u) => sum + u.casesPerHour, 0));

/** Failing shares and weights are kept to this many decimals (a weight is often well under 1). */
const WEIGHT_DECIMALS = 4;
const roundWeight = (x: number) => Math.round(x * 10 ** WEIGHT_DECIMALS) / 10 ** WEIGHT_DECIMALS;

/**
 * The share of a file's records a problem touches: its count over the file's records, at most 1
 * (two checks failing on one record count it twice). When the records are not known (0 or none
 * given), the whole file is taken to fail: a weight is never lowered on a guess.
 */
export function failingShare(count: number, records: number | undefined): number {
  if (records === undefined || !(records > 0)) return 1;
  return roundWeight(Math.min(1, Math.max(0, count) / records));
}

/**
 * The weight of failing data: the cases an hour through the steps that use it ({@link usedByWeight})
 * times the share of records that fail ({@link failingShare}) — how many times an hour, at peak,
 * someone works with a record whose data is wrong. One failing record of a thousand at twenty
 * cases an hour weighs 0.02; a quarter of the records failing at three cases an hour weighs 0.75.
 */
export const failingWeight = (
  usedBy: readonly Pick<ReportUsedBy, 'casesPerHour'>[] | undefined,
  share: number,
): number => roundWeight(usedByWeight(usedBy) * Math.min(1, Math.max(0, share)));

/** The roles of an issue's dependants, each once, in the order of `usedBy` (most cases first). */
export const usedByRoles = (usedBy: readonly ReportUsedBy[] | undefined): string[] => [
  ...new Set((usedBy ?? []).map((u) => u.role)),
];

/**
 * One line in words: `Used by 3 steps (Medical assistant, Patient (self-service)) · 20 cases/h`.
 * Names steps and roles, never data values.
 */
export function usedByLine(usedBy: readonly ReportUsedBy[]): string {
  const steps = usedBy.length === 1 ? '1 step' : `${usedBy.length} steps`;
  return `Used by ${steps} (${usedByRoles(usedBy).join(', ')}) · ${usedByWeight(usedBy).toLocaleString('en-US')} cases/h`;
}
