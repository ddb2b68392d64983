import { useId } from 'react';
import {
  type AttributeChange,
  type ComparedMetric,
  dataItemName,
  type MetricDelta,
  replacementCounts,
  type StepRef,
  type WorkflowComparison,
} from '../../../core/workflow/index.ts';
import type { Finding } from '../../../core/workflow/rules/index.ts';
import { formatCount, plural } from '../../common/format.ts';
import { TableScroll } from '../../common/TableScroll.tsx';

export const METRIC_LABELS: Readonly<Record<ComparedMetric, { label: string; unit: string }>> = {
  touchMin: { label: 'Staff time per patient', unit: 'min' },
  waitMin: { label: 'Waiting per patient, besides queues for staff', unit: 'min' },
  cycleMin: { label: 'Total time per patient', unit: 'min' },
  handoffs: { label: 'Handoffs between roles per patient', unit: '' },
  clicks: { label: 'Clicks per patient', unit: '' },
  dataEntries: { label: 'Data items typed per patient', unit: '' },
  maxUtilisation: { label: 'Busiest role at peak', unit: '%' },
};

const ATTRIBUTE_LABELS: Readonly<Record<AttributeChange['attribute'], string>> = {
  kind: 'type of step',
  medium: 'how it is done',
  system: 'system',
  lane: 'role',
  touchMin: 'staff minutes',
  waitMin: 'wait minutes',
  clicks: 'clicks',
  enters: 'data typed',
};

export function metricValue(metric: ComparedMetric, value: number): string {
  if (!Number.isFinite(value)) return 'unlimited (a role cannot keep up)';
  const unit = METRIC_LABELS[metric].unit;
  if (unit === '%') return `${Math.round(value * 100)} %`;
  const shown = Math.abs(value) < 10 ? value.toFixed(1) : formatCount(Math.round(value));
  return unit ? `${shown} ${unit}` : shown;
}

function deltaText(d: MetricDelta): string {
  if (!d.better && !d.worse) return 'no change';
  if (!Number.isFinite(d.delta)) return d.worse ? 'worse: no longer keeps up' : 'better: keeps up again';
  const sign = d.delta > 0 ? '+' : '−';
  const amount = metricValue(d.metric, Math.abs(d.delta));
  return `${d.better ? 'better' : 'worse'}: ${sign}${amount}`;
}

/** "Check in: system Paper → EHR; staff minutes 5 → 3" */
export function describeChanges(changes: readonly AttributeChange[]): string {
  return changes
    .map((c) => {
      const name = ATTRIBUTE_LABELS[c.attribute];
      if (c.attribute === 'enters') {
        const parts = [
          c.added.length ? `now types ${c.added.map(dataItemName).join(', ')}` : '',
          c.removed.length ? `no longer types ${c.removed.map(dataItemName).join(', ')}` : '',
        ].filter(Boolean);
        return parts.join('; ');
      }
      return `${name} ${String(c.before)} → ${String(c.after)}`;
    })
    .filter(Boolean)
    .join('; ');
}

function StepName({ step }: { step: StepRef }) {
  return (
    <>
      {step.label} <span className="muted">({step.laneName})</span>
    </>
  );
}

/** The metrics per patient today and planned, with their change in words (not colour alone). */
export function MetricsTable({ deltas }: { deltas: readonly MetricDelta[] }) {
  return (
    <TableScroll label="Metrics today and planned">
      <table className="wide metrics-strip">
        <caption>Per patient at the morning peak: today and planned</caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col">Today</th>
            <th scope="col">Planned</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {deltas.map((d) => (
            <tr key={d.metric}>
              <th scope="row">{METRIC_LABELS[d.metric].label}</th>
              <td>{metricValue(d.metric, d.current)}</td>
              <td>{metricValue(d.metric, d.future)}</td>
              <td className={d.better ? 'delta-better' : d.worse ? 'delta-worse' : undefined}>
                <span aria-hidden="true">{d.better ? '▼ ' : d.worse ? '▲ ' : ''}</span>
                {deltaText(d)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/**
 * Current against future: the metrics per patient with their change (better or worse in words),
 * the steps the plan adds, replaces, retires or leaves untraced, and the findings (root causes)
 * it resolves, introduces or keeps — a wait carried over from today is kept, not introduced.
 */
export function ComparePanel({ comparison }: { comparison: WorkflowComparison<Finding> }) {
  const headingId = useId();
  const { metrics, matches, added, removed, findings } = comparison;
  const confirmed = matches.filter((m) => m.by === 'replaces');
  const replacing = replacementCounts(matches);
  const suggested = matches.filter((m) => m.by === 'suggested-label');
  return (
    <section aria-labelledby={headingId} className="compare">
      <h4 id={headingId}>
        {comparison.current.name} → {comparison.future.name}
      </h4>
      {metrics.problems.map((p) => (
        <p key={p.state} className="error">
          {p.state === 'current' ? 'Today' : 'Planned'}: {p.problem.message}
        </p>
      ))}
      {metrics.deltas.length > 0 && <MetricsTable deltas={metrics.deltas} />}
      {findings && (
        <p className="hint">
          Findings are counted by root cause: a problem several checks flag is one finding.
        </p>
      )}
      {findings && (
        <div className="columns">
          <section aria-label="Findings the plan resolves">
            <h5>Resolved by the plan ({findings.resolved.length})</h5>
            {findings.resolved.length === 0 ? (
              <p className="empty">None</p>
            ) : (
              <ul>
                {findings.resolved.map((f) => (
                  <li key={`${f.rule}:${f.stepIds.join(',')}:${f.message}`}>{f.message}</li>
                ))}
              </ul>
            )}
          </section>
          <section aria-label="Findings the plan introduces">
            <h5>Introduced by the plan ({findings.introduced.length})</h5>
            {findings.introduced.length === 0 ? (
              <p className="empty">None</p>
            ) : (
              <ul>
                {findings.introduced.map((f) => (
                  <li key={`${f.rule}:${f.stepIds.join(',')}:${f.message}`}>{f.message}</li>
                ))}
              </ul>
            )}
          </section>
          <section aria-label="Findings that stay">
            <h5>Still there after the change ({findings.persisting.length + findings.carriedOver.length})</h5>
            {findings.persisting.length + findings.carriedOver.length === 0 ? (
              <p className="empty">None</p>
            ) : (
              <ul>
                {[...findings.persisting.map((p) => p.future), ...findings.carriedOver].map((f) => (
                  <li key={`${f.rule}:${f.stepIds.join(',')}:${f.message}`}>{f.message}</li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
      <h5>Steps</h5>
      <ul className="step-diff">
        <li>
          {plural(replacing.planned, 'planned step')} replace{replacing.planned === 1 ? 's' : ''}{' '}
          {plural(replacing.today, "of today's steps", "of today's steps")}
          {confirmed.some((m) => m.changes.length > 0) && (
            <ul>
              {confirmed
                .filter((m) => m.changes.length > 0)
                .map((m) => (
                  <li key={`${m.current.stepId}>${m.future.stepId}`}>
                    <StepName step={m.future} /> instead of <StepName step={m.current} />:{' '}
                    {describeChanges(m.changes)}
                  </li>
                ))}
            </ul>
          )}
        </li>
        <li>
          New in the plan ({added.length}):{' '}
          {added.length === 0 ? 'none' : added.map((a) => a.step.label).join(', ')}
        </li>
        <li>
          Deliberately retired ({removed.retired.length}):{' '}
          {removed.retired.length === 0 ? 'none' : removed.retired.map((r) => r.step.label).join(', ')}
        </li>
        <li className={removed.untraced.length > 0 ? 'delta-worse' : undefined}>
          Today's steps nobody planned for ({removed.untraced.length}):{' '}
          {removed.untraced.length === 0 ? 'none' : removed.untraced.map((r) => r.step.label).join(', ')}
        </li>
        {suggested.length > 0 && (
          <li>
            Same name, same role — perhaps the same step (not linked by the plan; link them in the editor if
            so): {suggested.map((m) => m.future.label).join(', ')}
          </li>
        )}
      </ul>
    </section>
  );
}
