/**
 * Rehearsals on the Migration screen: every finished check of extracts is kept in the project
 * (its report: counts and a few examples, never the rows), and the latest run of each check is
 * compared with the run before it — each problem fixed, new, still failing or worse — with a small
 * chart of the errors of every run. A check is the same files by their contracts (see
 * `rehearsalKey`), so a new drop under another file name continues the series.
 */
import { useEffect, useState } from 'react';
import {
  compareReports,
  comparisonMessage,
  rehearsalKey,
  rehearsalsOf,
  runErrors,
} from '../../core/validation/index.ts';
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

function when(report: Report): string {
  return new Date(report.generatedAt).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** The files of a run, for a heading: "patients.csv, encounters.csv". */
function filesOf(report: Report): string {
  return report.inputs.map((i) => i.name).join(', ');
}

/**
 * The check a run belongs to, in words: its files with their contracts ("patients.csv against
 * urn:clinic:patients"), so two checks of files with the same names stay apart.
 */
function checkOf(report: Report): string {
  const contracts = [...new Set(report.inputs.flatMap((i) => (i.schema ? [i.schema] : [])))];
  return `${filesOf(report)} ${contracts.length > 0 ? `against ${contracts.join(', ')}` : 'without a contract'}`;
}

/** The checks of the project (runs grouped by rehearsal key), the most recently run first. */
function checksOf(reports: readonly Report[]): Report[][] {
  const groups = new Map<string, Report[]>();
  for (const report of reports) {
    const key = rehearsalKey(report);
    groups.set(key, [...(groups.get(key) ?? []), report]);
  }
  return [...groups.values()]
    .map((runs) => {
      const latest = runs.reduce((a, b) => (Date.parse(b.generatedAt) > Date.parse(a.generatedAt) ? b : a));
      return rehearsalsOf(runs, latest);
    })
    .sort((a, b) => Date.parse(b.at(-1)?.generatedAt ?? '') - Date.parse(a.at(-1)?.generatedAt ?? ''));
}

/** Each check's rehearsals: the latest compared with the one before, and the trend of errors. */
export function Rehearsals({ project }: { project: Project }) {
  const checks = checksOf(project.reports);
  if (checks.length === 0) return null;
  return (
    <section aria-labelledby="rehearsals-title" className="card rehearsals">
      <h3 id="rehearsals-title">Rehearsals</h3>
      <p>
        Every check of extracts is kept here. Each new run of the same files (by their column contracts,
        whatever the files are called) is compared with the run before it.
      </p>
      {checks.map((runs) => (
        <CheckRehearsals key={rehearsalKey(runs[0] as Report)} runs={runs} />
      ))}
    </section>
  );
}

function CheckRehearsals({ runs }: { runs: Report[] }) {
  const latest = runs.at(-1) as Report;
  const previous = runs.at(-2);
  const comparison = previous ? compareReports(previous, latest) : undefined;
  const label = `Rehearsals of ${checkOf(latest)}`;
  return (
    <section aria-label={label} className="rehearsal-check">
      <h4>
        {checkOf(latest)} — {plural(runs.length, 'run')}
      </h4>
      <TrendChart runs={runs} />
      {!comparison || !previous ? (
        <p>One run so far ({when(latest)}): the next run of these files is compared with it.</p>
      ) : (
        <>
          <p>
            Latest run, {when(latest)}, compared with the run of {when(previous)} (
            {plural(runErrors(previous), 'error')} then, {formatCount(runErrors(latest))} now):
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
            <TableScroll label={`Changes in ${filesOf(latest)}, scrollable`}>
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
                        {comparisonMessage(e, [latest, previous])}
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
      )}
    </section>
  );
}

const CHART_HEIGHT = 60;
const BAR = 18;
const GAP = 6;
/** The last runs drawn: a chart of many more would be too narrow to read. */
const RUNS_DRAWN = 12;

/** Errors per run as bars, oldest on the left; the same numbers follow in text. */
function TrendChart({ runs }: { runs: Report[] }) {
  const shown = runs.slice(-RUNS_DRAWN);
  const errors = shown.map(runErrors);
  const max = Math.max(1, ...errors);
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
          const height = n === 0 ? 0 : Math.max(2, ((CHART_HEIGHT - 4) * n) / max);
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
        <span data-testid="trend-errors">{errors.map(formatCount).join(', ')}</span>
      </figcaption>
    </figure>
  );
}
