/**
 * Pre-launch: was there a dress rehearsal, with checked data? Judged on three kinds of evidence,
 * each against its gate, and none passed by absence:
 * - extracts: each extract's latest validation report, its share of valid records against
 *   `minValidShare`; an extract never checked fails the gate. A report counts for a dataset by
 *   the dataset (check set) its input names, never by file name, so a rehearsal drop under
 *   another name still counts and two datasets whose files share a name never mix; a report that
 *   names no dataset (the CLI's, or older) counts by name only where no other dataset shares it. Problems the project's waivers
 *   accept count as accepted: a record whose every error is accepted counts as valid (bounded
 *   from the report's counts, never more than it shows), and the evidence says how many; a
 *   record with a repeated key or a missing reference counts as invalid. The counts come from the
 *   run's one verdict (`judgeRun`), so a file fully valid here is one the screen and CLI pass.
 *   The last rehearsal of each check is compared with the run before it (`compareReports`, as
 *   the Migration screen compares them): fixed, new, still failing, worse. A run with a new
 *   problem or one that occurs more often than before got worse: a risk, since the gate judges
 *   the share alone and a regression must be looked at before it is signed off;
 * - sign-off: each sample plan's latest drawn sample, every stratum's verdict, the records still
 *   waiting for a reviewer or an adjudicator, and a go-live approval by a signature that covers
 *   the results as they are (`requireSignoff`; off, a failure is a risk instead of a block);
 * - peak hour: each planned workflow's role utilisation at the peak hour against
 *   `maxPeakUtilisation` (the queueing estimate the analysis computes).
 */
import type { Dataset, Project } from '../../formats/project.ts';
import type { ReadinessGates } from '../../formats/readinessGates.ts';
import type { Report, ReportInput } from '../../formats/report.ts';
import type { Review } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { readProjectWaivers } from '../../formats/waivers.ts';
import { awaitingOnePassText, type OverallVerdict } from '../signoff/sampling/index.ts';
import { approvesGoLive, resultsHash, reviewVerdict } from '../signoff/signing/index.ts';
import { datedAfterReceipt, type ReceivedSummary } from '../teamRecords/index.ts';
import { applyWaivers, compareReports, judgeRun, previousRehearsal } from '../validation/index.ts';
import { notStarted, statusOf } from './status.ts';
import { judgeTeamSample, type TeamSample, teamSampleOf } from './teamSample.ts';
import type { PhaseReadiness, ReadinessReason } from './types.ts';
import { count, day, list, percent, plural } from './words.ts';
import type { WorkflowEvidence } from './workflowEvidence.ts';

interface Judged {
  evidence: string[];
  failures: ReadinessReason[];
  /** what needs attention without failing a gate */
  risks: ReadinessReason[];
  /** false when the project holds none of this kind of evidence */
  present: boolean;
}

const time = (dateTime: string) => Date.parse(dateTime);

/**
 * The input of `report` that checked `dataset`: the one naming the dataset, else, for an input
 * that names none, the one with the dataset's name when no other of `datasets` has that name
 * (`shared`: such an input exists but the name is shared, so it counts for neither).
 */
export function inputOfDataset<I extends Pick<ReportInput, 'name' | 'dataset'> = ReportInput>(
  report: { inputs: readonly I[] },
  dataset: Pick<Dataset, 'id' | 'name'>,
  datasets: readonly Pick<Dataset, 'id' | 'name'>[],
): { input: I } | { shared: true } | undefined {
  const named = report.inputs.find((i) => i.dataset === dataset.id);
  if (named) return { input: named };
  const byName = report.inputs.find((i) => i.dataset === undefined && i.name === dataset.name);
  if (!byName) return undefined;
  return datasets.some((d) => d.id !== dataset.id && d.name === dataset.name)
    ? { shared: true }
    : { input: byName };
}

/** One check of a dataset, counted as Pre-launch counts it (waivers applied, the run's one verdict). */
interface DatasetRun {
  /** when the run was checked, by the clock of the browser that ran it (the date shown) */
  at: string;
  /** when the team server received the run's summary (the time runs are ordered by), when it did */
  receivedAt?: string;
  /** the file's name in that run */
  file: string;
  records: number;
  valid: number;
  accepted: number;
  crossFile: number;
  run: Report;
}

/**
 * Every check of `dataset` among the project's reports that counts its records, in the project's
 * order, with the project's waivers judged on `today` (else on each check's own day); `shared`:
 * a report names a file of the dataset's name that another dataset shares, so it counts for
 * neither. The Pre-launch phase judges the latest; the board shows them all as a trend.
 */
export function datasetRuns(
  project: Project,
  dataset: Pick<Dataset, 'id' | 'name'>,
  today: string | undefined,
): { runs: DatasetRun[]; shared: boolean } {
  const { waivers } = readProjectWaivers(project.meta.settings);
  const runs: DatasetRun[] = [];
  let shared = false;
  for (const stored of project.reports) {
    const found = inputOfDataset(stored, dataset, project.datasets);
    if (!found) continue;
    if ('shared' in found) {
      shared = true;
      continue;
    }
    // the project's waivers, judged on the given day (else on the day of the check)
    const report =
      waivers.length > 0 ? applyWaivers(stored, waivers, today ?? stored.generatedAt.slice(0, 10)) : stored;
    // the run's one verdict: a file passes here exactly when it passes on screen and in the CLI
    const verdict = judgeRun(report).inputs.find((v) => v.name === found.input.name);
    // a report that does not count this input's records says nothing of its share
    const counted = found.input.valid !== undefined || report.inputs.length === 1;
    // the share counts records as the report does; findings across files (repeated keys,
    // missing references, conflicting details) fail the run on their own and are said apart
    if (verdict && counted)
      runs.push({
        at: report.generatedAt,
        file: found.input.name,
        records: verdict.records,
        valid: verdict.records - Math.min(verdict.records, verdict.invalid),
        accepted: verdict.accepted,
        crossFile: verdict.crossFile,
        run: stored,
      });
  }
  return { runs, shared };
}

/**
 * Every check of `dataset` among a shared project's report summaries (the team server's record of
 * each run: counts and SHA-256s) that counts its records, as {@link datasetRuns} counts a whole
 * report, but for the waivers: a summary's counts are the run's own verdict, with the problems its
 * waivers accepted then set aside, since the summary holds no problem a waiver could be judged on
 * again. Summaries shared before they carried a file's counts count only when the run had one file.
 */
export function summaryRuns(
  summaries: readonly ReceivedSummary[],
  dataset: Pick<Dataset, 'id' | 'name'>,
  datasets: readonly Pick<Dataset, 'id' | 'name'>[],
): { runs: SummaryRun[]; shared: boolean } {
  const runs: SummaryRun[] = [];
  let shared = false;
  for (const summary of summaries) {
    const found = inputOfDataset(summary, dataset, datasets);
    if (!found) continue;
    if ('shared' in found) {
      shared = true;
      continue;
    }
    const { input } = found;
    const invalid = input.invalid ?? (summary.inputs.length === 1 ? summary.summary.invalid : undefined);
    if (invalid === undefined) continue;
    runs.push({
      at: summary.generatedAt,
      ...(summary.receivedAt === undefined ? {} : { receivedAt: summary.receivedAt }),
      file: input.name,
      records: input.records,
      valid: input.records - Math.min(input.records, invalid),
      accepted: input.accepted ?? 0,
      crossFile: input.acrossFiles ?? 0,
      summary,
    });
  }
  return { runs, shared };
}

/** One check of a dataset as a shared report summary counts it (see {@link summaryRuns}). */
type SummaryRun = Omit<DatasetRun, 'run'> & { summary: ReceivedSummary };

/**
 * The checks of `dataset` the readiness counts: on a shared project (`summaries` given), every
 * member's runs as the team server holds their summaries ({@link summaryRuns}); otherwise the
 * project's own reports ({@link datasetRuns}). The one choice Pre-launch judges the latest check
 * by and the board draws every check by, so the two never read different runs.
 */
export function extractRuns(
  project: Project,
  dataset: Pick<Dataset, 'id' | 'name'>,
  today: string | undefined,
  summaries: readonly ReceivedSummary[] | undefined,
): { runs: (DatasetRun | SummaryRun)[]; shared: boolean } {
  return summaries === undefined
    ? datasetRuns(project, dataset, today)
    : summaryRuns(summaries, dataset, project.datasets);
}

/**
 * When `run` counts as checked, for which run is the latest: when the team server received it
 * (a sharer's clock set ahead must not keep its run the latest for good), else its own time.
 */
export const runOrderedAt = (run: Pick<DatasetRun, 'at' | 'receivedAt'>): number =>
  time(run.receivedAt ?? run.at);

/** The run of `runs` checked last (the first of those checked at the same time), or null. */
export function latestRun<R extends Pick<DatasetRun, 'at' | 'receivedAt'>>(runs: readonly R[]): R | null {
  let latest: R | null = null;
  for (const r of runs) if (latest === null || runOrderedAt(r) > runOrderedAt(latest)) latest = r;
  return latest;
}

function extracts(
  project: Project,
  gates: ReadinessGates,
  today: string | undefined,
  summaries: readonly ReceivedSummary[] | undefined,
): Judged {
  const judged: Judged = { evidence: [], failures: [], risks: [], present: project.datasets.length > 0 };
  // the run each extract was last judged on, once each, in the order first met
  const lastRuns: Report[] = [];
  const gate = `the gate is ${percent(gates.minValidShare)}`;
  if (summaries !== undefined && project.datasets.length > 0)
    judged.evidence.push(
      `Extracts judged on the ${plural(summaries.length, 'validation summary', 'validation summaries')} shared with the team server (counts and SHA-256s of each run, problems accepted as the run judged them).`,
    );
  for (const dataset of project.datasets) {
    const { runs, shared } = extractRuns(project, dataset, today, summaries);
    const latest = latestRun<DatasetRun | SummaryRun>(runs);
    if (latest === null) {
      judged.evidence.push(
        shared
          ? `${dataset.name}: not checked yet as this dataset (a report names a file called ${dataset.name}, but another dataset has that name too).`
          : `${dataset.name}: not checked yet.`,
      );
      judged.failures.push({
        blocks: true,
        text: `${dataset.name} has not been checked: run the check on the Migration screen (${gate} valid).`,
        act: 'migration',
        gate: 'minValidShare',
      });
      continue;
    }
    if ('run' in latest && !lastRuns.includes(latest.run)) lastRuns.push(latest.run);
    const share = latest.records === 0 ? 1 : latest.valid / latest.records;
    const under = share < gates.minValidShare;
    const shown = percent(share, under ? 'down' : 'nearest');
    const accepted =
      latest.accepted > 0
        ? ` ${plural(latest.accepted, 'problem')} accepted by waivers ${latest.accepted === 1 ? 'counts' : 'count'} as accepted, not as failing.`
        : '';
    // a summary dated ahead of its arrival: its date is shown as the sharer gave it, and said to be wrong
    const dated =
      latest.receivedAt !== undefined && datedAfterReceipt(latest.at, latest.receivedAt)
        ? ` Its summary is dated after it was received (received ${day(latest.receivedAt)}): the clock of the computer that ran it may be wrong, so it counts from when it was received.`
        : '';
    judged.evidence.push(
      `${dataset.name}: ${shown} valid (${count(latest.valid)} of ${count(latest.records)} records), checked ${day(latest.at)}${latest.file === dataset.name ? '' : ` as ${latest.file}`}.${accepted}${dated}`,
    );
    if (under)
      judged.failures.push({
        blocks: true,
        text: `${dataset.name}: only ${shown} of records are valid (${count(latest.records - latest.valid)} invalid); ${gate}. Fix the extract or the mapping and check it again on the Migration screen.`,
        act: 'migration',
        gate: 'minValidShare',
      });
    if (latest.crossFile > 0)
      judged.failures.push({
        blocks: true,
        text: `${dataset.name}: ${plural(latest.crossFile, 'finding')} across files (repeated keys, references to records that are missing, or conflicting details) fail the check whatever the share of valid records. Fix the extract and check it again on the Migration screen.`,
        act: 'migration',
        gate: 'minValidShare',
      });
  }
  for (const run of lastRuns) rehearsal(judged, run, project.reports, project.datasets);
  return judged;
}

/**
 * The last rehearsal `run` compared with the run before it among `reports`, into `judged`. A run
 * that checked another dataset of the project (`datasets`) is never the one before: two datasets
 * whose files share a name are not compared with each other. A run of a dataset since removed
 * still is, as the Migration screen compares a new drop with the one it replaced.
 */
function rehearsal(
  judged: Judged,
  run: Report,
  reports: readonly Report[],
  datasets: readonly Pick<Dataset, 'id'>[],
): void {
  const own = new Set(run.inputs.map((i) => i.dataset));
  const others = new Set(datasets.map((d) => d.id).filter((id) => !own.has(id)));
  const previous = previousRehearsal(
    reports.filter((r) => r.inputs.every((i) => i.dataset === undefined || !others.has(i.dataset))),
    run,
  );
  if (!previous) return;
  const { counts } = compareReports(previous, run);
  const files = list(run.inputs.map((i) => i.name));
  judged.evidence.push(
    `Last rehearsal of ${files}, checked ${day(run.generatedAt)}, against the run of ${day(previous.generatedAt)}: ${count(counts.fixed)} fixed, ${count(counts.new)} new, ${count(counts.stillFailing)} still failing, ${count(counts.worse)} worse.`,
  );
  if (counts.new === 0 && counts.worse === 0) return;
  const changes = [
    ...(counts.new > 0 ? [plural(counts.new, 'new problem')] : []),
    ...(counts.worse > 0 ? [`${plural(counts.worse, 'problem')} more frequent`] : []),
  ];
  judged.risks.push({
    blocks: false,
    text: `${files}: the last rehearsal (checked ${day(run.generatedAt)}) got worse than the run of ${day(previous.generatedAt)}: ${list(changes)}. See what changed in its comparison on the Migration screen.`,
    act: 'migration',
  });
}

/** The sample of `plan` drawn last, or null when none was drawn. */
export function latestReview(plan: SamplePlan, reviews: readonly Review[]): Review | null {
  let latest: Review | null = null;
  for (const r of reviews)
    if (r.plan.id === plan.id && (latest === null || time(r.sample.drawnAt) > time(latest.sample.drawnAt)))
      latest = r;
  return latest;
}

/** The verdict of `review` under `plan`, or null when it cannot be computed. */
export function verdictOf(review: Review, plan: SamplePlan): OverallVerdict | null {
  try {
    return reviewVerdict(review, plan);
  } catch {
    return null;
  }
}

function signoff(project: Project, teamSamples: readonly TeamSample[]): Judged {
  const judged: Judged = { evidence: [], failures: [], risks: [], present: project.samplePlans.length > 0 };
  const reviews = project.reviews ?? [];
  for (const plan of project.samplePlans) {
    const fail = (text: string) =>
      judged.failures.push({ blocks: true, text, act: 'signoff', gate: 'requireSignoff' });
    // a shared project's sample is the team server's: its result, not this browser's copy
    const onServer = teamSampleOf(plan, teamSamples);
    if (onServer) {
      const local = reviews.find((r) => r.id === onServer.result.reviewId);
      const { evidence, failures } = judgeTeamSample(plan, onServer, local);
      judged.evidence.push(evidence);
      for (const text of failures) fail(text);
      continue;
    }
    const review = latestReview(plan, reviews);
    if (!review) {
      judged.evidence.push(`Sample plan “${plan.name}”: no sample drawn.`);
      fail(
        `Sample plan “${plan.name}”: no sample drawn, so no clinician has reviewed migrated records. Draw it on the Sign-off screen.`,
      );
      continue;
    }
    const verdict = verdictOf(review, plan);
    const drawn = review.sample.strata.reduce((n, s) => n + s.records.length, 0);
    if (!verdict) {
      judged.evidence.push(
        `Sample plan “${plan.name}”: sample drawn ${day(review.sample.drawnAt)}; its verdict cannot be computed.`,
      );
      fail(
        `Sample plan “${plan.name}”: the verdict cannot be computed from its sample; open it on the Sign-off screen.`,
      );
      continue;
    }
    const passed = verdict.strata.filter((s) => s.pass).length;
    judged.evidence.push(
      `Sample plan “${plan.name}”: drawn ${day(review.sample.drawnAt)}, ${count(verdict.reviewed)} of ${count(drawn)} records reviewed${verdict.awaitingAdjudication > 0 ? ` (${count(verdict.awaitingAdjudication)} not yet adjudicated, counted at worst: ${plural(verdict.awaitingErrors, 'error')})` : ''}${verdict.awaitingFirstReview + verdict.awaitingSecondReview > 0 ? ` (${awaitingOnePassText(verdict)}, not counted)` : ''}, ${passed} of ${plural(verdict.strata.length, 'stratum', 'strata')} passed.`,
    );
    const undecided = review.sample.strata.filter((s) => {
      const v = verdict.strata.find((x) => x.stratumId === s.id);
      return (v?.reviewed ?? 0) < s.records.length;
    });
    if (undecided.length > 0)
      fail(
        `Sample plan “${plan.name}”: ${plural(undecided.length, 'stratum', 'strata')} not fully reviewed (${list(undecided.map((s) => s.id))}).`,
      );
    const oneReviewer = verdict.awaitingFirstReview + verdict.awaitingSecondReview;
    if (oneReviewer > 0)
      fail(
        `Sample plan “${plan.name}”: ${awaitingOnePassText(verdict)}, not counted as reviewed until both have decided ${oneReviewer === 1 ? 'it' : 'them'}.`,
      );
    if (verdict.awaitingAdjudication > 0)
      fail(
        `Sample plan “${plan.name}”: ${plural(verdict.awaitingAdjudication, 'record')} waiting for an adjudicator, counted at ${verdict.awaitingAdjudication === 1 ? 'its' : 'their'} worst in the verdict until decided.`,
      );
    const failing = verdict.strata.filter((s) => !s.pass).map((s) => s.stratumId);
    if (failing.length > 0)
      fail(
        `Sample plan “${plan.name}”: ${failing.length === 1 ? 'stratum' : 'strata'} ${list(failing)} ${failing.length === 1 ? 'fails' : 'fail'} the clinicians' review.`,
      );
    const now = resultsHash(review);
    const signatures = review.signatures ?? [];
    const latest = signatures[signatures.length - 1];
    // a signature approves only the results it was made on (its results hash is theirs)
    const approved = signatures.some((s) => s.resultsSha256 === now && approvesGoLive(s, review, plan));
    if (latest) {
      const covers = latest.resultsSha256 === now;
      const meaning = approvesGoLive(latest, review, plan)
        ? 'approves go-live'
        : 'records the review, no go-live approval';
      judged.evidence.push(
        `Latest signature by ${latest.signer.name} (${latest.signer.role}), ${day(latest.signedAt)}: ${meaning}${covers ? '' : '; decisions were recorded after it, which it does not cover'}.`,
      );
    }
    if (!approved && failing.length === 0 && undecided.length === 0 && verdict.awaitingAdjudication === 0)
      fail(
        latest && latest.resultsSha256 !== now
          ? `Sample plan “${plan.name}”: decisions were recorded after the latest signature, so no signature approves go-live on the results as they are. Sign again on the Sign-off screen.`
          : `Sample plan “${plan.name}”: no signature approves go-live on the results as they are. Sign it on the Sign-off screen.`,
      );
  }
  return judged;
}

function peakHour(workflows: WorkflowEvidence, gates: ReadinessGates): Judged {
  const judged: Judged = { evidence: [], failures: [], risks: [], present: workflows.planned.length > 0 };
  const gate = `the gate is ${percent(gates.maxPeakUtilisation)}`;
  for (const p of workflows.planned) {
    const name = p.workflow.name;
    if (!p.analysis.metrics.ok) {
      judged.failures.push({
        blocks: true,
        text: `“${name}”: the peak hour cannot be computed (${p.analysis.metrics.problem.message})`,
        act: 'workflows',
        gate: 'maxPeakUtilisation',
      });
      continue;
    }
    const lanes = p.analysis.metrics.metrics.lanes.filter((l) => l.queued && l.utilisation !== null);
    const busiest = lanes.reduce<(typeof lanes)[number] | null>(
      (top, l) => (top === null || (l.utilisation ?? 0) > (top.utilisation ?? 0) ? l : top),
      null,
    );
    judged.evidence.push(
      busiest
        ? `“${name}” at ${p.workflow.arrivalsPerHour} cases an hour: busiest role ${busiest.name} at ${percent(busiest.utilisation ?? 0)}.`
        : `“${name}”: no staffed role to queue.`,
    );
    const over = lanes.filter((l) => (l.utilisation ?? 0) > gates.maxPeakUtilisation);
    if (over.length > 0)
      judged.failures.push({
        blocks: true,
        text: `“${name}” in the peak hour: ${list(over.map((l) => `${l.name} ${percent(l.utilisation ?? 0, 'up')} busy`))}; ${gate}. Add staff or move work on the Workflows screen.`,
        act: 'workflows',
        gate: 'maxPeakUtilisation',
      });
  }
  return judged;
}

export function preLaunchPhase(
  project: Project,
  workflows: WorkflowEvidence,
  gates: ReadinessGates,
  today?: string,
  /** the team server's samples of a shared project (see teamSample.ts) */
  teamSamples: readonly TeamSample[] = [],
  /**
   * a shared project's validation summaries on the team server: the extracts are judged on them
   * instead of the project's reports (see {@link summaryRuns})
   */
  reportSummaries?: readonly ReceivedSummary[],
): PhaseReadiness {
  const base = { id: 'pre-launch', name: 'Pre-launch', act: 'migration' } as const;
  const parts = {
    extracts: extracts(project, gates, today, reportSummaries),
    signoff: signoff(project, teamSamples),
    peak: peakHour(workflows, gates),
  };
  const evidence = [...parts.extracts.evidence, ...parts.signoff.evidence, ...parts.peak.evidence];
  if (!parts.extracts.present && !parts.signoff.present && !parts.peak.present) {
    return notStarted(
      base,
      'No extract, sample plan or planned workflow is in the project.',
      'Not started: no extract checked, no clinician sign-off and no peak-hour estimate. Start on the Migration screen.',
    );
  }
  const blocking: ReadinessReason[] = [];
  const risks: ReadinessReason[] = [];
  if (!parts.extracts.present)
    blocking.push({
      blocks: true,
      text: 'No extract is in the project: add the legacy extracts and check them on the Migration screen.',
      act: 'migration',
      gate: 'minValidShare',
    });
  blocking.push(...parts.extracts.failures);
  risks.push(...parts.extracts.risks);
  if (!parts.signoff.present) {
    const text =
      'No sample plan is in the project: no clinician has signed off migrated records. Plan one on the Sign-off screen.';
    if (gates.requireSignoff) blocking.push({ blocks: true, text, act: 'signoff', gate: 'requireSignoff' });
    else risks.push({ blocks: false, text, act: 'signoff' });
  }
  if (gates.requireSignoff) blocking.push(...parts.signoff.failures);
  else
    risks.push(...parts.signoff.failures.map(({ gate: _gate, ...reason }) => ({ ...reason, blocks: false })));
  if (!parts.peak.present)
    blocking.push({
      blocks: true,
      text: 'No planned workflow is in the project, so the peak hour cannot be estimated.',
      act: 'workflows',
      gate: 'maxPeakUtilisation',
    });
  blocking.push(...parts.peak.failures);
  const reasons = [...blocking, ...risks];
  return { ...base, status: statusOf(reasons), evidence, reasons };
}
