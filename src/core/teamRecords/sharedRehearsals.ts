/**
 * The rehearsal history of a project shared with a team server: every member's validation runs,
 * as the summaries each browser shared (`report-summary` records: counts, SHA-256s and, since
 * they were added, each problem's rule, place, severity and count per file), merged with the runs
 * this browser holds that are not on the server yet. The runs of one check (see `rehearsalKey`)
 * form one series, whoever ran them, so the data lead's third rehearsal and the next one another
 * member ran are compared, and the trend is the same in every member's browser.
 *
 * Constraints:
 * - A run this browser holds whole is read from its report (the same tallies its summary keeps,
 *   so the comparison is the one every member makes from the summary; the report also gives the
 *   problems' own words). A run known only by its summary is read from what the summary kept.
 * - The comparison stays per file, as `compareRuns` makes it: a summary places each problem in its
 *   file by the input's index, and its inputs keep their dataset, contract and kind for pairing.
 * - What a summary did not keep is said, never guessed: a summary shared before problems were
 *   kept, or with too many to keep, cannot be compared ({@link RehearsalGap}); one that does not
 *   count its errors across records and files has no errors in the trend.
 * - Pure and deterministic: the same records give the same history in every browser (runs in
 *   time, then id order; checks by their latest run, most recent first).
 * - A shared run's time is when the server received its summary, not the date the sharer's
 *   browser wrote in it: a wrong clock, or a summary dated ahead on purpose, would otherwise stay
 *   the check's latest run for good. The sharer's date is still the one shown, and a summary
 *   dated after it was received is flagged ({@link datedAfterReceipt}).
 */
import type { Report, ReportComparison } from '../../formats/report.ts';
import {
  ACROSS_RECORD_RULES,
  type ComparableRun,
  compareRuns,
  isComparable,
  type RehearsalRun,
  type RunProblem,
  rehearsalKey,
  runOfReport,
} from '../validation/index.ts';
import { KIND_RULES, type ReportSummary } from './kinds.ts';
import type { SharedRecord } from './sync.ts';

/** A validation summary as the team server holds it: who shared it, and when the server took it. */
export interface SharedRunSummary {
  summary: ReportSummary;
  /** the name of the member whose browser ran it and shared it */
  by: string;
  /** when the server took the summary (ISO time) */
  at: string;
}

/**
 * A validation summary as the readiness reads it: the sharer's summary with, when it came from the
 * team server, when the server received it (the order runs are judged in; see {@link receivedSummary}).
 */
export type ReceivedSummary = ReportSummary & {
  /** when the team server received the summary (ISO time); absent: not read from a server */
  receivedAt?: string;
};

/**
 * A shared summary with the server's receipt time put on it: always the server's, whatever the
 * sharer's body held under that name.
 */
export function receivedSummary(shared: SharedRunSummary): ReceivedSummary {
  return { ...shared.summary, receivedAt: shared.at };
}

/**
 * Whether a summary's own date (`generatedAt`, the sharer's clock) is after the server received it
 * (`receivedAt`): the sharer's clock was wrong, or the date was set ahead. Never true without a
 * receipt time.
 */
export function datedAfterReceipt(generatedAt: string, receivedAt: string | undefined): boolean {
  return receivedAt !== undefined && Date.parse(generatedAt) > Date.parse(receivedAt);
}

/**
 * The validation summaries among a shared project's records as the server gave them, each with
 * who shared it and when: each summary's last write, those removed left out.
 */
export function sharedRunSummaries(records: readonly SharedRecord[]): SharedRunSummary[] {
  const last = new Map<string, SharedRunSummary | null>();
  for (const r of records)
    if (r.kind === 'report-summary')
      last.set(
        r.id,
        (r.body ?? null) === null ? null : { summary: r.body as ReportSummary, by: r.by, at: r.at },
      );
  return [...last.values()].filter((s): s is SharedRunSummary => s !== null);
}

/** A shared summary the server holds that is not in the form a summary takes, so none of it is read. */
export interface UnreadableSummary {
  /** the record's id on the server */
  id: string;
  /** who shared it, and when the server took it */
  by: string;
  at: string;
  /** the first place in it that is not as a summary's format says (`/inputs/0/records`) */
  where: string;
}

/**
 * The validation summaries among a shared project's records (each one's last write, those removed
 * left out) that are not in the form of a summary, as the server's own check of the kind judges
 * it: a screen that reads the team's summaries says they could not be read rather than reading
 * them in part or guessing.
 */
export function unreadableRunSummaries(records: readonly SharedRecord[]): UnreadableSummary[] {
  const last = new Map<string, SharedRecord>();
  for (const r of records) if (r.kind === 'report-summary') last.set(r.id, r);
  const unreadable: UnreadableSummary[] = [];
  for (const r of last.values()) {
    if ((r.body ?? null) === null) continue;
    const where = KIND_RULES['report-summary'].problem(r.body, r.id);
    if (where !== undefined) unreadable.push({ id: r.id, by: r.by, at: r.at, where });
  }
  return unreadable;
}

/** One run of a check's history. */
export interface HistoryRun {
  run: RehearsalRun;
  /** the whole report, when this browser holds it */
  report?: Report;
  /** who ran it, from the team server; absent: a run in this browser only (not sent yet, or refused) */
  shared?: { by: string; at: string };
  /** the problems its summary did not keep, there being too many (a run known by its summary alone) */
  leftOut?: number;
}

/** The runs of one check, oldest first. */
export interface RehearsalCheck {
  key: string;
  runs: HistoryRun[];
}

/**
 * The rehearsal run a shared summary is: its problems when it kept them (each in its file by the
 * input's index), and its errors as `runErrors` counts a report's — its rows' errors and its
 * problems across records and files (from its problems, else from its inputs' counts when every
 * input has one; else not known).
 */
export function runOfSummary(summary: ReportSummary): RehearsalRun {
  const inputs = summary.inputs.map((input) => ({
    name: input.name,
    ...(input.kind === undefined ? {} : { kind: input.kind }),
    ...(input.schema === undefined ? {} : { schema: input.schema }),
    ...(input.dataset === undefined ? {} : { dataset: input.dataset }),
  }));
  const problems = summary.problems?.map(
    (p): RunProblem => ({
      issue: { rule: p.rule, location: p.location, severity: p.severity },
      count: p.count,
      input: p.file === undefined ? undefined : summary.inputs[p.file]?.name,
    }),
  );
  const across = problems
    ? problems.filter((p) => ACROSS_RECORD_RULES.has(p.issue.rule)).reduce((n, p) => n + p.count, 0)
    : summary.inputs.every((i) => i.acrossFiles !== undefined)
      ? summary.inputs.reduce((n, i) => n + (i.acrossFiles ?? 0), 0)
      : undefined;
  return {
    id: summary.id,
    generatedAt: summary.generatedAt,
    inputs,
    records: summary.summary.records,
    warnings: summary.summary.warnings,
    errors: across === undefined ? undefined : summary.summary.errors + across,
    problems,
  };
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** When a run happened for the history's order: when the server received it, else its own date. */
const orderedAt = (run: HistoryRun | undefined) => Date.parse(run?.shared?.at ?? run?.run.generatedAt ?? '');
const inTime = (a: HistoryRun, b: HistoryRun) =>
  orderedAt(a) - orderedAt(b) || byCodeUnits(a.run.id ?? '', b.run.id ?? '');

/**
 * The checks of a project and their runs: `local`, the reports this browser holds, and `shared`,
 * the summaries the team server holds (absent: a project this browser holds alone). A report whose
 * summary is on the server is one run, said to be shared by whoever shared it; a report not there
 * is a run of this browser only.
 */
export function rehearsalHistory(
  local: readonly Report[],
  shared?: readonly SharedRunSummary[],
): RehearsalCheck[] {
  const onServer = new Map<string, SharedRunSummary>();
  for (const s of shared ?? []) onServer.set(s.summary.id, s);
  const runs: HistoryRun[] = [];
  const held = new Set<string>();
  for (const report of local) {
    const summary = report.id === undefined ? undefined : onServer.get(report.id);
    if (report.id !== undefined) held.add(report.id);
    runs.push({
      run: runOfReport(report),
      report,
      ...(summary === undefined ? {} : { shared: { by: summary.by, at: summary.at } }),
    });
  }
  for (const [id, s] of onServer)
    if (!held.has(id))
      runs.push({
        run: runOfSummary(s.summary),
        shared: { by: s.by, at: s.at },
        ...(s.summary.problemsLeftOut === undefined ? {} : { leftOut: s.summary.problemsLeftOut }),
      });
  const checks = new Map<string, HistoryRun[]>();
  for (const run of runs) {
    const key = rehearsalKey(run.run);
    checks.set(key, [...(checks.get(key) ?? []), run]);
  }
  const latestAt = (c: RehearsalCheck) => orderedAt(c.runs.at(-1));
  return [...checks]
    .map(([key, list]) => ({ key, runs: list.sort(inTime) }))
    .sort((a, b) => latestAt(b) - latestAt(a) || byCodeUnits(a.key, b.key));
}

/** Why two runs of a check are not compared: which of them kept no list of its problems. */
export interface RehearsalGap {
  /** the runs whose summaries kept no problems, `previous` and/or `latest` */
  runs: ('previous' | 'latest')[];
  /** problems a run had when there were too many to keep, by run (absent: shared before they were kept) */
  leftOut: Partial<Record<'previous' | 'latest', number>>;
}

/** The latest run of a check with the one before, compared when both kept their problems. */
type LatestComparison =
  | { latest: HistoryRun; previous?: undefined }
  | { latest: HistoryRun; previous: HistoryRun; comparison: ReportComparison }
  | { latest: HistoryRun; previous: HistoryRun; gap: RehearsalGap };

/**
 * The latest run of `check` compared with the run before it (per file, as `compareRuns` compares);
 * when either is known only by a summary that kept no problems, the gap says which and why.
 */
export function compareLatest(check: RehearsalCheck): LatestComparison {
  const latest = check.runs.at(-1) as HistoryRun;
  const previous = check.runs.at(-2);
  if (previous === undefined) return { latest };
  if (isComparable(previous.run) && isComparable(latest.run))
    return { latest, previous, comparison: compareRuns(previous.run as ComparableRun, latest.run) };
  const gap: RehearsalGap = { runs: [], leftOut: {} };
  for (const [which, run] of [
    ['previous', previous],
    ['latest', latest],
  ] as const) {
    if (isComparable(run.run)) continue;
    gap.runs.push(which);
    if (run.leftOut !== undefined) gap.leftOut[which] = run.leftOut;
  }
  return { latest, previous, gap };
}
