/**
 * Charts of the errors clinicians found, by reason code and by field, overall and per stratum
 * (docs/product.md#sign-off), in plain SVG like OcCurveChart.tsx. Each chart is an image with a label that
 * states every bar's number, and the same numbers are offered as a table: the chart is never the
 * only place they are. Counted from final decisions (src/core/signoff/review/errorBreakdown.ts).
 */
import { useId, useMemo, useState } from 'react';
import {
  adjudicationQueue,
  type BreakdownCount,
  type ErrorBreakdown,
  errorBreakdowns,
} from '../../core/signoff/review/index.ts';
import type { ReasonCode, Review } from '../../formats/review.ts';
import { formatCount } from '../common/format.ts';

/** Reason codes in clinic words (as the review form names them). */
export const REASON_WORDS: Record<ReasonCode, string> = {
  'wrong-value': 'Wrong value',
  missing: 'Missing',
  'wrong-patient': 'Wrong patient',
  units: 'Units',
  'code-terminology': 'Code or terminology',
  other: 'Other',
};

const BAR_HEIGHT = 22;
const GAP = 6;
/**
 * Sized so the chart is drawn near 1:1 on a phone (about 330 px wide) and at most 26rem wide
 * (signoff.css). Labels are 12-unit text (signoff.css): {@link MAX_LABEL_CHARS} characters fit in
 * the label column, so "Code or terminology" and "Rejected, no field marked" show whole.
 */
const LABEL_WIDTH = 170;
const WIDTH = 390;
/** Longer labels (field paths) are cut with "…"; the chart's text alternative and the table hold them whole. */
const MAX_LABEL_CHARS = 25;
const RIGHT = 36;
/** Fields shown per chart; the table lists them all. */
const MAX_FIELD_BARS = 10;

function BarChart({ title, bars }: { title: string; bars: { label: string; count: number }[] }) {
  const titleId = useId();
  const max = Math.max(1, ...bars.map((b) => b.count));
  const height = bars.length * (BAR_HEIGHT + GAP) + GAP;
  const plot = WIDTH - LABEL_WIDTH - RIGHT;
  const words = bars.map((b) => `${b.label} ${b.count}`).join(', ');
  return (
    <figure className="error-chart">
      <figcaption id={titleId}>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`${title}: ${words}`}>
        {bars.map((b, i) => {
          const y = GAP + i * (BAR_HEIGHT + GAP);
          const w = (b.count / max) * plot;
          return (
            <g key={b.label}>
              <text x={LABEL_WIDTH - 6} y={y + BAR_HEIGHT * 0.7} textAnchor="end">
                {b.label.length > MAX_LABEL_CHARS ? `${b.label.slice(0, MAX_LABEL_CHARS - 1)}…` : b.label}
              </text>
              <rect
                className="error-bar"
                x={LABEL_WIDTH}
                y={y}
                width={Math.max(w, b.count > 0 ? 2 : 0)}
                height={BAR_HEIGHT}
              />
              <text x={LABEL_WIDTH + w + 4} y={y + BAR_HEIGHT * 0.7}>
                {formatCount(b.count)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** "1 record", "3 records". */
function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}

function reasonBars(b: ErrorBreakdown): BreakdownCount[] {
  const bars: BreakdownCount[] = b.byReason.map((r) => ({ label: REASON_WORDS[r.label], count: r.count }));
  if (b.rejectedWithoutFinding > 0)
    bars.push({ label: 'Rejected, no field marked', count: b.rejectedWithoutFinding });
  return bars;
}

function Breakdown({ breakdown, name }: { breakdown: ErrorBreakdown; name: string }) {
  const reasons = reasonBars(breakdown);
  const fields = breakdown.byField;
  return (
    <section className="error-breakdown" aria-label={`Errors ${name}`}>
      <p className="error-summary">
        {name[0]?.toUpperCase()}
        {name.slice(1)}: {plural(breakdown.recordsWithErrors, 'record')} with errors,{' '}
        {plural(breakdown.findings, 'field')} marked wrong
      </p>
      <div className="error-chart-pair">
        <BarChart title={`By reason (${name})`} bars={reasons} />
        {fields.length > 0 && (
          <BarChart title={`By field (${name})`} bars={fields.slice(0, MAX_FIELD_BARS)} />
        )}
      </div>
      <details>
        <summary>The numbers as a table</summary>
        <table className="data-table">
          <caption>Errors by reason and by field ({name})</caption>
          <thead>
            <tr>
              <th scope="col">Reason or field</th>
              <th scope="col">Count</th>
            </tr>
          </thead>
          <tbody>
            {reasons.map((r) => (
              <tr key={`reason:${r.label}`}>
                <th scope="row">Reason: {r.label}</th>
                <td>{formatCount(r.count)}</td>
              </tr>
            ))}
            {fields.map((f) => (
              <tr key={`field:${f.label}`}>
                <th scope="row">Field: {f.label}</th>
                <td>{formatCount(f.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

/** Errors by reason and by field, overall and per stratum (a chooser), with table alternatives. */
export function ErrorCharts({ review }: { review: Review }) {
  const { strata, overall } = useMemo(() => errorBreakdowns(review), [review]);
  const awaiting = useMemo(() => adjudicationQueue(review).length, [review]);
  const [scope, setScope] = useState<string>('');
  const selectId = useId();
  if (overall.recordsWithErrors === 0 && overall.findings === 0) return null;
  const chosen = strata.find((s) => s.stratumId === scope);
  return (
    <section className="error-charts" aria-label="Errors found">
      <h5>Errors found</h5>
      <p>
        From final decisions
        {awaiting > 0
          ? `; ${formatCount(awaiting)} records waiting for adjudication are not in these charts yet`
          : ''}
        .
      </p>
      {strata.length > 1 && (
        <p>
          <label htmlFor={selectId}>Show</label>{' '}
          <select id={selectId} value={scope} onChange={(e) => setScope(e.currentTarget.value)}>
            <option value="">All strata</option>
            {strata.map((s) => (
              <option key={s.stratumId} value={s.stratumId ?? ''}>
                Stratum {s.stratumId}
              </option>
            ))}
          </select>
        </p>
      )}
      {chosen ? (
        <Breakdown breakdown={chosen} name={`stratum ${chosen.stratumId}`} />
      ) : (
        <Breakdown breakdown={overall} name="all strata" />
      )}
    </section>
  );
}
