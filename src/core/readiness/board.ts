/**
 * The board: what a go/no-go meeting looks at before it reads a list of reasons. The five phases
 * in one row with their counts, each extract's rehearsals as a trend of the share of valid
 * records, each sample plan's sign-off verdict with its upper bound, and the capacity verdict of
 * each planned workflow at the peak hour and in go-live week, and the failing data of the latest
 * checks by what uses it (the trace through the data dictionary, most cases an hour first, from
 * the latest run's whole report, or on a shared project from the problems its shared summary
 * kept: rule and place per file, through the one {@link failingDataByUse}), and after go-live each workflow's forecast against what its go-live log showed (forecasts.ts).
 *
 * Every figure is the one the phases judge: the runs are counted by `extractRuns` (as Pre-launch
 * counts them: on a shared project every member's runs as the team server holds their summaries,
 * the history the Migration screen shows; otherwise the project's reports), the verdict is the sign-off's own (`reviewVerdict`), the utilisations are the
 * analysis's and `scheduleCutForGoLive`'s. The board adds no judgement of its own beyond putting
 * them side by side. Pure.
 */
import { type CommandCentre, readCommandCentre } from '../../formats/cutover.ts';
import { readDataDictionary } from '../../formats/dataDictionary.ts';
import type { Project } from '../../formats/project.ts';
import type { ReadinessGates } from '../../formats/readinessGates.ts';
import { REPORT_FORMAT, type Report, type ReportIssue } from '../../formats/report.ts';
import { readRollbackPlan } from '../../formats/rollbackPlan.ts';
import { readProjectWaivers } from '../../formats/waivers.ts';
import { type ReportSummary, runOfSummary } from '../teamRecords/index.ts';
import {
  confirmedLinks,
  createTraceIndex,
  failingShare,
  failingWeight,
  isFailingIssue,
  type ProblemPlace,
  placeOfIssue,
  type TracedInputs,
  type TraceIndex,
  usedByRoles,
  usedByWeight,
} from '../trace/index.ts';
import { ACROSS_RECORD_RULES, applyWaivers } from '../validation/index.ts';
import { scheduleCutForGoLive } from '../workflow/index.ts';
import { boardForecasts, forecastLines } from './forecasts.ts';
import { extractRuns, latestReview, latestRun, runOrderedAt, verdictOf } from './preLaunch.ts';
import { daysBetween } from './rollback.ts';
import { type TeamSample, teamSampleBoard, teamSampleOf } from './teamSample.ts';
import type {
  BoardCapacity,
  BoardDataLeftOut,
  BoardDataRisk,
  BoardForecast,
  BoardIssues,
  BoardRehearsal,
  BoardSignoff,
  PhaseReadiness,
  ReadinessBoard,
} from './types.ts';
import { count, day, list, percent, plural } from './words.ts';
import type { WorkflowEvidence } from './workflowEvidence.ts';

export type {
  BoardCapacity,
  BoardDataLeftOut,
  BoardDataRisk,
  BoardForecast,
  BoardIssues,
  BoardPhase,
  BoardRehearsal,
  BoardSignoff,
  ReadinessBoard,
} from './types.ts';

/** How close two shares must be to read as the same (a tenth of a per cent, as they print). */
const SAME_SHARE = 0.0005;

function rehearsals(
  project: Project,
  gates: ReadinessGates,
  today: string | undefined,
  summaries: readonly ReportSummary[] | undefined,
): BoardRehearsal[] {
  return project.datasets.map((dataset) => {
    const runs = extractRuns(project, dataset, today, summaries)
      .runs.slice()
      .sort((a, b) => runOrderedAt(a) - runOrderedAt(b))
      .map((r) => {
        const validShare = r.records === 0 ? 1 : r.valid / r.records;
        return { day: day(r.at), validShare, passes: validShare >= gates.minValidShare && r.crossFile === 0 };
      });
    const [before, last] = runs.slice(-2);
    const trend =
      runs.length === 0
        ? 'none'
        : runs.length === 1 || !before || !last
          ? 'first'
          : Math.abs(last.validShare - before.validShare) < SAME_SHARE
            ? 'same'
            : last.validShare > before.validShare
              ? 'better'
              : 'worse';
    return { dataset: dataset.name, runs, trend };
  });
}

function signoff(project: Project, teamSamples: readonly TeamSample[]): BoardSignoff[] {
  return project.samplePlans.map((plan) => {
    const onServer = teamSampleOf(plan, teamSamples);
    if (onServer) return teamSampleBoard(plan, onServer);
    const review = latestReview(plan, project.reviews ?? []);
    const verdict = review && verdictOf(review, plan);
    if (!review || !verdict) return { plan: plan.name, verdict: 'none' };
    const drawn = review.sample.strata.reduce((n, s) => n + s.records.length, 0);
    const waiting =
      verdict.reviewed < drawn ||
      verdict.awaitingAdjudication + verdict.awaitingFirstReview + verdict.awaitingSecondReview > 0;
    return {
      plan: plan.name,
      verdict: waiting ? 'open' : verdict.pass ? 'pass' : 'fail',
      upperBound: verdict.upperBound,
      target: plan.targetErrorRate,
      confidence: plan.confidence,
      reviewed: verdict.reviewed,
      drawn,
    };
  });
}

function capacity(workflows: WorkflowEvidence, gates: ReadinessGates): BoardCapacity[] {
  return workflows.planned.map((p) => {
    const names = new Map(p.workflow.lanes.map((l) => [l.id, l.name]));
    const found: BoardCapacity = { workflow: p.workflow.name, verdict: 'unknown' };
    if (p.analysis.metrics.ok) {
      const top = p.analysis.metrics.metrics.lanes
        .filter((l) => l.queued && l.utilisation !== null)
        .reduce<{ role: string; utilisation: number } | undefined>(
          (best, l) =>
            best && best.utilisation >= (l.utilisation ?? 0)
              ? best
              : { role: l.name, utilisation: l.utilisation ?? 0 },
          undefined,
        );
      if (top) found.peak = top;
    }
    const cut = scheduleCutForGoLive(p.workflow, gates.maxGoLiveUtilisation, p.analysis.goLive.settings);
    if (cut.ok) {
      const top = cut.cut.lanes.reduce<{ role: string; utilisation: number } | undefined>(
        (best, l) =>
          best && best.utilisation >= l.utilisationPlanned
            ? best
            : { role: names.get(l.laneId) ?? l.laneId, utilisation: l.utilisationPlanned },
        undefined,
      );
      if (top) found.goLive = top;
    }
    const computed = p.analysis.metrics.ok && cut.ok;
    const over =
      (found.peak?.utilisation ?? 0) > gates.maxPeakUtilisation ||
      (found.goLive?.utilisation ?? 0) > gates.maxGoLiveUtilisation;
    found.verdict = over ? 'over' : computed ? 'within' : 'unknown';
    return found;
  });
}

/** The issue log counted per triage category and per day; the go-live day numbers the days after it. */
function issues(centre: CommandCentre, goLiveDay: string | undefined): BoardIssues {
  const logged = centre.issues ?? [];
  // each name once (the board keys its rows by name), the command centre's order first
  const names = [...new Set([...centre.triage.map((t) => t.name), ...logged.map((i) => i.category)])];
  const byDay = new Map<string, { logged: number; open: number }>();
  for (const i of logged) {
    const d = byDay.get(i.day) ?? { logged: 0, open: 0 };
    d.logged += 1;
    if (i.status === 'open') d.open += 1;
    byDay.set(i.day, d);
  }
  return {
    categories: names.map((name) => {
      const under = logged.filter((i) => i.category === name);
      return { name, open: under.filter((i) => i.status === 'open').length, logged: under.length };
    }),
    days: [...byDay.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([d, n]) => {
        const after = goLiveDay === undefined ? -1 : daysBetween(goLiveDay, d) + 1;
        return { day: d, ...(after >= 1 ? { afterGoLive: after } : {}), ...n };
      }),
    open: logged.filter((i) => i.status === 'open').length,
    logged: logged.length,
    ...(goLiveDay ? { goLiveDay } : {}),
  };
}

/** The board of `phases` as judged for `project` (see the header). */
export function readinessBoard(
  project: Project,
  workflows: WorkflowEvidence,
  gates: ReadinessGates,
  phases: readonly PhaseReadiness[],
  today?: string,
  /** the team server's samples of a shared project (see teamSample.ts) */
  teamSamples: readonly TeamSample[] = [],
  /** a shared project's validation summaries on the team server: the rehearsals are drawn from them */
  reportSummaries?: readonly ReportSummary[],
): ReadinessBoard {
  const centre = readCommandCentre(project.meta.settings);
  const goLiveDay = readRollbackPlan(project.meta.settings)?.goLiveDate;
  return {
    phases: phases.map((p) => ({
      id: p.id,
      name: p.name,
      status: p.status,
      blocking: p.reasons.filter((r) => r.blocks).length,
      risks: p.reasons.filter((r) => !r.blocks).length,
    })),
    rehearsals: rehearsals(project, gates, today, reportSummaries),
    signoff: signoff(project, teamSamples),
    capacity: capacity(workflows, gates),
    ...(centre ? { issues: issues(centre, goLiveDay) } : {}),
    ...failingData(project, today, reportSummaries),
    ...withForecasts(boardForecasts(project)),
  };
}

const withForecasts = (forecasts: BoardForecast[]) => (forecasts.length > 0 ? { forecasts } : {});

/**
 * A failing problem of an extract's latest check: its rule, place and file, how often, and the
 * records of its file (for the share that fails; absent when the run could not tell).
 */
export type FailingProblem = ProblemPlace & { rule: string; count: number; records?: number };

/** The failing problems of one extract's latest check in the file it was checked as. */
export interface ExtractProblems {
  /** the dataset's name */
  dataset: string;
  /** the run's files, to tell the dataset of a problem's file */
  inputs: TracedInputs;
  problems: readonly FailingProblem[];
}

/**
 * The failing data of `extracts` that steps use, by `index` (the project's trace): one entry per
 * column or element of each extract, its checks together, ordered by weight — cases an hour times
 * the share of the file's records that fail (`failingWeight`) — then by cases an hour and
 * problems. The one trace of the board, whether the problems come from a whole report or from
 * what a shared summary kept.
 */
export function failingDataByUse(index: TraceIndex, extracts: readonly ExtractProblems[]): BoardDataRisk[] {
  const risks: BoardDataRisk[] = [];
  /** the records each risk's share is of (its problems' file's, the largest when they differ) */
  const recordsOf = new Map<BoardDataRisk, number | undefined>();
  for (const extract of extracts) {
    const byLocation = new Map<string, BoardDataRisk>();
    for (const problem of extract.problems) {
      const usedBy = index.usedByPlace(problem, extract.inputs);
      if (usedBy.length === 0) continue;
      const found = byLocation.get(problem.location);
      if (found) {
        if (!found.rules.includes(problem.rule)) found.rules.push(problem.rule);
        found.count += problem.count;
        const before = recordsOf.get(found);
        if (problem.records !== undefined && (before === undefined || problem.records > before))
          recordsOf.set(found, problem.records);
        continue;
      }
      const risk: BoardDataRisk = {
        dataset: extract.dataset,
        location: problem.location,
        rules: [problem.rule],
        count: problem.count,
        steps: usedBy.length,
        roles: usedByRoles(usedBy),
        casesPerHour: usedByWeight(usedBy),
        share: 1,
        weight: 0,
      };
      recordsOf.set(risk, problem.records);
      byLocation.set(problem.location, risk);
      risks.push(risk);
    }
  }
  for (const risk of risks) {
    risk.share = failingShare(risk.count, recordsOf.get(risk));
    risk.weight = failingWeight([{ casesPerHour: risk.casesPerHour }], risk.share);
  }
  return risks.sort((a, b) => b.weight - a.weight || b.casesPerHour - a.casesPerHour || b.count - a.count);
}

/** The failing problems of `run` (waivers applied) in `file`, as the trace reads them. */
function failingIn(run: Report, file: string): FailingProblem[] {
  return run.issues.flatMap((issue) => {
    const place = placeOfIssue(issue, run);
    const records = run.inputs.find((i) => i.name === file)?.records;
    return isFailingIssue(issue) && place.input === file
      ? [{ ...place, rule: issue.rule, count: issue.count, ...(records === undefined ? {} : { records }) }]
      : [];
  });
}

/**
 * The problems a shared summary kept, as the issues of a report that lists nothing else: what the
 * project's waivers are applied to, as they are to a whole report. The summary keeps no row, so a
 * waiver limited to rows accepts none of them (nothing is accepted on a guess).
 */
function summaryAsReport(summary: ReportSummary): Report | undefined {
  const { problems } = runOfSummary(summary);
  if (problems === undefined) return undefined;
  return {
    format: REPORT_FORMAT,
    generatedAt: summary.generatedAt,
    tool: { name: 'preflight', version: '' },
    inputs: summary.inputs.map((i) => ({
      name: i.name,
      kind: i.kind ?? 'csv',
      records: i.records,
      ...(i.dataset === undefined ? {} : { dataset: i.dataset }),
    })),
    summary: { ...summary.summary },
    issues: problems
      // problems across records and files are a report's apart from its issues: not traced
      .filter((p) => !ACROSS_RECORD_RULES.has(p.issue.rule))
      .map(
        (p): ReportIssue => ({
          ...p.issue,
          count: p.count,
          examples: [],
          // the file the summary placed it in, when the run could tell
          ...(p.input === undefined ? {} : { input: p.input }),
        }),
      ),
    profiles: [],
    crossFile: { duplicateKeys: [], orphanReferences: [] },
    timings: { startedAt: summary.generatedAt, totalMs: 0 },
  };
}

/** The failing problems of each extract's latest check, and the extracts whose problems are not known. */
interface LatestProblems {
  extracts: (ExtractProblems & { report?: string; summary?: string })[];
  leftOut: BoardDataLeftOut[];
}

/**
 * Of each extract's latest check (the run Pre-launch judges, by `extractRuns`), the failing
 * problems of its file with the project's waivers applied on `today`, and the id of the project's
 * report it is, or of the shared summary it is known by; a latest run known by a shared summary that kept no
 * problems (too many) is said in `leftOut`, not left blank.
 */
function latestProblems(
  project: Project,
  today: string | undefined,
  summaries: readonly ReportSummary[] | undefined,
): LatestProblems {
  const { waivers } = readProjectWaivers(project.meta.settings);
  const extracts: LatestProblems['extracts'] = [];
  const leftOut: BoardDataLeftOut[] = [];
  for (const dataset of project.datasets) {
    const latest = latestRun(extractRuns(project, dataset, today, summaries).runs);
    if (!latest) continue;
    const run = 'run' in latest ? latest.run : summaryAsReport(latest.summary);
    if (!run) {
      // a summary keeps its problems, or says how many it left out; with neither it was shared
      // before summaries kept them
      if ('summary' in latest)
        leftOut.push(
          latest.summary.problemsLeftOut === undefined
            ? { dataset: dataset.name, predatesProblems: true }
            : { dataset: dataset.name, problems: latest.summary.problemsLeftOut },
        );
      continue;
    }
    const judged =
      waivers.length > 0 ? applyWaivers(run, waivers, today ?? run.generatedAt.slice(0, 10)) : run;
    const id = 'run' in latest ? (latest.run as { id?: unknown }).id : undefined;
    extracts.push({
      dataset: dataset.name,
      inputs: judged.inputs,
      problems: failingIn(judged, latest.file),
      ...(typeof id === 'string' ? { report: id } : {}),
      ...('summary' in latest ? { summary: latest.summary.id } : {}),
    });
  }
  return { extracts, leftOut };
}

/**
 * The board's failing data: the latest checks' failing problems ({@link latestProblems}) traced
 * through the data dictionary. Nothing when no link of the dictionary is confirmed.
 */
function failingData(
  project: Project,
  today: string | undefined,
  summaries: readonly ReportSummary[] | undefined,
): { dataRisks?: BoardDataRisk[]; dataLeftOut?: BoardDataLeftOut[] } {
  const dictionary = readDataDictionary(project.meta.settings);
  if (confirmedLinks(dictionary).length === 0) return {};
  const { extracts, leftOut } = latestProblems(project, today, summaries);
  const risks = failingDataByUse(createTraceIndex(project, dictionary), extracts);
  return {
    ...(risks.length > 0 ? { dataRisks: risks } : {}),
    ...(leftOut.length > 0 ? { dataLeftOut: leftOut } : {}),
  };
}

/** Failing data one workflow step uses: a column or element of an extract's latest check. */
export interface StepFailingData {
  /** the dataset's name */
  dataset: string;
  /** the column (or FHIR element path) that fails */
  location: string;
  /** the checks that fail there */
  rules: string[];
  /** problems there, over those checks */
  count: number;
  /** the share of the file's records that fail there (as the board's) */
  share: number;
  /** the data item as the step names it */
  item: string;
  /** the project's report the problems are in, to open it; absent when this browser does not keep it */
  report?: string;
  /**
   * on a shared project, the check as the team server holds its summary: the member who ran it and
   * shared it, and when the server received it (what a member who does not keep the report is told)
   */
  shared?: { by: string; at: string };
}

/** The key of a step in {@link failingDataOfSteps}: its workflow's id and its own. */
export const stepKey = (workflow: string, step: string): string => `${workflow}\u0000${step}`;

/** How the check of an extract's latest run is named to a step: what opens it, who ran it. */
export type StepCheckOf = (check: {
  /** the project's report it is */
  report?: string;
  /** the shared summary it is known by (the id of the report it summarises) */
  summary?: string;
}) => Pick<StepFailingData, 'report' | 'shared'>;

const reportOfRun: StepCheckOf = ({ report }) => (report === undefined ? {} : { report });

/**
 * The failing data each workflow step uses, by {@link stepKey}: the same latest checks, waivers
 * and trace as the board's failing data (so a step shows what the board counts), most problems
 * first. Only the steps the trace counts carry any: those of planned workflows, and of a current
 * one no planned workflow replaces. Empty when no link of the dictionary is confirmed. `checkOf`
 * names each check (by default, the project's report it is).
 */
export function failingDataOfSteps(
  project: Project,
  today?: string,
  summaries?: readonly ReportSummary[],
  checkOf: StepCheckOf = reportOfRun,
): Map<string, StepFailingData[]> {
  const out = new Map<string, StepFailingData[]>();
  const dictionary = readDataDictionary(project.meta.settings);
  if (confirmedLinks(dictionary).length === 0) return out;
  const index = createTraceIndex(project, dictionary);
  for (const extract of latestProblems(project, today, summaries).extracts) {
    const check = checkOf(extract);
    for (const problem of extract.problems)
      for (const use of index.usedByPlace(problem, extract.inputs)) {
        const key = stepKey(use.workflow, use.step);
        const list = out.get(key) ?? [];
        const found = list.find((f) => f.dataset === extract.dataset && f.location === problem.location);
        if (found) {
          if (!found.rules.includes(problem.rule)) found.rules.push(problem.rule);
          found.count += problem.count;
          found.share = failingShare(found.count, problem.records);
          continue;
        }
        list.push({
          dataset: extract.dataset,
          location: problem.location,
          rules: [problem.rule],
          count: problem.count,
          share: failingShare(problem.count, problem.records),
          item: use.item,
          ...check,
        });
        out.set(key, list);
      }
  }
  for (const list of out.values())
    list.sort((a, b) => b.count - a.count || a.location.localeCompare(b.location));
  return out;
}

/** How many of the failing data the board's lines name; the rest are counted. */
const DATA_RISKS_NAMED = 5;

/**
 * Where data fails and how much of its file: `allergies in patients.csv (8 problems, 0.8 % of
 * records)` — the share rounded up, so a failing record never reads as 0 %.
 */
export function dataRiskPlace(r: BoardDataRisk): string {
  return `${r.location} in ${r.dataset} (${plural(r.count, 'problem')}, ${percent(r.share, 'up')} of records)`;
}

/** The board's line of failing data by what uses it, most often met first (its weight). */
export function dataRiskWords(risks: readonly BoardDataRisk[]): string {
  const named = risks
    .slice(0, DATA_RISKS_NAMED)
    .map(
      (r) =>
        `${dataRiskPlace(r)} — ${plural(r.steps, 'step')} (${r.roles.join(', ')}), ${r.casesPerHour.toLocaleString('en-US')} cases/h`,
    );
  const more = risks.length > DATA_RISKS_NAMED ? `; and ${count(risks.length - DATA_RISKS_NAMED)} more` : '';
  return `Failing data by what uses it, most often met first (cases an hour × share of records failing): ${named.join('; ')}${more}.`;
}

/**
 * What the board cannot trace, in words: the extracts whose latest shared summary kept none of
 * its problems, there being too many to keep, or the summary being shared before summaries kept
 * them (then the check must run again).
 */
export function dataLeftOutWords(leftOut: readonly BoardDataLeftOut[]): string {
  const tooMany = leftOut.flatMap((l) =>
    'problems' in l ? [`${l.dataset} (${plural(l.problems, 'problem')})`] : [],
  );
  const older = leftOut.flatMap((l) => ('predatesProblems' in l ? [l.dataset] : []));
  const words: string[] = [];
  if (tooMany.length > 0)
    words.push(
      `Failing data not traced for ${list(tooMany)}: the latest run's shared summary had too many problems to keep them, so what uses them cannot be told here; see the run on the Migration screen of the browser that ran it.`,
    );
  if (older.length > 0)
    words.push(
      `Failing data not traced for ${list(older)}: the latest run's shared summary was made before summaries kept their problems, so what fails cannot be told here; run the check again and share it.`,
    );
  return words.join(' ');
}

/** A share of valid records as Pre-launch writes it: rounded down under the gate, so it never reads as the gate. */
export function shareWords(share: number, gates: Pick<ReadinessGates, 'minValidShare'>): string {
  return percent(share, share < gates.minValidShare ? 'down' : 'nearest');
}

const TREND_WORDS: Readonly<Record<BoardRehearsal['trend'], string>> = {
  better: 'better than the run before',
  worse: 'WORSE than the run before',
  same: 'the same as the run before',
  first: 'first run',
  none: 'not checked yet',
};

const VERDICT_WORDS: Readonly<Record<BoardSignoff['verdict'], string>> = {
  pass: 'passes',
  fail: 'FAILS',
  open: 'records still wait for a decision',
  none: 'no verdict yet',
};

/**
 * The board in lines of text, the same in the CLI and the printed pack: the phases, each
 * rehearsal trend, each sign-off verdict with its bound, each capacity verdict, the issue log.
 */
export function boardLines(board: ReadinessBoard, gates: ReadinessGates): string[] {
  const status = { ready: 'ready', 'at-risk': 'at risk', blocked: 'BLOCKED', 'not-started': 'not started' };
  const lines = [
    `Phases: ${board.phases.map((p) => `${p.name} ${status[p.status]} (${p.blocking} blocking, ${p.risks} at risk)`).join(' · ')}.`,
  ];
  for (const r of board.rehearsals)
    lines.push(
      r.runs.length === 0
        ? `Rehearsals of ${r.dataset}: not checked yet.`
        : `Rehearsals of ${r.dataset}: ${r.runs.map((x) => `${x.day} ${shareWords(x.validShare, gates)}${x.passes ? '' : ' ✖'}`).join(' → ')} valid (gate ${percent(gates.minValidShare)}); ${TREND_WORDS[r.trend]}.`,
    );
  for (const s of board.signoff)
    lines.push(
      s.upperBound === undefined
        ? `Sign-off of “${s.plan}”: ${VERDICT_WORDS[s.verdict]}.`
        : `Sign-off of “${s.plan}”: ${VERDICT_WORDS[s.verdict]} — ${s.reviewed} of ${s.drawn} reviewed; error rate at most ${percent(s.upperBound, 'up')} at ${percent(s.confidence ?? 0)} confidence (target ${percent(s.target ?? 0)}).`,
    );
  for (const c of board.capacity) {
    const parts = [
      c.peak
        ? `peak hour ${c.peak.role} ${percent(c.peak.utilisation, 'up')} (gate ${percent(gates.maxPeakUtilisation)})`
        : 'peak hour cannot be computed',
      c.goLive
        ? `go-live week ${c.goLive.role} ${percent(c.goLive.utilisation, 'up')} (gate ${percent(gates.maxGoLiveUtilisation)})`
        : 'go-live week cannot be computed',
    ];
    lines.push(
      `Capacity of “${c.workflow}”: ${c.verdict === 'within' ? 'within its gates' : c.verdict === 'over' ? 'OVER A GATE' : 'not known'} — ${list(parts)}.`,
    );
  }
  if (board.dataRisks) lines.push(dataRiskWords(board.dataRisks));
  if (board.dataLeftOut) lines.push(dataLeftOutWords(board.dataLeftOut));
  if (board.issues) lines.push(issueLogWords(board.issues));
  if (board.forecasts) lines.push(...forecastLines(board.forecasts));
  return lines;
}

/** The day of an issue log as the board names it: "day 2 (2024-07-30)" after go-live, else the date. */
export function issueDayWords(d: BoardIssues['days'][number]): string {
  return d.afterGoLive === undefined ? d.day : `day ${d.afterGoLive} (${d.day})`;
}

/** The issue log in one line: open per triage category, then each day's count. */
export function issueLogWords(issues: BoardIssues): string {
  const goLive = issues.goLiveDay ? ` (go-live ${issues.goLiveDay})` : '';
  if (issues.logged === 0) return `Command centre issue log: no issue logged yet${goLive}.`;
  return `Command centre issue log${goLive}: ${count(issues.open)} of ${plural(issues.logged, 'issue')} open — ${list(issues.categories.map((c) => `${c.name} ${count(c.open)} open of ${count(c.logged)}`))}; by day: ${issues.days.map((d) => `${issueDayWords(d)} ${count(d.logged)} (${count(d.open)} open)`).join(', ')}.`;
}
