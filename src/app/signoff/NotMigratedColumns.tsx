/**
 * The legacy fields a plan records as left out of the migration on purpose: each with why and who
 * owns the choice. Reviewers see any other field the mapping does not migrate as a critical risk
 * (core `alignShown`), so this is where the data lead answers for an omission such as allergies
 * kept in another system. Editable until the plan is locked; read-only after (it is in the plan
 * hash).
 */
import { useId, useState } from 'react';
import type { NotMigratedColumn } from '../../formats/samplePlan.ts';

const EMPTY = { column: '', reason: '', owner: '' };

export function NotMigratedColumns({
  columns,
  onChange,
}: {
  columns: readonly NotMigratedColumn[];
  /** absent: read-only (a locked plan) */
  onChange?: (columns: NotMigratedColumn[]) => void;
}) {
  const ids = { column: useId(), reason: useId(), owner: useId(), title: useId() };
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState('');
  if (!onChange && columns.length === 0) return null;
  const record = () => {
    const entry = { column: form.column.trim(), reason: form.reason.trim(), owner: form.owner.trim() };
    if (!entry.column || !entry.reason || !entry.owner) {
      setError('Give the legacy field, why it is left out and who owns that choice.');
      return;
    }
    setError('');
    setForm(EMPTY);
    onChange?.([...columns.filter((c) => c.column !== entry.column), entry]);
  };
  return (
    <div className="not-migrated-columns">
      <h4 id={ids.title}>Fields left out of the migration on purpose</h4>
      <p className="hint">
        Reviewers see any legacy field the mapping does not migrate as a critical risk, unless it is listed
        here with why and who owns that choice.
      </p>
      {columns.length > 0 && (
        <ul>
          {columns.map((c) => (
            <li key={c.column}>
              <strong>{c.column}</strong>: {c.reason} (decided by {c.owner}){' '}
              {onChange && (
                <button
                  type="button"
                  aria-label={`Remove ${c.column}`}
                  onClick={() => onChange(columns.filter((x) => x.column !== c.column))}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {onChange && (
        <div className="field-grid">
          <label htmlFor={ids.column}>Legacy field (column)</label>
          <input
            autoComplete="off"
            id={ids.column}
            value={form.column}
            onChange={(e) => setForm({ ...form, column: e.currentTarget.value })}
          />
          <label htmlFor={ids.reason}>Why it is left out</label>
          <input
            autoComplete="off"
            id={ids.reason}
            value={form.reason}
            onChange={(e) => setForm({ ...form, reason: e.currentTarget.value })}
          />
          <label htmlFor={ids.owner}>Who owns that choice</label>
          <input
            autoComplete="off"
            id={ids.owner}
            value={form.owner}
            onChange={(e) => setForm({ ...form, owner: e.currentTarget.value })}
          />
          <button type="button" onClick={record}>
            Record the omission
          </button>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
