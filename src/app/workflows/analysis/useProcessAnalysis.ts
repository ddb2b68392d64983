/**
 * The analysis of one process (its current workflow and the future one that replaces it), computed
 * from the project as it is edited. The project is read through `useDeferredValue`, so typing in
 * any field renders first and the analysis catches up when the browser is idle: typing never waits
 * for it. Analysis and comparison of clinic-sized workflows take milliseconds (a 1,000-step
 * workflow is measured in `npm run bench`), so no worker is needed for them.
 */
import { useDeferredValue, useMemo } from 'react';
import {
  type AnalyzeOptions,
  analyzeWorkflow,
  compareWorkflows,
  resolveProjectAnalysisSettings,
  type WorkflowAnalysis,
  type WorkflowComparison,
} from '../../../core/workflow/index.ts';
import type { Finding } from '../../../core/workflow/rules/index.ts';
import { PROJECT_ANALYSIS_SETTINGS_KEY } from '../../../formats/analysisSettings.ts';
import type { FormatProblem } from '../../../formats/loading.ts';
import type { Workflow } from '../../../formats/workflow.ts';

/** What the analysis tabs show for one process. */
export interface ProcessAnalysis {
  current: WorkflowAnalysis | null;
  future: WorkflowAnalysis | null;
  /** present when the process has both a current and a future workflow */
  comparison: WorkflowComparison<Finding> | null;
  /** problems of the project's analysis settings (they took their defaults) */
  settingsProblems: FormatProblem[];
}

/** Analyses `current` and `future` with the project's settings, and compares them. */
export function analyseProcess(
  current: Workflow | undefined,
  future: Workflow | undefined,
  projectSettings: Readonly<Record<string, unknown>>,
): ProcessAnalysis {
  const { problems } = resolveProjectAnalysisSettings(projectSettings);
  const options: AnalyzeOptions = {
    settings: projectSettings[PROJECT_ANALYSIS_SETTINGS_KEY] as AnalyzeOptions['settings'],
  };
  const currentAnalysis = current ? analyzeWorkflow(current, options) : null;
  const futureAnalysis = future
    ? analyzeWorkflow(future, {
        ...options,
        baseline: current,
        // computed once for both: the current workflow's own analysis has them
        ...(currentAnalysis ? { baselineMetrics: currentAnalysis.metrics } : {}),
      })
    : null;
  const comparison =
    current && future && currentAnalysis && futureAnalysis
      ? compareWorkflows<Finding>(current, future, {
          currentFindings: currentAnalysis.findings,
          futureFindings: futureAnalysis.findings,
          currentMetrics: currentAnalysis.metrics,
          futureMetrics: futureAnalysis.metrics,
        })
      : null;
  return { current: currentAnalysis, future: futureAnalysis, comparison, settingsProblems: problems };
}

/** {@link analyseProcess}, deferred behind typing and memoised on the documents' identity. */
export function useProcessAnalysis(
  current: Workflow | undefined,
  future: Workflow | undefined,
  projectSettings: Readonly<Record<string, unknown>>,
): ProcessAnalysis {
  const deferredCurrent = useDeferredValue(current);
  const deferredFuture = useDeferredValue(future);
  const deferredSettings = useDeferredValue(projectSettings);
  return useMemo(
    () => analyseProcess(deferredCurrent, deferredFuture, deferredSettings),
    [deferredCurrent, deferredFuture, deferredSettings],
  );
}
