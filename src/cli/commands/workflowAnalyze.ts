/**
 * `preflight workflow analyze <workflow.json> [--baseline <current.json>] [--settings <s.json>]
 * [--simulate] [--seed <n>] [--replications <n>] [--warmup <min>] [--json]`: the workflow analysis
 * from the command line — findings, metrics and the go-live check of one workflow (current or
 * future); with a baseline, the comparison and each role's checklist; with `--simulate`, seeded
 * peak days and go-live weeks, replicated, with 95 % confidence intervals.
 * The work is the core's (analyze.ts, compare.ts, simulate.ts), the functions the browser calls,
 * so both give the same numbers and findings.
 *
 * Constraints:
 * - Exit codes (public): 0 ok; 1 the analysed workflow has a finding of severity `error`; 2 bad
 *   usage, or a file that cannot be read or is not valid (a workflow, a settings file), a
 *   `--baseline` that is not a current workflow or not the one the analysed workflow names.
 * - Messages name files and JSON Pointers, never values from the files.
 * - stdout carries only the result; `--json` is one JSON document (shape in src/formats/README.md,
 *   "`preflight workflow analyze` `--json` output"). Numbers that are unbounded (a role that
 *   cannot keep up: Infinity) are written as null, as JSON has no Infinity.
 * - Findings of the baseline are computed with the same settings, only to tell which findings
 *   the plan resolves, keeps or introduces; the exit code depends on the analysed workflow's.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { byteSizeWords } from '../../core/byteSize/index.ts';
import {
  analyzeWorkflow,
  type CapacityStudy,
  type CompareOptions,
  compareWorkflows,
  DEFAULT_CAPACITY_SEED,
  DEFAULT_OPEN_HOURS,
  DEFAULT_REPLICATIONS,
  DEFAULT_WARMUP_MIN,
  dataItemName,
  type Interval,
  MAX_REPLICATIONS,
  type MetricsResult,
  MIN_REPLICATIONS,
  replacementCounts,
  ruleTagsOf,
  runCapacityStudy,
  type WorkflowComparison,
  type WorkflowMetrics,
} from '../../core/workflow/index.ts';
import type { AnalysisSettings, Finding, GoLiveAnalysis } from '../../core/workflow/rules/index.ts';
import { HELD_CAUSES, type WaitSaving, waitSaving } from '../../core/workflow/waits/index.ts';
import { type AnalysisSettingsFile, loadAnalysisSettings } from '../../formats/analysisSettings.ts';
import { decodeUtf8Strict, parseJsonText } from '../../formats/jsonText.ts';
import type { FormatProblem, LoadResult } from '../../formats/loading.ts';
import {
  checkWorkflowAgainstBaseline,
  loadWorkflow,
  type ObservedWaitCause,
  type Workflow,
} from '../../formats/workflow.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeResult,
} from '../command.ts';
import { oneLineStrings } from '../terminalText.ts';

/** Tag of the `--json` output; its shape is documented in src/formats/README.md. */
export const WORKFLOW_ANALYSIS_FORMAT = 'preflight.workflow-analysis/v1';

/** Seed of `--simulate` when `--seed` is not given: the capacity panel's default, so both agree. */
export const DEFAULT_SIMULATION_SEED = DEFAULT_CAPACITY_SEED;

/** Workflow and settings files are small; anything larger is not one (and is not read whole). */
const MAX_INPUT_BYTES = 32 * 1024 * 1024;

/** Problems listed per file before "… and N more" (the full list is one `preflight check` away). */
const MAX_PROBLEMS_SHOWN = 20;

/** A file that cannot be used; run() turns it into exit 2 with its message. */
export class Unusable extends Error {}

/** Reads a JSON file and loads it with `load`; throws {@link Unusable} with file name and pointers. */
export async function readDocument<T>(
  file: string,
  cwd: string,
  what: string,
  load: (json: unknown) => LoadResult<T>,
): Promise<T> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path.resolve(cwd, file));
    if (!info.isFile()) throw new Unusable(`cannot read ${what} "${file}": it is not a regular file.`);
    if (info.size > MAX_INPUT_BYTES) {
      throw new Unusable(`"${file}" is too large to be a ${what} (over ${byteSizeWords(MAX_INPUT_BYTES)}).`);
    }
    bytes = await readFile(path.resolve(cwd, file));
  } catch (error) {
    if (error instanceof Unusable) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : 'read error';
    throw new Unusable(`cannot read ${what} "${file}": ${reason}.`);
  }
  const decoded = decodeUtf8Strict(bytes, `${what} "${file}"`);
  if (!decoded.ok) throw new Unusable(`${decoded.problem.message}.`);
  const parsed = parseJsonText(decoded.text);
  if (!parsed.ok) throw new Unusable(`${what} "${file}": ${parsed.problem.message}.`);
  const loaded = load(parsed.value);
  if (!loaded.ok) throw new Unusable(problemList(`"${file}" is not a usable ${what}`, loaded.problems));
  return loaded.value;
}

/** A heading and one line per problem, `<JSON Pointer>: <message>` (capped). */
function problemList(heading: string, problems: readonly FormatProblem[]): string {
  // one line each: a path or message names the file's own keys and names
  const lines = oneLineStrings(problems.slice(0, MAX_PROBLEMS_SHOWN)).map(
    (p) => `  ${p.path || '/'}: ${p.message}`,
  );
  if (problems.length > MAX_PROBLEMS_SHOWN) {
    lines.push(
      `  … and ${problems.length - MAX_PROBLEMS_SHOWN} more (run "preflight check" on the file for all)`,
    );
  }
  return `${heading}:\n${lines.join('\n')}`;
}

/** A 32-bit seed written as a decimal or 0x-hex integer. */
export function parseSeed(text: string): number {
  const value = /^\d{1,10}$/.test(text)
    ? Number(text)
    : /^0x[0-9a-f]{1,8}$/i.test(text)
      ? Number(text)
      : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) {
    throw new UsageError('--seed takes a whole number from 0 to 4294967295 (or 0x0 to 0xffffffff)');
  }
  return value;
}

/** `--replications`: a whole number in the core's accepted range. */
export function parseReplications(text: string): number {
  const value = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= MIN_REPLICATIONS && value <= MAX_REPLICATIONS)) {
    throw new UsageError(
      `--replications takes a whole number from ${MIN_REPLICATIONS} to ${MAX_REPLICATIONS}`,
    );
  }
  return value;
}

/** `--warmup`: minutes, a whole number ≥ 0 (the core checks it is shorter than the open day). */
function parseWarmup(text: string): number {
  if (!/^\d{1,4}$/.test(text)) throw new UsageError('--warmup takes a whole number of minutes, 0 or more');
  return Number(text);
}

/** How to simulate with `--simulate`. */
interface SimulationRequest {
  seed: number;
  replications?: number;
  warmupMin?: number;
}

// ---- the analysis ----------------------------------------------------------------------------

/**
 * One finding — one root cause — as the `--json` output lists it (the rules' `Finding`, fields in
 * this order). `rule` is the leading rule; `rules` every rule id of the root cause, `rule` first;
 * `parts` every rule's finding of the root cause, the leading one first (absent when there is one).
 */
export interface FindingOutput {
  rule: string;
  rules: string[];
  severity: Finding['severity'];
  stepIds: string[];
  message: string;
  evidence: Finding['evidence'];
  parts?: FindingPartOutput[];
}

/** A rule's finding folded into a root cause. */
export interface FindingPartOutput {
  rule: string;
  severity: Finding['severity'];
  stepIds: string[];
  message: string;
  evidence: Finding['evidence'];
}

/** What the command computes, before it is printed. */
export interface WorkflowAnalysisOutput {
  format: typeof WORKFLOW_ANALYSIS_FORMAT;
  workflow: { file: string; id: string; name: string; state: Workflow['state'] };
  baseline?: { file: string; id: string; name: string };
  /** the settings file given with --settings */
  settingsFile?: string;
  /** peak metrics; null when cases can be trapped in a loop (see `metricsProblem`) */
  metrics: WorkflowMetrics | null;
  metricsProblem?: { kind: string; stepIds: string[]; message: string };
  /** one per root cause; sorted: severity (error first), rule, step ids (analyzeWorkflow's order) */
  findings: FindingOutput[];
  /** go-live metrics and the smallest schedule cut */
  goLive: GoLiveAnalysis;
  /** every threshold and rule severity the analysis ran with (defaults filled in) */
  settings: AnalysisSettings;
  compare?: WorkflowComparison<FindingOutput>;
  simulation?: SimulationReport;
  /** `--remove-wait-cause`: the waiting the kept hand-offs would save without those causes */
  waitSaving?: WaitSaving;
}

/**
 * The `--simulate` part: the capacity study the browser's capacity panel runs (capacity.ts: peak
 * days, go-live weeks with productivity recovering, Erlang C and the schedule cut), so the same
 * seed gives the same numbers in both; or why there is none (a loop cases never leave).
 */
type SimulationReport = ({ seed: number } & CapacityStudy) | { seed: number; problem: string };

function metricsPart(result: MetricsResult): Pick<WorkflowAnalysisOutput, 'metrics' | 'metricsProblem'> {
  return result.ok ? { metrics: result.metrics } : { metrics: null, metricsProblem: result.problem };
}

function findingOutput(finding: Finding): FindingOutput {
  const { rule, severity, stepIds, message, evidence } = finding;
  const output: FindingOutput = {
    rule,
    rules: [...ruleTagsOf(finding)],
    severity,
    stepIds,
    message,
    evidence,
  };
  if (finding.parts && finding.parts.length > 0) {
    output.parts = finding.parts.map((part) => ({
      rule: part.rule,
      severity: part.severity,
      stepIds: part.stepIds,
      message: part.message,
      evidence: part.evidence,
    }));
  }
  return output;
}

function simulationOf(workflow: Workflow, request: SimulationRequest): SimulationReport {
  const { seed } = request;
  let outcome: ReturnType<typeof runCapacityStudy>;
  try {
    outcome = runCapacityStudy(workflow, request);
  } catch (error) {
    // the warm-up is the one option whose range depends on the study (the open hours)
    if (error instanceof RangeError && /warmupMin/.test(error.message))
      throw new UsageError(
        `--warmup must be shorter than the simulated clinic day (${DEFAULT_OPEN_HOURS * 60} minutes)`,
      );
    throw error;
  }
  return outcome.ok ? { seed, ...outcome.study } : { seed, problem: outcome.problem.message };
}

/**
 * Runs the analysis of `workflow` (against `baseline` when given) with the core's
 * `analyzeWorkflow`; the baseline is analysed too, with the same settings, so the comparison can
 * say which findings the plan resolves, keeps and introduces.
 */
function analyzeForCli(
  files: { workflow: string; baseline?: string; settings?: string },
  workflow: Workflow,
  baseline: Workflow | undefined,
  options: {
    simulate: boolean;
    seed: number;
    replications?: number;
    warmupMin?: number;
    settings?: AnalysisSettingsFile;
    removeWaitCauses?: ObservedWaitCause[];
  },
): WorkflowAnalysisOutput {
  // the baseline first: its metrics serve the future's analysis and the comparison alike
  const before = baseline ? analyzeWorkflow(baseline, { settings: options.settings }) : null;
  const analysis = analyzeWorkflow(workflow, {
    baseline,
    settings: options.settings,
    ...(before ? { baselineMetrics: before.metrics } : {}),
  });
  const findings = analysis.findings.map(findingOutput);
  const output: WorkflowAnalysisOutput = {
    format: WORKFLOW_ANALYSIS_FORMAT,
    workflow: { file: files.workflow, id: workflow.id, name: workflow.name, state: workflow.state },
    ...(files.settings !== undefined ? { settingsFile: files.settings } : {}),
    ...metricsPart(analysis.metrics),
    findings,
    goLive: analysis.goLive,
    settings: analysis.settings,
  };
  if (baseline && before && files.baseline !== undefined) {
    output.baseline = { file: files.baseline, id: baseline.id, name: baseline.name };
    const compareOptions: CompareOptions<FindingOutput> = {
      currentMetrics: before.metrics,
      futureMetrics: analysis.metrics,
      currentFindings: before.findings.map(findingOutput),
      futureFindings: findings,
    };
    output.compare = compareWorkflows(baseline, workflow, compareOptions);
  }
  if (baseline && options.removeWaitCauses) {
    output.waitSaving = waitSaving(
      workflow,
      baseline,
      options.removeWaitCauses,
      analysis.settings.thresholds.waitFloorMin,
    );
  }
  if (options.simulate) {
    const { seed, replications, warmupMin } = options;
    output.simulation = simulationOf(workflow, {
      seed,
      ...(replications !== undefined ? { replications } : {}),
      ...(warmupMin !== undefined ? { warmupMin } : {}),
    });
  }
  return output;
}

/** Exit code for a set of findings: 1 when one is an error. */
function exitCodeFor(findings: readonly { severity: string }[]): number {
  return findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}

// ---- printing --------------------------------------------------------------------------------

const round = (value: number, digits = 1): string =>
  Number.isFinite(value) ? value.toFixed(digits) : value > 0 ? 'unbounded' : 'n/a';
const percent = (value: number): string => `${Math.round(value * 100)} %`;
/** Minutes with one decimal; "unbounded" for a queue that grows without end (Infinity). */
const minutes = (value: number): string =>
  Number.isFinite(value) ? `${value.toFixed(1)} min` : round(value);
/** "mean (95 % CI low–high)" in the figure's own format. */
const withInterval = (interval: Interval, format: (value: number) => string): string =>
  `${format(interval.mean)} (95 % CI ${format(Math.max(0, interval.low))}–${format(interval.high)})`;
const perHour = (value: number): string => `${value.toFixed(1)}/h`;
const items = (value: number): string => value.toFixed(1);

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}`.trimEnd(),
  );
}

const METRIC_LABELS: Record<string, string> = {
  touchMin: 'staff touch time (min)',
  waitMin: 'waiting, not queueing (min)',
  cycleMin: 'cycle time (min)',
  handoffs: 'handoffs',
  clicks: 'clicks',
  dataEntries: 'data items typed',
  maxUtilisation: 'busiest role utilisation',
};

/** Attribute names in staff words, for "changes: …". */
const ATTRIBUTE_LABELS: Record<string, string> = {
  kind: 'kind of step',
  medium: 'paper/digital',
  system: 'system',
  lane: 'role',
  touchMin: 'time',
  waitMin: 'waiting',
  clicks: 'clicks',
  enters: 'data entered',
};

function metricsText(metrics: WorkflowMetrics, workflow: Workflow): string[] {
  const laneName = new Map(workflow.lanes.map((l) => [l.id, l.name] as const));
  const stepLabel = new Map(workflow.steps.map((s) => [s.id, s.label] as const));
  const lines = [
    `Per case, at peak (${round(metrics.arrivalsPerHour)} cases an hour):`,
    ...table([
      ['staff touch time', `${minutes(metrics.touchMin)}`],
      ['waiting, not queueing', `${minutes(metrics.waitMin)}`],
      ['queueing for busy staff', `${minutes(metrics.queueWaitMin)}`],
      ['cycle time', `${minutes(metrics.cycleMin)}`],
      ['handoffs', round(metrics.handoffs, 2)],
      ['clicks', round(metrics.clicks)],
      ['data items typed', round(metrics.dataEntries)],
    ]),
    `  longest path: ${metrics.criticalPath.stepIds.length} steps, ${minutes(metrics.criticalPath.durationMin)}` +
      (metrics.criticalPath.stepIds.length > 0
        ? ` (${stepLabel.get(metrics.criticalPath.stepIds[0] ?? '') ?? ''} → ${stepLabel.get(metrics.criticalPath.stepIds.at(-1) ?? '') ?? ''})`
        : ''),
    '',
    'Roles at peak:',
    ...table(
      metrics.lanes.map((lane) => [
        laneName.get(lane.laneId) ?? lane.laneId,
        `${lane.staff} staff`,
        lane.queued ? `utilisation ${percent(lane.utilisation ?? 0)}` : 'not queued',
        lane.queued ? `queue ${minutes(lane.queueWaitMin)}` : '',
        lane.queued && !lane.stable ? 'CANNOT KEEP UP' : '',
      ]),
    ),
  ];
  return lines;
}

function goLiveText(goLive: GoLiveAnalysis, workflow: Workflow): string[] {
  const { settings, cut } = goLive;
  const lines = [
    `Go-live week (bookings at ${percent(settings.capacityFactor)}, staff at ${percent(settings.productivityFactor)} speed${workflow.goLive ? '' : ', assumed'}):`,
  ];
  if (!cut) return [...lines, '  not available: the workflow has no finite metrics'];
  const name = new Map(workflow.lanes.map((l) => [l.id, l.name] as const));
  const busiest = [...cut.lanes].sort((a, b) => b.utilisationPlanned - a.utilisationPlanned)[0];
  if (busiest) {
    lines.push(
      `  busiest role: ${name.get(busiest.laneId) ?? busiest.laneId}, utilisation ${percent(busiest.utilisationPlanned)}`,
    );
  }
  lines.push(
    cut.reduction === 0
      ? `  every role stays at or under ${percent(cut.limit)} even with full bookings`
      : cut.plannedIsEnough
        ? `  the planned bookings are enough; the smallest safe cut is ${percent(cut.reduction)} fewer bookings`
        : `  book at least ${percent(cut.reduction)} fewer patients (planned: ${percent(cut.plannedReduction)}) to keep every role at or under ${percent(cut.limit)}` +
          (cut.bindingLaneId ? ` (${name.get(cut.bindingLaneId) ?? cut.bindingLaneId} is the limit)` : ''),
  );
  return lines;
}

function compareText(compare: WorkflowComparison<FindingOutput>, baselineName: string): string[] {
  const replacing = replacementCounts(compare.matches);
  const suggested = compare.matches.filter((m) => m.by === 'suggested-label');
  const lines = [
    `Compared with "${baselineName}":`,
    `  steps: ${replacing.planned} replace ${replacing.today} current steps, ` +
      `${compare.added.length} new, ${compare.removed.retired.length} retired, ${compare.removed.untraced.length} untraced` +
      (suggested.length > 0 ? `, ${suggested.length} suggested by label (not confirmed)` : ''),
  ];
  for (const r of compare.removed.untraced) {
    lines.push(
      `  untraced: ${r.step.label} (${r.step.laneName}) — no future step replaces it and it is not retired`,
    );
  }
  for (const m of suggested) {
    lines.push(
      `  suggested: "${m.future.label}" may replace "${m.current.label}" (${m.future.laneName}): add it to "replaces" to confirm`,
    );
  }
  if (compare.metrics.deltas.length > 0) {
    lines.push(
      '',
      ...table([
        ['per case', 'current', 'future', 'change', ''],
        ...compare.metrics.deltas.map((d) => {
          const digits = d.metric === 'maxUtilisation' || d.metric === 'handoffs' ? 2 : 1;
          return [
            METRIC_LABELS[d.metric] ?? d.metric,
            round(d.current, digits),
            round(d.future, digits),
            d.delta === 0 ? '0' : `${d.delta > 0 ? '+' : ''}${round(d.delta, digits)}`,
            d.better ? 'better' : d.worse ? 'worse' : '',
          ];
        }),
      ]),
    );
  }
  if (compare.findings) {
    const { resolved, introduced, carriedOver, persisting } = compare.findings;
    const stillThere = [...persisting.map((p) => p.future), ...carriedOver];
    lines.push(
      '',
      `  findings (root causes): ${resolved.length} resolved, ${introduced.length} introduced, ${stillThere.length} still there`,
    );
    if (resolved.length > 0) lines.push(`    resolved: ${ruleCounts(resolved)}`);
    if (introduced.length > 0) lines.push(`    introduced: ${ruleCounts(introduced)}`);
    if (stillThere.length > 0) lines.push(`    still there: ${ruleCounts(stillThere)}`);
  }
  lines.push('', 'What each role must learn:');
  for (const role of compare.roles) {
    const status =
      role.status === 'added'
        ? ' (new role)'
        : role.status === 'removed'
          ? ' (role no longer in the workflow)'
          : '';
    lines.push(`  ${role.name}${status}:`);
    if (role.status === 'unchanged') {
      lines.push('    nothing changes');
      continue;
    }
    for (const g of role.gains) {
      const from =
        g.instead.length > 0
          ? ` (instead of: ${g.instead.map((i) => `${i.step.label}, ${i.step.laneName}`).join('; ')})`
          : '';
      lines.push(`    new: ${g.step.label}${from}`);
    }
    for (const c of role.changes) {
      const what = [
        ...new Set(c.instead.flatMap((i) => i.changes.map((x) => ATTRIBUTE_LABELS[x.attribute]))),
      ].join(', ');
      lines.push(
        `    differently: ${c.step.label} (instead of: ${c.instead.map((i) => i.step.label).join('; ')}; changes: ${what})`,
      );
    }
    for (const l of role.loses) {
      const why =
        l.reason === 'moved'
          ? `now done by ${[...new Set(l.movedTo.map((m) => m.laneName))].join(', ')}`
          : l.reason === 'retired'
            ? 'retired'
            : 'not traced: who does it now?';
      lines.push(`    stops: ${l.step.label} (${why})`);
    }
    if (role.newSystems.length > 0) lines.push(`    new systems: ${role.newSystems.join(', ')}`);
    if (role.newDataItems.length > 0)
      lines.push(`    newly enters: ${role.newDataItems.map(dataItemName).join(', ')}`);
    if (role.droppedDataItems.length > 0)
      lines.push(`    no longer enters: ${role.droppedDataItems.map(dataItemName).join(', ')}`);
  }
  return lines;
}

function simulationText(simulation: SimulationReport, workflow: Workflow): string[] {
  const lines = [`Simulation (seed ${simulation.seed}; exponential touch times):`];
  if ('problem' in simulation) return [...lines, `  not run: ${simulation.problem}`];
  const name = new Map(workflow.lanes.map((l) => [l.id, l.name] as const));
  const { replications, warmupMin } = simulation.options;
  lines.push(
    `  each figure is the mean of ${replications} independent replications with its 95 % confidence interval; the first ${warmupMin} min of every day are warm-up, left out`,
  );
  const day = simulation.peak;
  const peak = simulation.peakIntervals;
  lines.push(
    `  ${simulation.options.peakDays} peak days (first replication): ${day.casesArrived} cases arrived, ${day.casesCompleted} completed; 90th percentile cycle time ${minutes(day.p90CycleMin)}`,
    `  peak throughput ${withInterval(peak.throughputPerHour, perHour)}, cycle time ${withInterval(peak.meanCycleMin, minutes)}`,
    ...table(
      peak.lanes
        .filter((l) => l.queued)
        .map((l) => [
          `  ${name.get(l.laneId) ?? l.laneId}`,
          `utilisation ${l.utilisation ? withInterval(l.utilisation, percent) : '—'}`,
          `wait ${withInterval(l.meanWaitMin, minutes)}`,
          `queue ${withInterval(l.meanQueueLength, items)}`,
        ]),
    ),
  );
  for (const week of simulation.goLiveWeeks) {
    const r = week.intervals;
    const worst = r.lanes.filter((l) => l.queued).sort((a, b) => b.meanWaitMin.mean - a.meanWaitMin.mean)[0];
    lines.push(
      `  go-live week ${week.week} (staff at ${percent(week.productivityFactor)} speed): throughput ${withInterval(r.throughputPerHour, perHour)}, cycle time ${withInterval(r.meanCycleMin, minutes)}` +
        (worst
          ? `; longest waits: ${name.get(worst.laneId) ?? worst.laneId}, ${withInterval(worst.meanWaitMin, minutes)}`
          : ''),
    );
  }
  if (peak.truncated || simulation.goLiveWeeks.some((w) => w.intervals.truncated))
    lines.push('  a replication stopped at its event cap: its numbers cover only part of the period');
  return lines;
}

const SEVERITY_WORDS: Record<FindingOutput['severity'], [string, string]> = {
  error: ['error', 'errors'],
  warn: ['warning', 'warnings'],
  info: ['note', 'notes'],
};

/** "3 errors, 1 warning" for a list of findings. */
function severityCounts(findings: readonly FindingOutput[]): string {
  const parts = (['error', 'warn', 'info'] as const)
    .map((severity) => {
      const n = findings.filter((f) => f.severity === severity).length;
      const [one, many] = SEVERITY_WORDS[severity];
      return n > 0 ? `${n} ${n === 1 ? one : many}` : '';
    })
    .filter((part) => part !== '');
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** A root cause's rule ids joined: "manual-transcription + duplicate-entry". */
function tagText(finding: { rule: string; rules?: readonly string[] }): string {
  return ruleTagsOf(finding).join(' + ');
}

/** "duplicate-entry ×2, serial-approval" for a list of findings (root causes). */
function ruleCounts(findings: readonly { rule: string; rules?: readonly string[] }[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(tagText(f), (counts.get(tagText(f)) ?? 0) + 1);
  return [...counts].map(([rule, n]) => (n > 1 ? `${rule} ×${n}` : rule)).join(', ');
}

/** The findings, most severe first (the analysis sorts them), each with its message. */
export function findingsText(findings: readonly FindingOutput[]): string[] {
  const lines = [
    `Findings: ${severityCounts(findings)}${findings.length > 0 ? ' (one per root cause)' : ''}`,
  ];
  for (const f of findings) {
    const steps = f.stepIds.length > 0 ? ` [${f.stepIds.join(', ')}]` : '';
    lines.push(`  ${SEVERITY_WORDS[f.severity][0].toUpperCase()} ${tagText(f)}${steps}`, `    ${f.message}`);
    for (const part of (f.parts ?? []).slice(1)) lines.push(`    also ${part.rule}: ${part.message}`);
  }
  return lines;
}

/** The readable report. */
function analysisText(output: WorkflowAnalysisOutput, workflow: Workflow): string {
  const lines = [
    `${workflow.name} (${workflow.state} workflow, ${workflow.steps.length} steps, ${workflow.lanes.length} roles)`,
    '',
    ...findingsText(output.findings),
    '',
  ];
  if (output.metrics) lines.push(...metricsText(output.metrics, workflow));
  else lines.push(`No metrics: ${output.metricsProblem?.message ?? 'unknown problem'}`);
  lines.push('', ...goLiveText(output.goLive, workflow));
  if (output.compare && output.baseline) lines.push('', ...compareText(output.compare, output.baseline.name));
  else if (workflow.state === 'future') {
    lines.push(
      '',
      'Give the current workflow with --baseline <current.json> to compare with it and get each role’s checklist.',
    );
  }
  if (output.waitSaving) lines.push('', ...waitSavingText(output.waitSaving));
  if (output.simulation) lines.push('', ...simulationText(output.simulation, workflow));
  return lines.join('\n');
}

/** What each cause taken away means for the clinic, for the what-if's sentence. */
const REMOVED_WORDS: Record<string, string> = {
  batching: 'work released as it comes instead of in batches',
  unavailability: 'the step covered at every hour it waits for today',
};

/** The what-if of `--remove-wait-cause`: the waiting saved per case and per day. */
function waitSavingText(saving: WaitSaving): string[] {
  const what = saving.removed.map((c) => REMOVED_WORDS[c] ?? c).join(', and ');
  if (saving.steps.length === 0 || saving.removed.length === 0) {
    return [
      `What-if (${what || 'no cause that a kept hand-off carries'}): no step keeps a hand-off where the baseline's log measured it, so nothing is saved.`,
    ];
  }
  const lines = [
    `What-if, ${what}: ${saving.savedHoursPerCase.toFixed(2)} h of waiting saved per case, ${saving.savedHoursPerDay.toFixed(1)} h a day over ${round(saving.casesPerDay)} cases.`,
  ];
  for (const step of saving.steps)
    lines.push(
      `  ${step.label}: ${step.savedHoursPerCase.toFixed(2)} h per case (measured before ${step.replacedStepId})`,
    );
  return lines;
}

/** `--remove-wait-cause`: causes a kept hand-off carries, comma-separated. */
function parseRemovedCauses(text: string): ObservedWaitCause[] {
  const causes = text.split(',').map((c) => c.trim());
  const unknown = causes.filter((c) => !(HELD_CAUSES as readonly string[]).includes(c));
  if (causes.length === 0 || unknown.length > 0)
    throw new UsageError(
      `--remove-wait-cause takes ${HELD_CAUSES.join(' or ')} (comma-separated): the causes a kept hand-off carries over`,
    );
  return [...new Set(causes)] as ObservedWaitCause[];
}

// ---- the command -----------------------------------------------------------------------------

/** Checks that `baseline` is the current workflow `workflow` replaces; throws {@link Unusable}. */
function checkPair(workflow: Workflow, file: string, baseline: Workflow, baselineFile: string): void {
  if (workflow.state !== 'future') {
    throw new Unusable(
      `"${file}" is a current workflow (/state); --baseline compares a future workflow with the current one it replaces.`,
    );
  }
  if (baseline.state !== 'current') {
    throw new Unusable(
      `"${baselineFile}" is not a current workflow (/state); give the current workflow as --baseline.`,
    );
  }
  if (workflow.baseline !== baseline.id) {
    throw new Unusable(
      `"${file}" names another baseline workflow (/baseline) than "${baselineFile}" is (/id); give the current workflow it replaces.`,
    );
  }
  const problems = checkWorkflowAgainstBaseline(workflow, baseline);
  if (problems.length > 0) {
    throw new Unusable(problemList(`"${file}" does not fit its baseline "${baselineFile}"`, problems));
  }
}

/** JSON with Infinity written as null (JSON has no Infinity; see the header). */
function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    2,
  );
}

/** The `preflight workflow analyze` command. */
export const workflowAnalyzeCommand: Command = {
  name: 'workflow analyze',
  summary:
    'findings, metrics and go-live check of a workflow; with a baseline, the comparison and role checklist',
  operands: '<workflow.json>',
  options: [
    {
      name: 'baseline',
      type: 'string',
      valueName: 'current.json',
      description:
        'the current workflow the analysed (future) one replaces: adds the comparison and role checklist',
    },
    {
      name: 'settings',
      type: 'string',
      valueName: 's.json',
      description: 'analysis settings (preflight.analysissettings/v1): thresholds and rule severities',
    },
    {
      name: 'simulate',
      type: 'boolean',
      description:
        'also simulate peak days and go-live weeks 1–4, replicated, with 95 % confidence intervals (seeded: the same seed gives the same result)',
    },
    {
      name: 'seed',
      type: 'string',
      valueName: 'n',
      description: `seed of --simulate, 0 to 4294967295 (default ${DEFAULT_SIMULATION_SEED})`,
    },
    {
      name: 'replications',
      type: 'string',
      valueName: 'n',
      description: `independent replications of --simulate, ${MIN_REPLICATIONS} to ${MAX_REPLICATIONS} (default ${DEFAULT_REPLICATIONS})`,
    },
    {
      name: 'warmup',
      type: 'string',
      valueName: 'min',
      description: `minutes at the start of each simulated day left out of the figures (default ${DEFAULT_WARMUP_MIN})`,
    },
    {
      name: 'remove-wait-cause',
      type: 'string',
      valueName: 'causes',
      description:
        "with --baseline: what-if without batching and/or unavailability (comma-separated) at the hand-offs the future design keeps, from the waits measured in the baseline's log: the waiting saved per case and per day",
    },
    { name: 'json', type: 'boolean', description: 'print one JSON document instead of the readable report' },
  ],
  description: [
    'Analyses one workflow file (preflight.workflow/v1), current or future: the findings of every',
    'rule (a paper bottleneck moved onto a screen, data typed twice, click burden, open loops, …),',
    'per-case touch, wait and cycle time, handoffs, clicks and data entries, each role’s',
    'utilisation at peak, and whether go-live week (reduced bookings and staff speed) stays safe —',
    'with the smallest schedule cut that does. With --baseline, compares the future workflow with',
    'the current one: steps replaced, added, retired or untraced, metric changes, findings resolved',
    'and introduced, and what each role must learn.',
  ].join('\n'),
  notes:
    'Exit codes: 0 ok, 1 the workflow has a finding of severity "error", 2 bad usage or an unreadable or invalid file.',
  examples: [
    {
      args: ['samples/workflows/lab-results.future.json'],
      does: 'findings, metrics and go-live check of the planned lab workflow',
      exits: 0,
    },
    {
      args: [
        'samples/workflows/patient-intake.future.json',
        '--baseline',
        'samples/workflows/patient-intake.current.json',
      ],
      does: "the planned intake against today's: its planted bottlenecks are errors",
      exits: 1,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.operands.length !== 1) {
      throw new UsageError(
        args.operands.length === 0
          ? 'give the workflow file to analyse'
          : 'give exactly one workflow file to analyse',
      );
    }
    const file = args.operands[0] as string;
    const baselineFile = args.string('baseline');
    const seedText = args.string('seed');
    if (seedText !== undefined && !args.flag('simulate')) throw new UsageError('--seed is for --simulate');
    const seed = seedText === undefined ? DEFAULT_SIMULATION_SEED : parseSeed(seedText);
    const replicationsText = args.string('replications');
    const warmupText = args.string('warmup');
    if (replicationsText !== undefined && !args.flag('simulate'))
      throw new UsageError('--replications is for --simulate');
    if (warmupText !== undefined && !args.flag('simulate'))
      throw new UsageError('--warmup is for --simulate');
    const replications = replicationsText === undefined ? undefined : parseReplications(replicationsText);
    const warmupMin = warmupText === undefined ? undefined : parseWarmup(warmupText);
    const removeText = args.string('remove-wait-cause');
    if (removeText !== undefined && baselineFile === undefined)
      throw new UsageError(
        '--remove-wait-cause needs --baseline: the waits are measured on the current workflow',
      );
    const removeWaitCauses = removeText === undefined ? undefined : parseRemovedCauses(removeText);
    try {
      const workflow = await readDocument(file, io.cwd, 'workflow', loadWorkflow);
      let baseline: Workflow | undefined;
      if (baselineFile !== undefined) {
        baseline = await readDocument(baselineFile, io.cwd, 'baseline workflow', loadWorkflow);
        checkPair(workflow, file, baseline, baselineFile);
      }
      const settingsFile = args.string('settings');
      const settings =
        settingsFile === undefined
          ? undefined
          : await readDocument(settingsFile, io.cwd, 'analysis settings file', loadAnalysisSettings);
      const output = analyzeForCli(
        { workflow: file, baseline: baselineFile, settings: settingsFile },
        workflow,
        baseline,
        {
          simulate: args.flag('simulate'),
          seed,
          settings,
          ...(replications !== undefined ? { replications } : {}),
          ...(warmupMin !== undefined ? { warmupMin } : {}),
          ...(removeWaitCauses ? { removeWaitCauses } : {}),
        },
      );
      writeResult(
        io,
        args.flag('json'),
        // laid out from copies whose every string is one line: a lane or step name from the file
        // cannot start a line of its own
        args.flag('json') ? toJson(output) : analysisText(oneLineStrings(output), oneLineStrings(workflow)),
      );
      return exitCodeFor(output.findings);
    } catch (error) {
      if (error instanceof Unusable) {
        io.stderr(`preflight workflow analyze: ${error.message}`);
        return EXIT_USAGE;
      }
      throw error;
    }
  },
};
