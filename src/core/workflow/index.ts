/**
 * The workflow module's public surface (docs/conventions.md#module-surfaces): the model's analysis,
 * comparison, capacity and simulation, the geometry of shapes and flows and the BPMN structure the
 * canvas draws, sub-processes and settings. Its parts with a surface of their own are imported
 * through theirs: `bpmn/` (BPMN 2.0 exchange), `edit/` (edits as data, undo, import), `eventlog/`
 * (event logs: read, discover, conform, maps), `layout/` (the ELK layout and routing, for
 * workers), `rules/` (the finding rules), `shared/` (shared workflows), `waits/` (waiting time by
 * cause). Outside `src/core/workflow`, import only these index files; inside, files import each
 * other directly.
 */
export { type AnalyzeOptions, analyzeWorkflow, type WorkflowAnalysis } from './analyze.ts';
export { BOUNDARY_SIZE, type BoundaryBorder, boundaryEventBounds, STEP_BOX } from './bpmn/geometry.ts';
export { bpmnStructure } from './bpmn/structure.ts';
export {
  type CapacityStudy,
  type CapacityStudyOptions,
  type CapacityStudyOutcome,
  capacityStudySteps,
  DEFAULT_CAPACITY_SEED,
  runCapacityStudy,
} from './capacity.ts';
export {
  type AttributeChange,
  attributeChanges,
  type ComparedMetric,
  type CompareOptions,
  compareWorkflows,
  dataItemName,
  type MetricDelta,
  normaliseLabel,
  processOrder,
  type RoleImpact,
  replacementCounts,
  type StepRef,
  type WorkflowComparison,
} from './compare.ts';
export { documentDrawings, processDataOf } from './documents.ts';
export { type FindingCause, findingsByCause } from './findingCauses.ts';
export { goLiveMetrics, goLiveSettingsOf, scheduleCutForGoLive } from './goLive.ts';
export { buildGraph, expectedVisits } from './graph.ts';
export { logFindingMarks, type MapMarks, pathKey } from './logFindingMarks.ts';
export { LOG_RULES, logFindings } from './logFindings.ts';
export { computeMetrics, type MetricsResult, prepareWorkflow, type WorkflowMetrics } from './metrics.ts';
export { comparedPair, groupByProcess } from './processGroups.ts';
export {
  DEFAULT_REPLICATIONS,
  DEFAULT_WARMUP_MIN,
  type Interval,
  isWideInterval,
  MAX_REPLICATIONS,
  MIN_REPLICATIONS,
  type SimulationIntervals,
} from './replications.ts';
export { hasRule, ruleFindingsOf, ruleTagsOf } from './rootCauses.ts';
export {
  associationRoute,
  type FlowEnds,
  flowEndsOf,
  type RoutePoint,
  routeCrossesBoxes,
  routeKey,
  routeMidpoint,
  type StepBox,
} from './routeGeometry.ts';
export { resolveProjectAnalysisSettings } from './settings.ts';
export { DEFAULT_OPEN_HOURS, mulberry32, simulate } from './simulate.ts';
export {
  type PageTrailEntry,
  pageOfStep,
  pageTrail,
  subProcessIds,
  subProcessMinutes,
  workflowPage,
} from './subProcesses.ts';
// Test-only: fixtures other modules' tests build on; the app never uses them (tree-shaken).
export { flow, labSubProcess, step, workflow } from './testing/builders.ts';
