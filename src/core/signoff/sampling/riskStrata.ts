/**
 * Risk-based sampling: strata the evidence points at, each with its reason, and the size of the
 * next sample following the last result by a rule the plan names.
 *
 * Model: a plan's strata are files, FHIR resource types (or column values); the evidence — the
 * latest validation report, its comparison with the previous rehearsal and the `usedBy` the data
 * dictionary put on its failing checks — names the files (or resource types) whose checks got
 * worse and those whose failing data workflow steps use. A problem lies in a file stratum by its
 * input, in a resource-type stratum by the type its location names (`AllergyIntolerance.code`).
 * Such a stratum is suggested with its reasons; accepted, it is sized for the stricter rate
 * p × `tighterBy` of the plan's size rule. After a review, a stratum that failed or
 * whose Clopper–Pearson upper bound came within `borderline` of p is re-sampled in a superseding
 * plan, with a new seed, at the size for its rate × `tighterBy`: never topped up.
 *
 * Constraint: the statistics stay exact. Every stratum is still judged against the plan's p (the
 * verdict does not change); only n grows, as the exact size for a stricter rate. The browser and
 * the CLI both call these functions, and reasons name columns, steps and counts, never a value.
 */

import type { Project } from '../../../formats/project.ts';
import type { Report, ReportIssue, ReportUsedBy } from '../../../formats/report.ts';
import type { SampleResult } from '../../../formats/review.ts';
import {
  RESAMPLE_TIGHTER,
  type SamplePlan,
  type SizeRule,
  type Stratum,
  type StratumReason,
} from '../../../formats/samplePlan.ts';
import { usedByLine, usedByWeight, withProjectUsedBy } from '../../trace/index.ts';
import { compareReports, issueInput, previousRehearsal } from '../../validation/index.ts';
import {
  fileStratumId,
  STRATIFY_BY_FILE,
  STRATIFY_BY_RESOURCE_TYPE,
  STRATIFY_BY_VALIDATION,
} from './sampleCsv.ts';
import { clopperPearsonUpper, formatPercent } from './statistics.ts';

/** The size rule a risk-based plan names when the lead gives none. */
const DEFAULT_SIZE_RULE: SizeRule = { id: RESAMPLE_TIGHTER, borderline: 0.005, tighterBy: 0.5 };

/** A stratum the evidence suggests, with why. */
export interface RiskStratumSuggestion {
  stratumId: string;
  label: string;
  reasons: StratumReason[];
  /** cases an hour through the steps that use its failing data (0 when none): the order */
  casesPerHour: number;
}

const FAILING = new Set(['error', 'fatal']);
const MAX_COLUMNS_NAMED = 5;

function namedColumns(columns: readonly string[]): string {
  const shown = columns.slice(0, MAX_COLUMNS_NAMED).join(', ');
  return columns.length > MAX_COLUMNS_NAMED
    ? `${shown} and ${columns.length - MAX_COLUMNS_NAMED} more`
    : shown;
}

/** The stratum id of the file an issue or comparison entry lies in, when the report says. */
function fileOf(input: string | undefined, report: Report): string | undefined {
  const name = input ?? (report.inputs.length === 1 ? report.inputs[0]?.name : undefined);
  return name === undefined ? undefined : fileStratumId(name);
}

/** A FHIR resource type's name: letters, a capital first (`AllergyIntolerance`). */
const RESOURCE_TYPE_NAME = /^[A-Z][A-Za-z]*$/;
/** A Bundle entry's resource: the location names the Bundle, never the entry's own type. */
const BUNDLE_ENTRY_RESOURCE = /^Bundle\.entry(?:\[\d+\])?\.resource(?:[.[]|$)/;

/**
 * The FHIR resource type a problem's location names (`AllergyIntolerance.code` →
 * `AllergyIntolerance`), or undefined for a location that names none: a whole file's problem (no
 * location), a column, a URL (an unknown extension's problems are grouped by it), or an element of
 * a Bundle entry's resource (`Bundle.entry.resource.status`: the grouped location has lost the
 * entry's type, and the Bundle is not the record sampled).
 */
export function resourceTypeOf(location: string): string | undefined {
  const first = location.split('.', 1)[0] ?? '';
  if (!RESOURCE_TYPE_NAME.test(first)) return undefined;
  if (BUNDLE_ENTRY_RESOURCE.test(location)) return undefined;
  return first;
}

/** Where a problem (an issue or a comparison entry) lies: its input and its location. */
type ProblemPlace = { input?: string | undefined; location: string };

/** The id of the stratum a problem lies in, when the evidence says. */
type StratumOf = (p: ProblemPlace) => string | undefined;

/**
 * How a plan's strata are matched to problems: a file stratum by the problem's input, a
 * resource-type stratum by the type its location names. Null for any other plan.
 */
function stratumMatcher(plan: SamplePlan, report: Report): StratumOf | null {
  const by = plan.population.stratifyBy;
  if (by === STRATIFY_BY_FILE) return (p) => fileOf(p.input, report);
  if (by === STRATIFY_BY_RESOURCE_TYPE) return (p) => resourceTypeOf(p.location);
  return null;
}

function worseReason(report: Report, stratumId: string, stratumOf: StratumOf): StratumReason | undefined {
  const comparison = report.comparison;
  if (!comparison) return undefined;
  const entries = comparison.entries.filter(
    (e) =>
      FAILING.has(e.severity) && (e.status === 'worse' || e.status === 'new') && stratumOf(e) === stratumId,
  );
  if (entries.length === 0) return undefined;
  const columns = [...new Set(entries.map((e) => e.location))].sort();
  const checks = entries.length === 1 ? '1 check' : `${entries.length} checks`;
  return {
    kind: 'worse',
    text: `${checks} new or worse since the rehearsal of ${comparison.previous.generatedAt}: ${namedColumns(columns)}`,
    columns,
  };
}

function usedByReason(report: Report, stratumId: string, stratumOf: StratumOf): StratumReason | undefined {
  // an issue of a run over several files names its file in its examples (`issueInput`), not always
  // in its own `input`
  const issues = report.issues.filter(
    (i: ReportIssue) =>
      i.usedBy !== undefined &&
      i.usedBy.length > 0 &&
      stratumOf({ input: i.input ?? issueInput(report, i).file, location: i.location }) === stratumId,
  );
  if (issues.length === 0) return undefined;
  // a step that uses two failing columns of the stratum is counted once for the stratum
  const steps = new Map<string, ReportUsedBy>();
  for (const issue of issues)
    for (const u of issue.usedBy ?? []) steps.set(`${u.workflow}\u0000${u.step}`, u);
  const usedBy = [...steps.values()].sort((a, b) => b.casesPerHour - a.casesPerHour);
  const columns = [...new Set(issues.map((i) => i.location))].sort();
  return {
    kind: 'used-by',
    text: `Failing ${namedColumns(columns)}: ${usedByLine(usedBy)}`,
    columns,
    casesPerHour: usedByWeight(usedBy),
  };
}

/**
 * Why no stratum of `plan` can be suggested from the evidence, whatever it says, or null for a plan
 * stratified by file or by FHIR resource type (the strata the evidence names: a problem's input is
 * its file, and a FHIR problem's location names its resource type). The evidence counts failing
 * checks per file and column and keeps a few row numbers, never a record's value: it cannot say
 * which value of a stratifying column the failing records hold, so it cannot point at a column's
 * stratum; and a plan stratified by validation outcome already samples every failing record in
 * its flagged stratum. Said by the Sign-off screen and by `preflight sample --risk` alike.
 */
export function riskStrataUnavailable(plan: SamplePlan): string | null {
  const by = plan.population.stratifyBy;
  if (by === STRATIFY_BY_FILE || by === STRATIFY_BY_RESOURCE_TYPE) return null;
  if (by === STRATIFY_BY_VALIDATION)
    return 'This plan is stratified by validation outcome: its flagged stratum already holds every record that failed a check, so the evidence has no stratum to add.';
  return `This plan is stratified by ${JSON.stringify(by)}: the checks count failures per file and column, never which ${JSON.stringify(by)} a failing record has, so they cannot say which stratum the failures are in. Stratify the plan by file (or, for FHIR records, by resource type) for strata from the evidence.`;
}

/**
 * What the evidence matches a plan's strata to, in the words both adapters print when it names
 * none of them: "file", or "resource type" for a plan stratified by FHIR resource type.
 */
export const evidenceStratumNoun = (plan: SamplePlan): 'file' | 'resource type' =>
  plan.population.stratifyBy === STRATIFY_BY_RESOURCE_TYPE ? 'resource type' : 'file';

/**
 * The strata of `plan` the evidence of `report` points at — files (or FHIR resource types) whose
 * failing checks are new or worse since the previous rehearsal, and those whose failing data
 * workflow steps use (`usedBy`) — each with its reasons, most cases an hour first, then by id.
 * Strata the evidence says nothing about are not listed, nor are problems whose location names no
 * resource type (in a resource-type plan). A plan stratified by a column or by validation outcome
 * gets no suggestion ({@link riskStrataUnavailable} says why).
 */
export function suggestRiskStrata(plan: SamplePlan, report: Report): RiskStratumSuggestion[] {
  const stratumOf = stratumMatcher(plan, report);
  if (stratumOf === null) return [];
  const out: RiskStratumSuggestion[] = [];
  for (const stratum of plan.population.strata) {
    const reasons = [
      worseReason(report, stratum.id, stratumOf),
      usedByReason(report, stratum.id, stratumOf),
    ].filter((r): r is StratumReason => r !== undefined);
    if (reasons.length === 0) continue;
    out.push({
      stratumId: stratum.id,
      label: stratum.label,
      reasons,
      casesPerHour: reasons.reduce((sum, r) => sum + (r.casesPerHour ?? 0), 0),
    });
  }
  return out.sort((a, b) => b.casesPerHour - a.casesPerHour || a.stratumId.localeCompare(b.stratumId));
}

/** The rate a stratum is sized for: its own stricter rate, else the plan's. */
const sizingRate = (plan: SamplePlan, stratum: Stratum): number =>
  stratum.sizedAtRate ?? plan.targetErrorRate;

/**
 * `plan` (unlocked) with the accepted suggestions applied: each accepted stratum carries its
 * reasons and is sized for p × `tighterBy`, and the plan names its size rule (`rule`, else the
 * plan's, else {@link DEFAULT_SIZE_RULE}). Strata not accepted are left as they are.
 */
export function applyRiskStrata(
  plan: SamplePlan,
  accepted: readonly RiskStratumSuggestion[],
  rule: SizeRule = plan.sizeRule ?? DEFAULT_SIZE_RULE,
): SamplePlan {
  const byId = new Map(accepted.map((s) => [s.stratumId, s]));
  return {
    ...plan,
    sizeRule: rule,
    population: {
      ...plan.population,
      strata: plan.population.strata.map((stratum) => {
        const suggestion = byId.get(stratum.id);
        if (!suggestion) return stratum;
        return {
          ...stratum,
          reasons: suggestion.reasons,
          sizedAtRate: Math.min(sizingRate(plan, stratum), plan.targetErrorRate * rule.tighterBy),
        };
      }),
    },
  };
}

/** One stratum's last result as the size rule reads it. */
export interface LastStratumResult {
  stratumId: string;
  /** records with a final decision */
  reviewed: number;
  /** records counted as errors at the major rate (critical, major, cannot assess) */
  errors: number;
  pass: boolean;
}

/** The size rule's view of a sample's result. */
export function lastResultsOf(result: SampleResult): LastStratumResult[] {
  return result.strata.map((s) => ({
    stratumId: s.stratumId,
    reviewed: s.final,
    errors: s.critical + s.major + s.cannotAssess,
    pass: s.pass,
  }));
}

/** What the size rule decided for one stratum of the next plan. */
interface NextStratumSize {
  stratumId: string;
  verdict: 'failed' | 'borderline' | 'passed';
  /** the one-sided Clopper–Pearson upper bound at the plan's confidence (null: nothing reviewed) */
  upperBound: number | null;
  /** the rate the next sample is sized for */
  sizedAtRate: number;
}

/**
 * The plan's size rule applied to its last result: a stratum that failed, or passed with its
 * upper bound within `borderline` of p, is sized next for its rate × `tighterBy`; any other keeps
 * its rate. A stratum with no result keeps its rate too.
 */
export function nextStrataSizes(plan: SamplePlan, last: readonly LastStratumResult[]): NextStratumSize[] {
  const rule = plan.sizeRule ?? DEFAULT_SIZE_RULE;
  const byId = new Map(last.map((r) => [r.stratumId, r]));
  return plan.population.strata.map((stratum) => {
    const rate = sizingRate(plan, stratum);
    const r = byId.get(stratum.id);
    const upperBound =
      r === undefined || r.reviewed === 0 ? null : clopperPearsonUpper(r.errors, r.reviewed, plan.confidence);
    const verdict =
      r === undefined
        ? 'passed'
        : !r.pass
          ? 'failed'
          : upperBound !== null && upperBound >= plan.targetErrorRate - rule.borderline
            ? 'borderline'
            : 'passed';
    return {
      stratumId: stratum.id,
      verdict,
      upperBound,
      sizedAtRate: verdict === 'passed' ? rate : rate * rule.tighterBy,
    };
  });
}

/**
 * The strata of the plan that supersedes the locked `plan` after `last`: each failed or borderline
 * stratum sized by the rule, with a `last-result` reason that says why. The caller makes the new
 * plan with `supersedePlan` (new id and seed, `supersedes` = the old hash) and these strata.
 */
export function resizedStrata(plan: SamplePlan, last: readonly LastStratumResult[]): Stratum[] {
  const rule = plan.sizeRule ?? DEFAULT_SIZE_RULE;
  const next = new Map(nextStrataSizes(plan, last).map((s) => [s.stratumId, s]));
  return plan.population.strata.map((stratum) => {
    const size = next.get(stratum.id);
    if (!size || size.verdict === 'passed') return stratum;
    const bound =
      size.upperBound === null ? 'no upper bound' : `upper bound ${formatPercent(size.upperBound)}`;
    const text =
      size.verdict === 'failed'
        ? `Failed the last sample (${bound} against ${formatPercent(plan.targetErrorRate)}): re-sampled, new seed, sized for ${formatPercent(size.sizedAtRate)} by rule ${rule.id}`
        : `Borderline in the last sample (${bound}, within ${formatPercent(rule.borderline)} of ${formatPercent(plan.targetErrorRate)}): re-sampled, new seed, sized for ${formatPercent(size.sizedAtRate)} by rule ${rule.id}`;
    const kept = (stratum.reasons ?? []).filter((r) => r.kind !== 'last-result');
    return { ...stratum, reasons: [...kept, { kind: 'last-result', text }], sizedAtRate: size.sizedAtRate };
  });
}

/** The plan's strata reasons and its size rule as lines for a terminal or a printed page. */
export function riskLines(plan: SamplePlan): string[] {
  const lines: string[] = [];
  for (const stratum of plan.population.strata) {
    for (const reason of stratum.reasons ?? []) lines.push(`${stratum.id}: ${reason.text}`);
    if (stratum.sizedAtRate !== undefined)
      lines.push(
        `${stratum.id}: sized for ${formatPercent(stratum.sizedAtRate)}, judged at ${formatPercent(plan.targetErrorRate)}`,
      );
  }
  if (plan.sizeRule)
    lines.push(
      `Size rule ${plan.sizeRule.id}: a stratum that fails, or passes with its upper bound within ${formatPercent(plan.sizeRule.borderline)} of ${formatPercent(plan.targetErrorRate)}, is re-sampled with a new seed, sized for its rate × ${plan.sizeRule.tighterBy}; never topped up.`,
    );
  return lines;
}

/** Whether a report checked FHIR records: FHIR input, or rows mapped to FHIR resources. */
const checkedFhir = (report: Report): boolean =>
  report.target?.type === 'fhir' || report.inputs.some((i) => i.kind !== 'csv');

/**
 * The evidence a plan's strata are suggested from in a project: the latest report that checked
 * one of the plan's files (for a plan stratified by resource type: the latest check of FHIR
 * records, whose problems' locations name their types), compared with its previous rehearsal
 * (when it carries no comparison of its own) and with `usedBy` worked out from the project's data
 * dictionary, as the CLI's `validate --project --compare` writes it. Null when there is none.
 */
export function planEvidence(project: Project, plan: SamplePlan): Report | null {
  const files = new Set(plan.population.strata.map((s) => s.id));
  const checked = project.reports.filter((r) =>
    plan.population.stratifyBy === STRATIFY_BY_RESOURCE_TYPE
      ? checkedFhir(r)
      : r.inputs.some((i) => files.has(fileStratumId(i.name))),
  );
  const latest = checked.reduce<Report | null>(
    (best, r) => (best === null || Date.parse(r.generatedAt) > Date.parse(best.generatedAt) ? r : best),
    null,
  );
  if (latest === null) return null;
  const previous = latest.comparison ? null : previousRehearsal(project.reports, latest);
  const compared = previous ? { ...latest, comparison: compareReports(previous, latest) } : latest;
  return withProjectUsedBy(compared, project);
}
