/**
 * Why cases wait, per activity: a stacked bar of its waiting by cause (hours per case), for the
 * process map's performance view. The bar is drawn for the eye; each row also says it in words
 * (its accessible name), and the legend names the colours. Computed by the event-log worker
 * (`analyzeWaits` in src/core/workflow/waits) on the same filtered log as the map.
 */
import {
  type BatchGapEvidence,
  batchGapUndecidedWords,
  batchGapWords,
  WAIT_CAUSES,
  type WaitBreakdown,
  type WaitCause,
} from '../../../core/workflow/waits/index.ts';

/** What the view needs of one activity's waits. */
export type ActivityWaitBar = Pick<WaitBreakdown, 'waitingHours' | 'causes' | 'shares'> & {
  activity: string;
  /** how its batches were told apart (the pause found in the log) */
  batchGap?: BatchGapEvidence;
};

/** Words for clinic staff, by cause. */
export const CAUSE_WORDS: Record<WaitCause, { label: string; means: string }> = {
  batching: { label: 'Held for a batch', means: 'ready, but held until a batch was gathered' },
  prioritization: { label: 'Others went first', means: 'cases that came later were taken first' },
  contention: { label: 'Staff busy', means: 'the person was busy with other cases' },
  unavailability: { label: 'Outside working hours', means: 'the person was not working then' },
  extraneous: { label: 'Other', means: 'the person was free, yet the case waited (results, patient…)' },
};

/** Rows shown: the activities cases wait longest before. */
const MAX_ROWS = 12;

const hours = (h: number) => (h < 0.05 ? 'under 0.1 h' : `${h.toFixed(1)} h`);

/** The row's text alternative: the waiting per case and each cause's share. */
export function waitBarText(bar: ActivityWaitBar): string {
  const parts = WAIT_CAUSES.filter((c) => bar.shares[c] >= 0.005).map(
    (c) => `${CAUSE_WORDS[c].label.toLowerCase()} ${Math.round(bar.shares[c] * 100)} %`,
  );
  const gap = bar.batchGap && bar.shares.batching >= 0.005 ? `; ${batchGapWords(bar.batchGap)}` : '';
  return `${bar.activity}: ${hours(bar.waitingHours)} waiting per case — ${parts.join(', ')}${gap}`;
}

/** How batches were told apart: the rows held for a batch, then the activities left undecided. */
function batchGapNotes(rows: readonly ActivityWaitBar[], all: readonly ActivityWaitBar[]): string[] {
  const notes: string[] = [];
  for (const bar of rows)
    if (bar.batchGap && bar.shares.batching >= 0.005)
      notes.push(`${bar.activity}: ${batchGapWords(bar.batchGap)}.`);
  const undecided = all.filter((bar) => bar.batchGap?.basis === 'too-few').length;
  const words = batchGapUndecidedWords({ activities: undecided });
  if (words) notes.push(`${words[0]?.toUpperCase()}${words.slice(1)}.`);
  return notes;
}

export function WaitCausesChart({ waits }: { waits: readonly ActivityWaitBar[] }) {
  const rows = waits
    .filter((w) => w.waitingHours > 0)
    .slice()
    .sort((a, b) => b.waitingHours - a.waitingHours)
    .slice(0, MAX_ROWS);
  if (rows.length === 0) {
    return <p className="field-hint">No activity waited: each started as soon as the one before it ended.</p>;
  }
  const longest = rows[0]?.waitingHours ?? 1;
  return (
    <section className="wait-causes" aria-labelledby="wait-causes-heading">
      <h4 id="wait-causes-heading">Why cases wait</h4>
      <p className="field-hint">
        Waiting before each activity, in hours per case, split by what held it up (found from who did the work
        and when).
      </p>
      <ul className="wait-causes-legend" aria-label="Colours">
        {WAIT_CAUSES.map((c) => (
          <li key={c}>
            <span className={`wait-cause-swatch wait-cause-${c}`} aria-hidden="true" />
            {CAUSE_WORDS[c].label}: {CAUSE_WORDS[c].means}
          </li>
        ))}
      </ul>
      <ul className="wait-causes-rows">
        {rows.map((bar) => (
          <li key={bar.activity} className="wait-causes-row">
            <span className="wait-causes-name">{bar.activity}</span>
            <span className="wait-causes-bar" role="img" aria-label={waitBarText(bar)}>
              <span className="wait-causes-track" style={{ width: `${(bar.waitingHours / longest) * 100}%` }}>
                {WAIT_CAUSES.filter((c) => bar.shares[c] > 0).map((c) => (
                  <span
                    key={c}
                    className={`wait-cause-segment wait-cause-${c}`}
                    data-cause={c}
                    style={{ width: `${bar.shares[c] * 100}%` }}
                  />
                ))}
              </span>
            </span>
            <span className="wait-causes-hours">{hours(bar.waitingHours)}</span>
          </li>
        ))}
      </ul>
      {batchGapNotes(rows, waits).map((note) => (
        <p key={note} className="field-hint">
          {note}
        </p>
      ))}
    </section>
  );
}
