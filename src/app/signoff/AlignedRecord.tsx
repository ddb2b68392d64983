/**
 * The verification view of the record in view: one aligned row per legacy field beside what the
 * mapping made of it, each classed (core `alignShown`): as the mapping says (muted), differs from
 * what the mapping would give, missing in the migrated record, not migrated, blank on both sides.
 * A column not migrated is a risk, never neutral: critical (in red, said in words) unless the
 * sample plan records why and who owns the choice, which the row then says. Every row can be marked wrong from where it is — a field the mapping does not migrate on
 * its legacy column. The fixed values the mapping adds are listed apart, folded.
 *
 * Everything shown here is read from the record's `ShownRecord`, whose hash the decision stores.
 */
import { useMemo } from 'react';
import {
  type AlignedRow,
  type AlignedTarget,
  alignShown,
  type FieldClass,
  type RecordView,
} from '../../core/signoff/review/index.ts';
import type { Finding } from '../../formats/review.ts';
import type { NotMigratedColumn } from '../../formats/samplePlan.ts';
import { BreakableText } from '../common/BreakableText.tsx';
import { formatCount } from '../common/format.ts';
import { FIELD_CLASS_LABELS, FIELD_CLASS_SHORT, REASON_LABELS } from './reviewLabels.ts';

/** The order the summary line names the classes in. */
const SUMMARY_ORDER: readonly FieldClass[] = [
  'missing',
  'differs',
  'not-migrated',
  'blank-both',
  'as-mapped',
];

function Value({ text }: { text: string }) {
  return text.trim() === '' ? (
    <span className="field-value field-blank">(blank)</span>
  ) : (
    <span className="field-value">
      <BreakableText text={text} />
    </span>
  );
}

function Marked({ finding }: { finding: Finding | undefined }) {
  if (!finding) return null;
  return (
    <strong className="marked">
      Marked wrong: {REASON_LABELS[finding.reason]}, {finding.defectClass}
    </strong>
  );
}

function MarkButton({ field, onMark }: { field: string; onMark: (field: string) => void }) {
  return (
    <button
      type="button"
      className="mark-row"
      aria-label={`Mark wrong: ${field}`}
      onClick={() => onMark(field)}
    >
      Mark wrong
    </button>
  );
}

/** The class in words; on a phone its short form is what shows (the full words are still read). */
function CheckLabel({ cls }: { cls: FieldClass }) {
  return (
    <span className="check">
      <span className="check-long">{FIELD_CLASS_LABELS[cls]}</span>
      <span className="check-short" aria-hidden="true">
        {FIELD_CLASS_SHORT[cls]}
      </span>
    </span>
  );
}

/** What the check column says beyond the class: what the mapping gives, or why it gave nothing. */
function TargetDetail({ target, legacy }: { target: AlignedTarget; legacy: readonly string[] }) {
  if (target.class === 'differs' && target.expected !== undefined)
    return (
      <span className="check-detail">
        The mapping gives <Value text={target.expected} />
      </span>
    );
  if (target.class === 'missing')
    return <span className="check-detail">{target.problem ?? 'The mapping left the value out.'}</span>;
  if (target.class === 'as-mapped' && target.migrated.trim() !== legacy.join(' ').trim() && legacy.length > 0)
    return <span className="check-detail">Changed by the mapping</span>;
  return null;
}

function Row({
  row,
  findings,
  onMark,
}: {
  row: AlignedRow;
  findings: readonly Finding[];
  onMark: (field: string) => void;
}) {
  const marked = findings.find((f) => f.field === row.field);
  return (
    <tr
      className={`aligned aligned-${row.class}${row.risk?.level === 'critical' ? ' aligned-critical' : ''}`}
    >
      <th scope="row">
        <span className="field-name">
          <BreakableText text={row.columns.join(' + ')} />
        </span>
        <Value text={row.legacy.join(' ')} />
      </th>
      <td>
        {row.targets.length === 0 ? (
          <span className="field-blank">Not in the migrated record</span>
        ) : (
          row.targets.map((t) => (
            <span className="aligned-target" key={t.target}>
              <span className="field-name">
                <BreakableText text={t.path ?? t.target} camelCase />
              </span>
              <Value text={t.migrated} />
            </span>
          ))
        )}
      </td>
      <td>
        <span className="check-line">
          <CheckLabel cls={row.class} /> <MarkButton field={row.field} onMark={onMark} />
        </span>
        {row.risk?.level === 'critical' && (
          <strong className="check-detail risk-critical">
            Critical risk: this field is dropped and the sample plan records no reason or owner for it.
          </strong>
        )}
        {row.risk?.level === 'recorded' && (
          <span className="check-detail">
            Left out on purpose: {row.risk.reason} (decided by {row.risk.owner})
          </span>
        )}
        {row.targets.map((t) => (
          <TargetDetail key={t.target} target={t} legacy={row.legacy} />
        ))}
        <Marked finding={marked} />
      </td>
    </tr>
  );
}

export function AlignedRecord({
  view,
  findings,
  onMark,
  notMigrated,
}: {
  view: RecordView;
  findings: readonly Finding[];
  /** the sample plan's recorded omissions: other columns not migrated are critical risks */
  notMigrated?: readonly NotMigratedColumn[];
  /** a row's Mark wrong: its field is chosen in the mark form, which takes the keyboard */
  onMark: (field: string) => void;
}) {
  const aligned = useMemo(() => alignShown(view.shown, notMigrated), [view.shown, notMigrated]);
  const { mapping } = view.shown;
  const summary = SUMMARY_ORDER.filter((c) => aligned.counts[c] > 0)
    .map((c) => `${formatCount(aligned.counts[c])} ${FIELD_CLASS_LABELS[c].toLowerCase()}`)
    .join(', ');
  return (
    <div className="aligned-record">
      <p className="aligned-summary" data-testid="aligned-summary">
        {formatCount(aligned.rows.length)} legacy fields
        {aligned.fixed.length > 0 ? ` and ${formatCount(aligned.fixed.length)} fixed values` : ''}: {summary}.
      </p>
      {aligned.critical > 0 && (
        <p className="notice risk-critical" role="note" data-testid="not-migrated-risk">
          <strong>
            {aligned.critical === 1
              ? '1 legacy field is not migrated'
              : `${formatCount(aligned.critical)} legacy fields are not migrated`}{' '}
            and the sample plan records no reason or owner: a critical risk.
          </strong>{' '}
          Accepting this record accepts that what is in{' '}
          {aligned.critical === 1 ? 'that field is' : 'those fields is'} lost. Mark it wrong unless the data
          lead records in the plan why it is left out and who owns that choice.
        </p>
      )}
      {!mapping && (
        <p className="notice">
          No mapping of this file is in the project, so only the legacy record can be shown.
        </p>
      )}
      <div className="aligned-scroll">
        <table className="data-table aligned-table">
          <caption>
            Legacy and migrated record, field by field
            {mapping ? ` (mapping ${mapping.id}, version ${mapping.version})` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Legacy record</th>
              <th scope="col">Migrated record</th>
              <th scope="col">Check</th>
            </tr>
          </thead>
          <tbody>
            {aligned.rows.map((row) => (
              <Row key={row.columns.join('\u001f')} row={row} findings={findings} onMark={onMark} />
            ))}
          </tbody>
        </table>
      </div>
      {aligned.fixed.length > 0 && (
        <details className="fixed-values">
          <summary>Fixed values the mapping adds ({formatCount(aligned.fixed.length)})</summary>
          <ul>
            {aligned.fixed.map((t) => {
              const marked = findings.find((f) => f.field === t.target);
              return (
                <li key={t.target} className={`aligned-${t.class}`}>
                  <span className="field-name">
                    <BreakableText text={t.path ?? t.target} camelCase />
                  </span>{' '}
                  <Value text={t.migrated} /> · {FIELD_CLASS_LABELS[t.class]} <Marked finding={marked} />{' '}
                  <MarkButton field={t.target} onMark={onMark} />
                </li>
              );
            })}
          </ul>
        </details>
      )}
    </div>
  );
}

/** What a reviewer can mark wrong on a record: each aligned row's field, then the fixed values. */
export function markableFields(view: RecordView | null): { target: string }[] {
  if (!view) return [];
  const aligned = alignShown(view.shown);
  const fields = [
    ...aligned.rows.flatMap((r) => (r.targets.length > 0 ? r.targets.map((t) => t.target) : [r.field])),
    ...aligned.fixed.map((t) => t.target),
  ];
  return [...new Set(fields)].map((target) => ({ target }));
}
