/**
 * The board a go/no-go meeting looks at before it reads the reasons: the five phases in one row
 * (each state by colour, symbol and word, with its counts), each extract's rehearsals as a trend
 * of valid records, each sample plan's verdict with its bound, each planned workflow's capacity,
 * the failing data of the latest checks by what uses it (steps, roles, cases an hour, most first),
 * the command centre's issue log (open issues per triage category, issues logged per day), after
 * go-live each workflow's forecast against what its go-live log showed, and, where given, the path
 * to go (the fewest actions that clear every blocking reason).
 * The board opens the Go/no-go tab; the printed evidence pack prints the same figures as the
 * core's board blocks (`boardBlocks`). It shows the core's `ReadinessBoard` and judges nothing
 * itself. The trend's bars are a picture of the numbers
 * written beside them, so a screen reader reads the numbers and skips the bars.
 */
import {
  type ReadinessBoard as Board,
  type BoardForecast,
  type BoardIssues,
  dataLeftOutWords,
  FORECAST_CAVEAT,
  forecastWords,
  issueDayWords,
  type PathToGoAction,
  percent,
  type QuorumState,
  type ReadinessGates,
  shareWords,
} from '../../core/readiness/index.ts';
import { plural } from '../common/format.ts';
import { PathToGoList } from './PathToGoList.tsx';
import { STATUS_LABELS } from './statusLabels.ts';

/** a share judged against a minimum never reads as its gate when under it (core `percent`) */
const pct = (share: number) => percent(share, 'down');
const pctUp = (share: number) => percent(share, 'up');

/** The failing data the board names; the Migration screen shows every one under its issue. */
const DATA_RISKS_SHOWN = 5;

const TREND = {
  better: { symbol: '↗', text: 'better than the run before' },
  worse: { symbol: '↘', text: 'worse than the run before' },
  same: { symbol: '→', text: 'same as the run before' },
  first: { symbol: '•', text: 'first run' },
  none: { symbol: '○', text: 'not checked yet' },
} as const;

const VERDICT = {
  pass: { symbol: '✓', text: 'Passes', className: 'status-ready' },
  fail: { symbol: '✖', text: 'Fails', className: 'status-blocked' },
  open: { symbol: '▲', text: 'Records wait', className: 'status-at-risk' },
  none: { symbol: '○', text: 'No verdict yet', className: 'status-not-started' },
} as const;

const CAPACITY = {
  within: { symbol: '✓', text: 'Within its gates', className: 'status-ready' },
  over: { symbol: '✖', text: 'Over a gate', className: 'status-blocked' },
  unknown: { symbol: '○', text: 'Not known', className: 'status-not-started' },
} as const;

function Badge({ label }: { label: { symbol: string; text: string; className: string } }) {
  return (
    <span className={`badge ${label.className}`}>
      <span aria-hidden="true">{label.symbol} </span>
      {label.text}
    </span>
  );
}

/** Bars of the runs' valid shares, from the gate's neighbourhood up, with the gate as a line. */
function TrendBars({
  shares,
  gate,
}: {
  shares: readonly { validShare: number; passes: boolean }[];
  gate: number;
}) {
  // the scale starts a little under the lowest of the gate and the runs, so small moves show
  const floor = Math.max(0, Math.min(gate, ...shares.map((s) => s.validShare)) - 0.05);
  const y = (share: number) => 20 - ((share - floor) / (1 - floor || 1)) * 20;
  const width = 8;
  return (
    <svg
      className="board-trend"
      aria-hidden="true"
      focusable="false"
      viewBox={`0 0 ${shares.length * (width + 2)} 20`}
      width={shares.length * (width + 2)}
      height="20"
    >
      {shares.map((s, i) => (
        <rect
          // runs are in time order and never reorder
          // biome-ignore lint/suspicious/noArrayIndexKey: the position is the run's identity here
          key={i}
          className={s.passes ? 'bar-pass' : 'bar-fail'}
          x={i * (width + 2)}
          y={y(s.validShare)}
          width={width}
          height={20 - y(s.validShare)}
        />
      ))}
      <line className="gate-line" x1="0" x2={shares.length * (width + 2)} y1={y(gate)} y2={y(gate)} />
    </svg>
  );
}

/** The command centre's issue log: open per triage category (the first the most urgent), then per day. */
function IssueLog({ issues }: { issues: BoardIssues }) {
  if (issues.logged === 0)
    return (
      <p>
        No issue logged yet{issues.goLiveDay ? ` (go-live ${issues.goLiveDay})` : ''}. Issues are counted here
        from go-live day.
      </p>
    );
  return (
    <>
      <p>
        {issues.open} of {issues.logged} logged still open.
      </p>
      <ul aria-label="Open issues by triage category">
        {issues.categories.map((c) => (
          <li key={c.name}>
            <strong>{c.name}</strong> {c.open} open of {c.logged}
          </li>
        ))}
      </ul>
      <ul aria-label="Issues logged by day after go-live">
        {issues.days.map((d) => (
          <li key={d.day}>
            {issueDayWords(d)}: {d.logged} logged, {d.open} open
          </li>
        ))}
      </ul>
    </>
  );
}

/** Forecast vs what happened: each workflow's figures beside its forecast, then what was not compared. */
function Forecasts({ forecasts }: { forecasts: readonly BoardForecast[] }) {
  return (
    <>
      <p className="board-gate">{FORECAST_CAVEAT}</p>
      {forecasts.map((f) => {
        const words = forecastWords(f);
        return (
          <div key={`${f.workflow}|${f.log}`} className="board-forecast">
            <p>
              <strong>{words.head}</strong>
            </p>
            {words.lines.length > 0 && (
              <ul aria-label={`Forecast vs what happened: ${f.workflow}`}>
                {words.lines.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            )}
            {words.notCompared.length > 0 && (
              <ul aria-label={`Not compared: ${f.workflow}`}>
                {words.notCompared.map((line) => (
                  <li key={line}>Not compared — {line}</li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </>
  );
}

/**
 * The board (see the header); `headingLevel` places it under the page's own heading. With `path`
 * (the core's `pathToGo`), it ends with the fewest actions that clear every blocking reason; with
 * `quorum`, it opens with a warning when the go/no-go meeting is short of its quorum.
 */
export function ReadinessBoard({
  board,
  gates,
  headingLevel = 3,
  path,
  quorum,
}: {
  board: Board;
  gates: Pick<ReadinessGates, 'minValidShare' | 'maxPeakUtilisation' | 'maxGoLiveUtilisation'>;
  headingLevel?: 3 | 4;
  path?: readonly PathToGoAction[];
  /** the go/no-go meeting's quorum (the core's `quorumState`); flagged on the board when not met */
  quorum?: QuorumState;
}) {
  const H = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <section className="board" aria-label="Readiness at a glance">
      {quorum?.state === 'not-met' && (
        <p className="board-quorum pack-flag" role="note" data-testid="board-quorum">
          {quorum.words}
        </p>
      )}
      <ol className="board-phases" aria-label="Status per phase">
        {board.phases.map((p) => (
          <li key={p.id} className={`board-phase phase-${p.status}`}>
            <span className="board-phase-name">{p.name}</span>
            <span className={`badge status-${p.status}`}>
              <span aria-hidden="true">{STATUS_LABELS[p.status].symbol} </span>
              {STATUS_LABELS[p.status].text}
            </span>
            <span className="board-counts">
              {p.blocking} blocking, {p.risks} at risk
            </span>
          </li>
        ))}
      </ol>
      <div className="board-facts">
        <div className="board-fact">
          <H>Rehearsals: valid records</H>
          {board.rehearsals.length === 0 ? (
            <p>No extract in the project.</p>
          ) : (
            <ul aria-label="Rehearsals">
              {board.rehearsals.map((r) => (
                <li key={r.dataset}>
                  <strong>{r.dataset}</strong>{' '}
                  {r.runs.length > 0 && <TrendBars shares={r.runs} gate={gates.minValidShare} />}{' '}
                  {r.runs.length > 0 && (
                    <span>
                      {r.runs
                        .map((x) => `${shareWords(x.validShare, gates)}${x.passes ? '' : ' (fails)'}`)
                        .join(' → ')}{' '}
                    </span>
                  )}
                  <span className="board-trend-words">
                    <span aria-hidden="true">{TREND[r.trend].symbol} </span>
                    {TREND[r.trend].text}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <p className="board-gate">Gate: {pct(gates.minValidShare)} valid.</p>
        </div>
        <div className="board-fact">
          <H>Clinicians’ sign-off</H>
          {board.signoff.length === 0 ? (
            <p>No sample plan in the project.</p>
          ) : (
            <ul aria-label="Sign-off verdicts">
              {board.signoff.map((s) => (
                <li key={s.plan}>
                  <strong>{s.plan}</strong> <Badge label={VERDICT[s.verdict]} />
                  {s.upperBound !== undefined && (
                    <span>
                      {' '}
                      {s.reviewed} of {s.drawn} reviewed; error rate at most {pctUp(s.upperBound)} at{' '}
                      {pct(s.confidence ?? 0)} confidence (target {pct(s.target ?? 0)})
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="board-fact">
          <H>Capacity</H>
          {board.capacity.length === 0 ? (
            <p>No planned workflow in the project.</p>
          ) : (
            <ul aria-label="Capacity verdicts">
              {board.capacity.map((c) => (
                <li key={c.workflow}>
                  <strong>{c.workflow}</strong> <Badge label={CAPACITY[c.verdict]} />{' '}
                  <span>
                    peak hour:{' '}
                    {c.peak ? `${c.peak.role} ${pctUp(c.peak.utilisation)} busy` : 'cannot be computed'} (gate{' '}
                    {pct(gates.maxPeakUtilisation)}); go-live week:{' '}
                    {c.goLive ? `${c.goLive.role} ${pctUp(c.goLive.utilisation)} busy` : 'cannot be computed'}{' '}
                    (gate {pct(gates.maxGoLiveUtilisation)})
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
        {(board.dataRisks || board.dataLeftOut) && (
          <div className="board-fact">
            <H>Failing data by what uses it</H>
            {board.dataRisks && (
              <ol aria-label="Failing data by what uses it">
                {board.dataRisks.slice(0, DATA_RISKS_SHOWN).map((r) => (
                  <li key={`${r.dataset}|${r.location}`}>
                    <strong>{r.location}</strong> in {r.dataset} ({plural(r.count, 'problem')},{' '}
                    {pctUp(r.share)} of records): used by {plural(r.steps, 'step')} ({r.roles.join(', ')}),{' '}
                    {r.casesPerHour.toLocaleString('en-US')} cases/h
                  </li>
                ))}
              </ol>
            )}
            {board.dataRisks && board.dataRisks.length > DATA_RISKS_SHOWN && (
              <p className="board-gate">
                And {board.dataRisks.length - DATA_RISKS_SHOWN} more on the Migration screen.
              </p>
            )}
            {board.dataLeftOut && (
              <p className="board-gate" role="note" data-testid="board-data-left-out">
                {dataLeftOutWords(board.dataLeftOut)}
              </p>
            )}
          </div>
        )}
        {board.issues && (
          <div className="board-fact">
            <H>Command centre issue log</H>
            <IssueLog issues={board.issues} />
          </div>
        )}
        {board.forecasts && (
          <div className="board-fact" data-testid="board-forecasts">
            <H>Forecast vs what happened</H>
            <Forecasts forecasts={board.forecasts} />
          </div>
        )}
      </div>
      {path && <PathToGoList path={path} heading={H} />}
    </section>
  );
}
