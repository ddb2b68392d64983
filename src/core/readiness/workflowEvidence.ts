/**
 * The workflow evidence every phase reads, computed once: today's workflows, and each planned
 * workflow analysed against the current one it replaces (the same analysis, with the project's
 * analysis settings, that the Workflows screen shows) and compared with it.
 */
import { PROJECT_ANALYSIS_SETTINGS_KEY } from '../../formats/analysisSettings.ts';
import type { Project } from '../../formats/project.ts';
import type { Workflow } from '../../formats/workflow.ts';
import {
  type AnalyzeOptions,
  analyzeWorkflow,
  comparedPair,
  compareWorkflows,
  groupByProcess,
  type WorkflowAnalysis,
  type WorkflowComparison,
} from '../workflow/index.ts';
import type { Finding } from '../workflow/rules/index.ts';

/** A planned workflow with its analysis, and its comparison with today's when it has a baseline. */
export interface PlannedWorkflow {
  workflow: Workflow;
  /** the current workflow it replaces: its `baseline`, else its process's current workflow */
  baseline: Workflow | null;
  analysis: WorkflowAnalysis;
  comparison: WorkflowComparison<Finding> | null;
}

/** The project's workflows as readiness reads them. */
export interface WorkflowEvidence {
  current: Workflow[];
  planned: PlannedWorkflow[];
}

/** Whether a workflow's times were measured from an event log rather than only drawn. */
export function isMeasured(workflow: Workflow): boolean {
  return workflow.steps.some((step) => step.observed !== undefined);
}

/** Analyses and compares the project's planned workflows (in project order). */
export function workflowEvidence(project: Project): WorkflowEvidence {
  // read leniently by the analysis itself, as the Workflows screen does: a bad value takes its default
  const settings = project.meta.settings[PROJECT_ANALYSIS_SETTINGS_KEY] as AnalyzeOptions['settings'];
  const byId = new Map(project.workflows.map((w) => [w.id, w]));
  const groupCurrent = new Map<string, Workflow>();
  for (const [, group] of groupByProcess(project.workflows)) {
    const { current } = comparedPair(group);
    if (current) for (const w of group) groupCurrent.set(w.id, current);
  }
  const currentAnalyses = new Map<string, WorkflowAnalysis>();
  const analysisOf = (w: Workflow) => {
    let found = currentAnalyses.get(w.id);
    if (!found) {
      found = analyzeWorkflow(w, { settings });
      currentAnalyses.set(w.id, found);
    }
    return found;
  };
  const planned = project.workflows
    .filter((w) => w.state === 'future')
    .map((workflow): PlannedWorkflow => {
      const named = workflow.baseline === undefined ? undefined : byId.get(workflow.baseline);
      const baseline =
        (named?.state === 'current' ? named : undefined) ?? groupCurrent.get(workflow.id) ?? null;
      if (!baseline)
        return { workflow, baseline, analysis: analyzeWorkflow(workflow, { settings }), comparison: null };
      const before = analysisOf(baseline);
      const analysis = analyzeWorkflow(workflow, { baseline, settings, baselineMetrics: before.metrics });
      const comparison = compareWorkflows(baseline, workflow, {
        currentFindings: before.findings,
        futureFindings: analysis.findings,
        currentMetrics: before.metrics,
        futureMetrics: analysis.metrics,
      });
      return { workflow, baseline, analysis, comparison };
    });
  return { current: project.workflows.filter((w) => w.state === 'current'), planned };
}
