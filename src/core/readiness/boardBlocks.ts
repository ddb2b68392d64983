/**
 * The readiness board as printed-pack blocks: what the go/no-go meeting reads on page 1 before
 * the reasons — the quorum warning when the meeting is short, each phase's status with its
 * counts, each extract's rehearsals as shares of valid records, each sample plan's sign-off
 * verdict with its bound, each planned workflow's capacity, the failing data by what uses it, the
 * command centre's issue log and, after go-live, each workflow's forecast against what happened.
 * Made once here from the core's `ReadinessBoard`, so the browser's printed pack and the CLI's PDF
 * print the same board; the Go/no-go tab draws the same figures as a picture (colour, trend bars)
 * that a printed page does not need. Pure; judges nothing itself.
 */
import type { ReadinessGates } from '../../formats/readinessGates.ts';
import { dataLeftOutWords, dataRiskPlace, issueDayWords, shareWords } from './board.ts';
import { FORECAST_CAVEAT, forecastWords } from './forecasts.ts';
import type { QuorumState } from './meetingPack.ts';
import type { PackBlock } from './packBlock.ts';
import type { BoardCapacity, BoardRehearsal, BoardSignoff, PhaseStatus, ReadinessBoard } from './types.ts';
import { count, percent, plural } from './words.ts';

/** Each phase status as the printed board says it. */
const BOARD_STATUS_WORDS: Readonly<Record<PhaseStatus, string>> = {
  ready: 'Ready',
  'at-risk': 'At risk',
  blocked: 'Blocked',
  'not-started': 'Not started',
};

const TREND: Readonly<Record<BoardRehearsal['trend'], string>> = {
  better: 'better than the run before',
  worse: 'worse than the run before',
  same: 'same as the run before',
  first: 'first run',
  none: 'not checked yet',
};

const VERDICT: Readonly<Record<BoardSignoff['verdict'], string>> = {
  pass: 'Passes',
  fail: 'Fails',
  open: 'Records wait',
  none: 'No verdict yet',
};

const CAPACITY: Readonly<Record<BoardCapacity['verdict'], string>> = {
  within: 'Within its gates',
  over: 'Over a gate',
  unknown: 'Not known',
};

/** The failing data the printed board names; the Migration screen shows every one under its issue. */
const BOARD_DATA_RISKS_SHOWN = 5;

/** A share judged against a minimum never reads as its gate when under it (`percent`). */
const pct = (share: number) => percent(share, 'down');
const pctUp = (share: number) => percent(share, 'up');

/** The phases as judged, for a board without its figures (a pack made before the board). */
interface BoardPhaseRow {
  name: string;
  status: PhaseStatus;
  blocking: number;
  risks: number;
}

/** The table of each phase's status and counts, as the board opens. */
export function boardPhaseTable(phases: readonly BoardPhaseRow[]): PackBlock {
  return {
    kind: 'table',
    id: 'board-phases',
    caption: 'Status per phase',
    columns: ['Phase', 'Status', 'Blocking', 'At risk'],
    widths: [0.4, 0.3, 0.15, 0.15],
    rows: phases.map((p) => [p.name, BOARD_STATUS_WORDS[p.status], count(p.blocking), count(p.risks)]),
  };
}

/** The blocks of `board` judged by `gates`, with the quorum warning when `quorum` is not met. */
export function boardBlocks(
  board: ReadinessBoard,
  gates: Pick<ReadinessGates, 'minValidShare' | 'maxPeakUtilisation' | 'maxGoLiveUtilisation'>,
  quorum?: QuorumState,
): PackBlock[] {
  const out: PackBlock[] = [{ kind: 'heading', text: 'Status per phase', id: 'board' }];
  if (quorum?.state === 'not-met')
    out.push({ kind: 'paragraph', text: quorum.words, flag: true, id: 'board-quorum' });
  out.push(boardPhaseTable(board.phases));

  out.push({ kind: 'heading', text: 'Rehearsals: valid records' });
  if (board.rehearsals.length === 0) out.push({ kind: 'paragraph', text: 'No extract in the project.' });
  else
    out.push({
      kind: 'list',
      label: 'Rehearsals',
      items: board.rehearsals.map((r) => {
        const runs = r.runs.map((x) => `${shareWords(x.validShare, gates)}${x.passes ? '' : ' (fails)'}`);
        return `${r.dataset}: ${runs.length > 0 ? `${runs.join(' → ')} — ` : ''}${TREND[r.trend]}`;
      }),
    });
  out.push({ kind: 'paragraph', text: `Gate: ${pct(gates.minValidShare)} valid.` });

  out.push({ kind: 'heading', text: 'Clinicians’ sign-off' });
  if (board.signoff.length === 0) out.push({ kind: 'paragraph', text: 'No sample plan in the project.' });
  else
    out.push({
      kind: 'list',
      label: 'Sign-off verdicts',
      items: board.signoff.map(
        (s) =>
          `${s.plan}: ${VERDICT[s.verdict]}${
            s.upperBound === undefined
              ? ''
              : `; ${s.reviewed} of ${s.drawn} reviewed; error rate at most ${pctUp(s.upperBound)} at ${pct(s.confidence ?? 0)} confidence (target ${pct(s.target ?? 0)})`
          }`,
      ),
    });

  out.push({ kind: 'heading', text: 'Capacity' });
  if (board.capacity.length === 0)
    out.push({ kind: 'paragraph', text: 'No planned workflow in the project.' });
  else
    out.push({
      kind: 'list',
      label: 'Capacity verdicts',
      items: board.capacity.map(
        (c) =>
          `${c.workflow}: ${CAPACITY[c.verdict]}; peak hour: ${
            c.peak ? `${c.peak.role} ${pctUp(c.peak.utilisation)} busy` : 'cannot be computed'
          } (gate ${pct(gates.maxPeakUtilisation)}); go-live week: ${
            c.goLive ? `${c.goLive.role} ${pctUp(c.goLive.utilisation)} busy` : 'cannot be computed'
          } (gate ${pct(gates.maxGoLiveUtilisation)})`,
      ),
    });

  if (board.dataRisks || board.dataLeftOut) {
    out.push({ kind: 'heading', text: 'Failing data by what uses it', id: 'board-data-risks' });
    if (board.dataRisks) {
      out.push({
        kind: 'list',
        label: 'Failing data by what uses it',
        items: board.dataRisks
          .slice(0, BOARD_DATA_RISKS_SHOWN)
          .map(
            (r) =>
              `${dataRiskPlace(r)}: used by ${plural(r.steps, 'step')} (${r.roles.join(', ')}), ${r.casesPerHour.toLocaleString('en-US')} cases/h`,
          ),
      });
      if (board.dataRisks.length > BOARD_DATA_RISKS_SHOWN)
        out.push({
          kind: 'paragraph',
          text: `And ${count(board.dataRisks.length - BOARD_DATA_RISKS_SHOWN)} more on the Migration screen.`,
        });
    }
    // a shared summary over the size limit kept no problem: said, never printed as nothing failing
    if (board.dataLeftOut)
      out.push({ kind: 'paragraph', text: dataLeftOutWords(board.dataLeftOut), flag: true });
  }

  const issues = board.issues;
  if (issues) {
    out.push({ kind: 'heading', text: 'Command centre issue log', id: 'board-issues' });
    if (issues.logged === 0)
      out.push({
        kind: 'paragraph',
        text: `No issue logged yet${issues.goLiveDay ? ` (go-live ${issues.goLiveDay})` : ''}. Issues are counted here from go-live day.`,
      });
    else {
      out.push({
        kind: 'paragraph',
        text: `${count(issues.open)} of ${count(issues.logged)} logged still open.`,
      });
      out.push({
        kind: 'list',
        label: 'Open issues by triage category',
        items: issues.categories.map((c) => `${c.name} ${count(c.open)} open of ${count(c.logged)}`),
      });
      out.push({
        kind: 'list',
        label: 'Issues logged by day after go-live',
        items: issues.days.map(
          (d) => `${issueDayWords(d)}: ${count(d.logged)} logged, ${count(d.open)} open`,
        ),
      });
    }
  }

  if (board.forecasts) {
    out.push({ kind: 'heading', text: 'Forecast vs what happened', id: 'board-forecasts' });
    out.push({ kind: 'paragraph', text: FORECAST_CAVEAT });
    for (const f of board.forecasts) {
      const words = forecastWords(f);
      out.push({ kind: 'paragraph', text: words.head });
      if (words.lines.length > 0)
        out.push({ kind: 'list', label: `Forecast vs what happened: ${f.workflow}`, items: words.lines });
      if (words.notCompared.length > 0)
        out.push({
          kind: 'list',
          label: `Not compared: ${f.workflow}`,
          items: words.notCompared.map((line) => `Not compared — ${line}`),
        });
    }
  }
  return out;
}
