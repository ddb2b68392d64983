/**
 * Rehearsals on the Migration screen: every finished check of extracts is kept in the project
 * (its report: counts and a few examples, never the rows), and the latest run of each check is
 * compared with the run before it — each problem fixed, new, still failing or worse, per file —
 * with a small chart of the errors of every run. A check is the same files by their contracts (see
 * `rehearsalKey`), so a new drop under another file name continues the series.
 *
 * On a project shared with a team server the history is the team's (`rehearsalHistory`): every
 * member's runs from the summaries they shared, each with who ran it, and this browser's runs not
 * shared yet, said so. What a shared summary did not keep is said, never guessed.
 */
import { useEffect, useState } from 'react';
import {
  compareLatest,
  datedAfterReceipt,
  type HistoryRun,
  type RehearsalCheck,
  type RehearsalGap,
  rehearsalHistory,
  type SharedRunSummary,
} from '../../core/teamRecords/index.ts';
import { comparisonMessage, type RehearsalRun } from '../../core/validation/index.ts';
import type { Project } from '../../formats/project.ts';
import type { ComparisonStatus, Report } from '../../formats/report.ts';
import { formatCount, plural } from '../common/format.ts';
import { TableScroll } from '../common/TableScroll.tsx';
import './rehearsals.css';

/** Runs being kept, by report: a run is kept once, however often its result is shown again. */
const keeping = new WeakMap<Report, Promise<void>>();

/**
 * Keeps a finished run's report in the project, once: the promise settles when it is stored
 * (undefined: no run, or no project to keep it in).
 */
export function useKeptRun(
  report: Report | undefined,
  keep: ((report: Report) => Promise<void>) | undefined,
): Promise<void> | undefined {
  const [kept, setKept] = useState<Promise<void> | undefined>(() =>
    report ? keeping.get(report) : undefined,
  );
  useEffect(() => {
    if (!report || !keep) {
      setKept(undefined);
      return;
    }
    let promise = keeping.get(report);
    if (!promise) {
      promise = keep(report);
      keeping.set(report, promise);
    }
    setKept(promise);
  }, [report, keep]);
  return kept;
}

const STATUS_WORDS: Record<ComparisonStatus, string> = {
  new: 'New',
  worse: 'Worse',
  'still-failing': 'Still failing',
  fixed: 'Fixed',
};

function when(run: RehearsalRun): string {
  return dateTime(run.generatedAt);
}

function dateTime(at: string): string {
  return new Date(at).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/**
 * A run's time as its computer dated it, and, when that is after the team server received it, so:
 * runs are ordered by the receipt, and a wrong date is shown for what it is.
 */
function whenShared(run: HistoryRun): string {
  return run.shared && datedAfterReceipt(run.run.generatedAt, run.shared.at)
    ? `${when(run.run)} (dated after it was received, ${dateTime(run.shared.at)}: the clock of the computer that ran it may be wrong)`
    : when(run.run);
}

/** The files of a run, for a heading: "patients.csv, encounters.csv". */
function filesOf(run: RehearsalRun): string {
  return run.inputs.map((i) => i.name).join(', ');
}

/**
 * The check a run belongs to, in words: its files with their contracts ("patients.csv against
 * urn:clinic:patients"), so two checks of files with the same names stay apart.
 */
function checkOf(run: RehearsalRun): string {
  const contracts = [...new Set(run.inputs.flatMap((i) => (i.schema ? [i.schema] : [])))];
  return `${filesOf(run)} ${contracts.length > 0 ? `against ${contracts.join(', ')}` : 'without a contract'}`;
}

/**
 * The team's runs on a shared project, as the screen knows them: being read, read (every member's
 * shared summaries), or not readable (why, in words: signed out, the server unreachable…).
 */
export type TeamRuns =
  | { phase: 'reading' }
  | { phase: 'read'; summaries: readonly SharedRunSummary[] }
  | { phase: 'unread'; reason: string };

/** Who ran a run of a shared project, in words: its sharer, or this browser for one not on the server. */
function runBy(run: HistoryRun): string {
  return run.shared ? run.shared.by : 'you, in this browser (not on the team server)';
}

/** A run named for a sentence: its time, and on a shared project who ran it. */
function runWords(run: HistoryRun, team: boolean): string {
  return team ? `${whenShared(run)} by ${runBy(run)}` : when(run.run);
}

/**
 * Each check's rehearsals: the latest compared with the one before, and the trend of errors.
 * `team`: the team's runs, on a project shared with a team server (absent: this browser's alone).
 */
export function Rehearsals({ project, team }: { project: Project; team?: TeamRuns | undefined }) {
  const summaries = team?.phase === 'read' ? team.summaries : undefined;
  const checks = rehearsalHistory(project.reports, team ? (summaries ?? []) : undefined);
  if (checks.length === 0 && team?.phase !== 'unread') return null;
  return (
    <section aria-labelledby="rehearsals-title" className="card rehearsals">
      <h3 id="rehearsals-title">Rehearsals</h3>
      <p>
        Every check of extracts is kept here. Each new run of the same files (by their column contracts,
        whatever the files are called) is compared with the run before it.
      </p>
      {team && (
        <p data-testid="team-runs">
          {team.phase === 'read'
            ? 'This project is shared with the team server: the runs every member shared are compared here, whoever ran them, so the team sees one history. A run of this browser that is not on the team server (not sent yet, or refused: see the shared records bar) is said so.'
            : team.phase === 'reading'
              ? 'Reading the runs the team shared from the team server…'
              : `The runs the team shared could not be read (${team.reason}): only the runs made in this browser are shown.`}
        </p>
      )}
      {checks.map((check) => (
        // who ran each run is known once the team's runs are read: until then, as this browser's
        <CheckRehearsals key={check.key} check={check} team={team?.phase === 'read'} />
      ))}
    </section>
  );
}

function CheckRehearsals({ check, team }: { check: RehearsalCheck; team: boolean }) {
  const latestComparison = compareLatest(check);
  const { latest, previous } = latestComparison;
  const label = `Rehearsals of ${checkOf(latest.run)}`;
  return (
    <section aria-label={label} className="rehearsal-check">
      <h4>
        {checkOf(latest.run)} — {plural(check.runs.length, 'run')}
      </h4>
      <TrendChart runs={check.runs} />
      {team && <RunList runs={check.runs} />}
      {!previous ? (
        <p>One run so far ({runWords(latest, team)}): the next run of these files is compared with it.</p>
      ) : 'gap' in latestComparison ? (
        <p data-testid="comparison-gap">{gapWords(latestComparison.gap, latest, previous)}</p>
      ) : (
        <Comparison
          latest={latest}
          previous={previous}
          comparison={latestComparison.comparison}
          team={team}
        />
      )}
    </section>
  );
}

/** Why the latest run is not compared with the one before, in words: which summary kept no problems. */
function gapWords(gap: RehearsalGap, latest: HistoryRun, previous: HistoryRun): string {
  const runs = { latest, previous };
  const why = gap.runs.map((which) => {
    const left = gap.leftOut[which];
    const run = `the run of ${runWords(runs[which], true)}`;
    return left === undefined
      ? `${run} was shared before runs kept their problems per file (it is compared once the browser that ran it opens the project again and shares them)`
      : `${run} had ${plural(left, 'problem')}, more than a shared run keeps`;
  });
  return `The latest run is not compared with the one before: ${why.join('; ')}.`;
}

/** The runs of a check on a shared project, oldest first: when, who ran it, its errors. */
function RunList({ runs }: { runs: HistoryRun[] }) {
  return (
    <TableScroll label="Runs of this check, scrollable">
      <table className="wide">
        <caption>Runs of this check</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Run by</th>
            <th scope="col">Errors</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.run.id ?? r.run.generatedAt}>
              <th scope="row">{whenShared(r)}</th>
              <td>{runBy(r)}</td>
              <td>{r.run.errors === undefined ? 'not known' : formatCount(r.run.errors)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function Comparison({
  latest,
  previous,
  comparison,
  team,
}: {
  latest: HistoryRun;
  previous: HistoryRun;
  comparison: NonNullable<Report['comparison']>;
  team: boolean;
}) {
  return (
    <>
      <p>
        Latest run, {runWords(latest, team)}, compared with the run of {runWords(previous, team)} (
        {plural(comparison.previous.errors, 'error')} then, {formatCount(latest.run.errors ?? 0)} now):
      </p>
      <dl className="scorecard comparison-counts" aria-label="Changes since the previous run">
        <div className={comparison.counts.fixed > 0 ? 'score-ok' : ''}>
          <dt>Fixed</dt>
          <dd data-testid="compare-fixed">{formatCount(comparison.counts.fixed)}</dd>
        </div>
        <div className={comparison.counts.new > 0 ? 'score-bad' : ''}>
          <dt>New</dt>
          <dd data-testid="compare-new">{formatCount(comparison.counts.new)}</dd>
        </div>
        <div>
          <dt>Still failing</dt>
          <dd data-testid="compare-still">{formatCount(comparison.counts.stillFailing)}</dd>
        </div>
        <div className={comparison.counts.worse > 0 ? 'score-bad' : ''}>
          <dt>Worse</dt>
          <dd data-testid="compare-worse">{formatCount(comparison.counts.worse)}</dd>
        </div>
      </dl>
      {comparison.entries.length > 0 && (
        <TableScroll label={`Changes in ${filesOf(latest.run)}, scrollable`}>
          <table className="wide">
            <caption>Each problem since the previous run</caption>
            <thead>
              <tr>
                <th scope="col">Problem</th>
                <th scope="col">Change</th>
                <th scope="col">Before</th>
                <th scope="col">Now</th>
              </tr>
            </thead>
            <tbody>
              {comparison.entries.map((e) => (
                <tr
                  key={`${e.input ?? ''}|${e.rule}|${e.location}|${e.status}`}
                  className={`change-${e.status}`}
                >
                  <th scope="row">
                    {e.input !== undefined && <>{e.input} · </>}
                    <strong>{e.location || 'whole row'}</strong>:{' '}
                    {comparisonMessage(e, [latest.report, previous.report])}
                  </th>
                  <td>{STATUS_WORDS[e.status]}</td>
                  <td>{formatCount(e.previous)}</td>
                  <td>{formatCount(e.current)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

const CHART_HEIGHT = 60;
const BAR = 18;
const GAP = 6;
/** The last runs drawn: a chart of many more would be too narrow to read. */
const RUNS_DRAWN = 12;

/** Errors per run as bars, oldest on the left; the same numbers follow in text (a run whose errors are not known, none). */
function TrendChart({ runs }: { runs: HistoryRun[] }) {
  const shown = runs.slice(-RUNS_DRAWN);
  const errors = shown.map((r) => r.run.errors);
  const max = Math.max(1, ...errors.map((n) => n ?? 0));
  const width = shown.length * (BAR + GAP);
  return (
    <figure className="trend">
      <svg
        width={width}
        height={CHART_HEIGHT}
        className="chart"
        aria-hidden="true"
        focusable="false"
        data-testid="trend-chart"
      >
        <line x1={0} x2={width} y1={CHART_HEIGHT - 0.5} y2={CHART_HEIGHT - 0.5} className="trend-axis" />
        {errors.map((n, i) => {
          const height = !n ? 0 : Math.max(2, ((CHART_HEIGHT - 4) * n) / max);
          return (
            <rect
              // runs are in time order and never reordered
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
              key={i}
              x={i * (BAR + GAP)}
              y={CHART_HEIGHT - 1 - height}
              width={BAR}
              height={height}
              className={i === errors.length - 1 ? 'chart-fill' : 'trend-bar'}
            />
          );
        })}
      </svg>
      <figcaption>
        Errors per run, oldest first{shown.length < runs.length ? ` (the last ${shown.length})` : ''}:{' '}
        <span data-testid="trend-errors">
          {errors.map((n) => (n === undefined ? 'not known' : formatCount(n))).join(', ')}
        </span>
      </figcaption>
    </figure>
  );
}
