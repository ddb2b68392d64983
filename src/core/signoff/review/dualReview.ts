/**
 * Dual review and adjudication (docs/product.md#sign-off): optional per plan; "cannot assess" counts as an
 * error until adjudicated.
 *
 * Rules (enforced on every decision by {@link checkStagedDecision}, which `addDecision` calls, so
 * the project reducer, storage and review packets all refuse the same things):
 * - Under dual review (`review.dualReview`) a `first` and a `second` reviewer decide each record
 *   independently: they must be different people (staff ids), and each sees only their own
 *   decisions on a record until both have decided it. Then independent review of that record is
 *   closed (further `first`/`second` decisions on it are refused), so neither can change their
 *   decision after seeing the other's.
 * - A record needs adjudication when both decided it and they disagree (outcome, or the set of
 *   defect classes found), or either marked it "cannot assess"; without dual review, when its
 *   reviewer marked it "cannot assess". An adjudicator — neither of the record's reviewers —
 *   decides it once; that decision is final (any later decision on the record is refused).
 * - The verdict counts each record's final decision: the adjudication; else, under dual review,
 *   the agreed decision of both reviewers (a record only one has decided is not yet reviewed: it
 *   is in no figure of the verdict, which says how many records wait for which pass, and a go-live
 *   approval waits for them; docs/decisions/0075-one-pass-is-not-a-review.md);
 *   else the reviewer's latest decision. A record awaiting adjudication counts as reviewed at its
 *   worst plausible outcome, rate by rate (docs/decisions/0053-open-disagreements-count-at-worst.md):
 *   at the worse of its decisions (critical > major > cannot assess > none), critical when either
 *   pass found a critical defect, and an error at the minor rate when either pass found a minor
 *   defect or could not assess it. An open disagreement must not help a stratum pass; the counts
 *   say how many of the errors are such records (`awaitingErrors`, `awaitingCritical`,
 *   `awaitingMinorErrors`), so every screen can say they are counted at worst until adjudicated.
 *
 * Pure: no clock, no ids, no DOM.
 */
import {
  DECISION_STAGES,
  type Decision,
  type DecisionStage,
  type DefectClass,
  type Review,
} from '../../../formats/review.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';
import type { StratumTally } from '../sampling/verdict.ts';

/** A decision's stage; absent means `first` (decisions written before dual review). */
export function stageOf(decision: Pick<Decision, 'stage'>): DecisionStage {
  return decision.stage ?? 'first';
}

/** The key of a record within a review (as review.ts's `recordId`). */
function keyOf(stratum: string, key: string): string {
  return `${stratum}\u001f${key}`;
}

/** Where a record stands. */
export type RecordState =
  /** no decision yet (or, under dual review, one of the two) */
  | 'open'
  /** final: an adjudication, the agreed decision of both reviewers, or a single reviewer's decision */
  | 'final'
  /** the reviewers disagree, or it was marked cannot assess: waits for an adjudicator */
  | 'awaiting-adjudication';

/** One record's decisions by stage (the latest of each) and its state. */
export interface RecordStatus {
  stratum: string;
  recordKey: string;
  first?: Decision;
  second?: Decision;
  adjudication?: Decision;
  state: RecordState;
  /** the decision the verdict counts (absent while open or awaiting adjudication) */
  final?: Decision;
}

/** The set of defect classes a decision found. */
function classesOf(decision: Decision): DefectClass[] {
  return [...new Set(decision.findings.map((f) => f.defectClass))].sort();
}

/** Whether two reviewers' decisions on a record disagree: outcome, or the defect classes found. */
function decisionsDisagree(a: Decision, b: Decision): boolean {
  return a.outcome !== b.outcome || classesOf(a).join() !== classesOf(b).join();
}

function statusOf(
  dual: boolean,
  stratum: string,
  recordKey: string,
  byStage: Partial<Record<DecisionStage, Decision>>,
): RecordStatus {
  const status: RecordStatus = { stratum, recordKey, state: 'open', ...byStage };
  const { first, second, adjudication } = byStage;
  if (adjudication) return { ...status, state: 'final', final: adjudication };
  if (!dual) {
    if (!first) return status;
    if (first.outcome === 'cannot-assess') return { ...status, state: 'awaiting-adjudication' };
    return { ...status, state: 'final', final: first };
  }
  if (!first || !second) return status;
  if (decisionsDisagree(first, second) || first.outcome === 'cannot-assess')
    return { ...status, state: 'awaiting-adjudication' };
  return { ...status, state: 'final', final: first };
}

/** Every drawn record's status, in sample order (strata, then rank). */
export function recordStatuses(review: Review): RecordStatus[] {
  const latest = new Map<string, Partial<Record<DecisionStage, Decision>>>();
  for (const d of review.decisions) {
    const id = keyOf(d.stratum, d.recordKey);
    const stages = latest.get(id) ?? {};
    stages[stageOf(d)] = d;
    latest.set(id, stages);
  }
  const dual = review.dualReview === true;
  return review.sample.strata.flatMap((s) =>
    s.records.map((r) => statusOf(dual, s.id, r.key, latest.get(keyOf(s.id, r.key)) ?? {})),
  );
}

/** The records waiting for an adjudicator, in sample order. */
export function adjudicationQueue(review: Review): RecordStatus[] {
  return recordStatuses(review).filter((s) => s.state === 'awaiting-adjudication');
}

/**
 * What one reviewer (by stage) is shown as decided: their own latest decision on each record, never
 * the other reviewer's (the two decisions of a record are shown side by side only in the
 * adjudication queue, once both decided it). Keyed by record (`stratum ␟ key`).
 */
export function visibleDecisions(review: Review, stage: 'first' | 'second'): Map<string, Decision> {
  const out = new Map<string, Decision>();
  for (const s of recordStatuses(review)) {
    const own = s[stage];
    if (own) out.set(keyOf(s.stratum, s.recordKey), own);
  }
  return out;
}

/** Why a decision is refused (the message names ids and stages, never record content). */
export class StageError extends Error {
  override name = 'StageError';
}

/**
 * Checks a new decision against the dual-review rules of the file header.
 *
 * @throws {StageError} when the rules refuse it.
 */
export function checkStagedDecision(review: Review, decision: Decision): void {
  const stage = stageOf(decision);
  const dual = review.dualReview === true;
  if (stage === 'second' && !dual)
    throw new StageError(
      `decision ${decision.id} is a second review, but review ${review.id} is not a dual review`,
    );
  const status = recordStatuses(review).find(
    (s) => s.stratum === decision.stratum && s.recordKey === decision.recordKey,
  );
  if (!status) return; // addDecision refuses records outside the sample
  if (status.adjudication)
    throw new StageError(`the record of decision ${decision.id} was adjudicated: that decision is final`);
  const reviewerId = decision.reviewer.id;
  if (stage === 'adjudication') {
    if (status.state !== 'awaiting-adjudication')
      throw new StageError(`the record of decision ${decision.id} is not waiting for adjudication`);
    if (status.first?.reviewer.id === reviewerId || status.second?.reviewer.id === reviewerId)
      throw new StageError(
        `decision ${decision.id}: an adjudicator must not be one of the record's reviewers`,
      );
    if (decision.outcome === 'cannot-assess')
      throw new StageError(`decision ${decision.id}: an adjudication accepts or rejects the record`);
    return;
  }
  if (!dual) return;
  if (status.first && status.second)
    throw new StageError(
      `decision ${decision.id}: both reviewers decided this record, so independent review of it is closed`,
    );
  const other = stage === 'first' ? status.second : status.first;
  if (other?.reviewer.id === reviewerId)
    throw new StageError(
      `decision ${decision.id}: the first and the second reviewer must be different people`,
    );
}

type Severity = 'critical' | 'major' | 'cannot-assess' | 'none';
const SEVERITY_RANK: Record<Severity, number> = { critical: 3, major: 2, 'cannot-assess': 1, none: 0 };

/**
 * How a decision counts: its worst defect and whether it found a minor one. Critical when any
 * finding is critical; else major when rejected or a finding is major (a rejection with no or only
 * minor findings is a major defect: the reviewer said the record is wrong); else cannot assess;
 * minor when any finding is minor (and the record was assessed).
 */
export function severityOf(d: Decision): { severity: Severity; minor: boolean } {
  const classes = new Set(d.findings.map((f) => f.defectClass));
  const severity: Severity = classes.has('critical')
    ? 'critical'
    : d.outcome === 'reject' || classes.has('major')
      ? 'major'
      : d.outcome === 'cannot-assess'
        ? 'cannot-assess'
        : 'none';
  return { severity, minor: classes.has('minor') && d.outcome !== 'cannot-assess' };
}

/** The verdict's tally of one stratum, from final decisions; records awaiting adjudication counted at their worst. */
export interface AdjudicatedTally extends StratumTally {
  /** reviewed records still waiting for an adjudicator (counted at the worse of their decisions) */
  awaitingAdjudication: number;
  /** of those, the records counted as errors at the major rate (critical, major or cannot assess at worst) */
  awaitingErrors: number;
  /** of those, the records counted critical because either pass found a critical defect */
  awaitingCritical: number;
  /** records counted as errors at the minor rate: a minor defect or cannot assess, at worst while awaiting */
  minorErrors: number;
  /** of `minorErrors`, the records awaiting adjudication */
  awaitingMinorErrors: number;
  /**
   * dual review: records only the second reviewer has decided, waiting for the first pass; not
   * reviewed, so in no figure above
   */
  awaitingFirstReview: number;
  /** dual review: records only the first reviewer has decided, waiting for the second pass; not reviewed */
  awaitingSecondReview: number;
}

/**
 * Every count of a stratum's (or the whole review's) records that any screen or export shows: the
 * verdict's tally plus where the records stand and their final outcomes. One record is in exactly
 * one of `final`, `awaitingAdjudication`, `partly` and `open`; `reviewed` = final + awaiting.
 */
export interface RecordCounts extends AdjudicatedTally {
  /** records drawn */
  drawn: number;
  /** records with a final decision */
  final: number;
  /** dual review: records one of the two reviewers decided (not yet reviewed) */
  partly: number;
  /** records nobody decided */
  open: number;
  /** final decisions by outcome (a final decision accepts or rejects: cannot assess awaits adjudication) */
  accepted: number;
  rejected: number;
  /** records each stage decided (a reviewer's own progress) */
  byStage: Record<DecisionStage, number>;
}

function emptyCounts(stratumId: string, population: number): RecordCounts {
  return {
    stratumId,
    population,
    reviewed: 0,
    critical: 0,
    major: 0,
    cannotAssess: 0,
    minor: 0,
    awaitingAdjudication: 0,
    awaitingErrors: 0,
    awaitingCritical: 0,
    minorErrors: 0,
    awaitingMinorErrors: 0,
    awaitingFirstReview: 0,
    awaitingSecondReview: 0,
    drawn: 0,
    final: 0,
    partly: 0,
    open: 0,
    accepted: 0,
    rejected: 0,
    byStage: { first: 0, second: 0, adjudication: 0 },
  };
}

function addCounts(into: RecordCounts, status: RecordStatus): void {
  into.drawn++;
  for (const stage of DECISION_STAGES) if (status[stage]) into.byStage[stage]++;
  if (status.state === 'open') {
    if (status.first || status.second) into.partly++;
    else into.open++;
    // a record one reviewer decided is not reviewed: it is counted only as waiting for the other pass
    if (status.first && !status.second) into.awaitingSecondReview++;
    if (status.second && !status.first) into.awaitingFirstReview++;
    return;
  }
  let counted: { severity: Severity; minor: boolean };
  let minorError: boolean;
  const awaiting = !(status.state === 'final' && status.final);
  if (status.state === 'final' && status.final) {
    into.final++;
    const outcome = status.final.outcome;
    if (outcome === 'accept') into.accepted++;
    else if (outcome === 'reject') into.rejected++;
    counted = severityOf(status.final);
    minorError = counted.minor || counted.severity === 'cannot-assess';
  } else {
    into.awaitingAdjudication++;
    const seen = [status.first, status.second].filter((d): d is Decision => d !== undefined).map(severityOf);
    const worst = seen.reduce((a, b) => (SEVERITY_RANK[b.severity] > SEVERITY_RANK[a.severity] ? b : a));
    // `minor` keeps the meaning signed tallies were made with; the minor rate's worst case also
    // counts a pass that could not assess the record (minorError)
    counted = {
      severity: worst.severity,
      minor: worst.severity !== 'cannot-assess' && seen.some((s) => s.minor),
    };
    minorError = seen.some((s) => s.minor || s.severity === 'cannot-assess');
  }
  into.reviewed++;
  if (counted.severity === 'critical') into.critical++;
  else if (counted.severity === 'major') into.major++;
  else if (counted.severity === 'cannot-assess') into.cannotAssess++;
  if (counted.minor) into.minor++;
  if (minorError) into.minorErrors++;
  if (!awaiting) return;
  if (counted.severity !== 'none') into.awaitingErrors++;
  if (counted.severity === 'critical') into.awaitingCritical++;
  if (minorError) into.awaitingMinorErrors++;
}

/**
 * The one place records are counted (see the file header): per stratum in sample order, and the
 * total (`stratumId` ''). The verdict, the progress, the sign panel, the report, the charts and the
 * readiness summary all read their numbers from here, so they cannot disagree.
 */
export function recordCounts(review: Review): { strata: RecordCounts[]; total: RecordCounts } {
  const strata = new Map(review.sample.strata.map((s) => [s.id, emptyCounts(s.id, s.population)]));
  const total = emptyCounts(
    '',
    review.sample.strata.reduce((sum, s) => sum + s.population, 0),
  );
  for (const status of recordStatuses(review)) {
    const stratum = strata.get(status.stratum);
    if (!stratum) continue;
    addCounts(stratum, status);
    addCounts(total, status);
  }
  return { strata: [...strata.values()], total };
}

/** Per-stratum counts for the verdict, from each record's final decision (see the file header). */
export function finalTallies(review: Review): AdjudicatedTally[] {
  return recordCounts(review).strata.map((c) => ({
    stratumId: c.stratumId,
    population: c.population as number,
    reviewed: c.reviewed,
    critical: c.critical,
    major: c.major,
    cannotAssess: c.cannotAssess,
    minor: c.minor,
    awaitingAdjudication: c.awaitingAdjudication,
    awaitingErrors: c.awaitingErrors,
    awaitingCritical: c.awaitingCritical,
    minorErrors: c.minorErrors,
    awaitingMinorErrors: c.awaitingMinorErrors,
    awaitingFirstReview: c.awaitingFirstReview,
    awaitingSecondReview: c.awaitingSecondReview,
  }));
}

/**
 * What an adjudicator is shown: the record's identity and the two decisions (by id and hash) they
 * arbitrate. Its SHA-256 is the adjudication's `shownSha256`.
 */
export function adjudicationShownHash(planHash: string, status: RecordStatus): string {
  const decisions = [status.first, status.second]
    .filter((d): d is Decision => d !== undefined)
    .map((d) => ({ id: d.id, stage: stageOf(d), sha256: canonicalSha256Hex(d) }));
  return canonicalSha256Hex({
    planHash,
    stratum: status.stratum,
    recordKey: status.recordKey,
    decisions,
  });
}
