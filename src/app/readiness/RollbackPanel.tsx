/**
 * The rollback/downtime plan (docs/product.md#readiness): whether the clinic has one and, when it
 * has, its essentials — who decides to roll back, the triggers, the downtime procedures ready, the
 * last drill, the go-live day and where the document is kept. Kept in the project's settings as it
 * is typed, so it survives a reload and travels with an export; the go-live phase judges it.
 */
import { useId, useState } from 'react';
import { missingEssentials } from '../../core/readiness/index.ts';
import {
  DOWNTIME_PROCEDURES,
  PROJECT_ROLLBACK_PLAN_KEY,
  type RollbackPlan,
} from '../../formats/rollbackPlan.ts';
import { ConflictBeside } from '../team/RecordConflict.tsx';

const TEXT_FIELDS = [
  { key: 'decidedBy', label: 'Who decides to roll back (role or name)' },
  { key: 'triggers', label: 'What triggers a rollback' },
  { key: 'location', label: 'Where the plan is kept (binder, shared folder…)' },
] as const;

const DAY_FIELDS = [
  { key: 'lastDrill', label: 'Last downtime drill' },
  { key: 'goLiveDate', label: 'Planned go-live day' },
] as const;

const PROCEDURE_LABELS: Readonly<Record<(typeof DOWNTIME_PROCEDURES)[number], string>> = {
  paperForms: 'Paper forms printed and at hand',
  legacyReadOnly: 'Read-only access to the old system kept',
  downtimeReports: 'Downtime reports printed',
};

/** `plan` with `key` set to `value`, or without `key` when the value is empty. */
function put(plan: RollbackPlan, key: keyof RollbackPlan, value: string | boolean): RollbackPlan {
  const next: Record<string, unknown> = { ...plan };
  if (value === '' || value === false) delete next[key];
  else next[key] = value;
  return next as unknown as RollbackPlan;
}

export function RollbackPanel({
  plan,
  onChange,
}: {
  plan: RollbackPlan | null;
  /** saves the plan in the project (absent: shown only) */
  onChange?: ((plan: RollbackPlan) => void) | undefined;
}) {
  const id = useId();
  // the typed texts, kept here so a field being typed is never rewritten under the cursor
  const [texts, setTexts] = useState<Record<string, string>>(() => ({
    decidedBy: plan?.decidedBy ?? '',
    triggers: plan?.triggers ?? '',
    location: plan?.location ?? '',
    lastDrill: plan?.lastDrill ?? '',
    goLiveDate: plan?.goLiveDate ?? '',
  }));
  const save = (next: RollbackPlan) => onChange?.(next);
  const current: RollbackPlan = plan ?? { present: false };
  const typed = (key: keyof RollbackPlan, value: string) => {
    setTexts({ ...texts, [key]: value });
    save(put(current, key, value.trim() === '' ? '' : value));
  };
  const missing = plan?.present ? missingEssentials(plan) : [];
  return (
    <section
      id="rollback-plan"
      tabIndex={-1}
      className="card rollback"
      aria-labelledby={`${id}-title`}
      data-testid="rollback-plan"
    >
      <h3 id={`${id}-title`}>Rollback and downtime plan</h3>
      <p className="hint">
        How the clinic keeps working if the new system fails at go-live, and who decides to go back. A
        reference to where the plan is kept is enough: no upload.
      </p>
      <ConflictBeside
        kind="readiness-record"
        id={PROJECT_ROLLBACK_PLAN_KEY}
        what="rollback and downtime plan"
      />
      <fieldset className="rollback-present">
        <legend>Does the clinic have a rollback/downtime plan?</legend>
        <label>
          <input
            type="radio"
            name={`${id}-present`}
            checked={plan?.present === true}
            disabled={!onChange}
            onChange={() => save({ ...current, present: true })}
          />{' '}
          Yes, a plan is in place
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-present`}
            checked={plan?.present === false}
            disabled={!onChange}
            onChange={() => save({ ...current, present: false })}
          />{' '}
          No plan yet
        </label>
      </fieldset>
      {plan === null && <p>Not recorded yet: the go-live stays at risk until it is.</p>}
      {plan?.present && (
        <>
          <div className="rollback-fields">
            {TEXT_FIELDS.map((field) => (
              <div className="number-field" key={field.key}>
                <label htmlFor={`${id}-${field.key}`}>{field.label}</label>
                {field.key === 'triggers' ? (
                  <textarea
                    autoComplete="off"
                    id={`${id}-${field.key}`}
                    rows={2}
                    value={texts[field.key]}
                    disabled={!onChange}
                    onChange={(e) => typed(field.key, e.currentTarget.value)}
                  />
                ) : (
                  <input
                    id={`${id}-${field.key}`}
                    autoComplete="off"
                    value={texts[field.key]}
                    disabled={!onChange}
                    onChange={(e) => typed(field.key, e.currentTarget.value)}
                  />
                )}
              </div>
            ))}
            {DAY_FIELDS.map((field) => (
              <div className="number-field" key={field.key}>
                <label htmlFor={`${id}-${field.key}`}>{field.label}</label>
                <input
                  id={`${id}-${field.key}`}
                  type="date"
                  value={texts[field.key]}
                  disabled={!onChange}
                  onChange={(e) => typed(field.key, e.currentTarget.value)}
                />
              </div>
            ))}
          </div>
          <fieldset className="rollback-procedures">
            <legend>Downtime procedures ready</legend>
            {DOWNTIME_PROCEDURES.map((key) => (
              <div className="checkbox-field" key={key}>
                <input
                  id={`${id}-${key}`}
                  type="checkbox"
                  checked={plan[key] === true}
                  disabled={!onChange}
                  onChange={(e) => save(put(plan, key, e.currentTarget.checked))}
                />
                <label htmlFor={`${id}-${key}`}>{PROCEDURE_LABELS[key]}</label>
              </div>
            ))}
          </fieldset>
          <p role="status" data-testid="rollback-status">
            {missing.length === 0
              ? 'Every essential of the plan is written down.'
              : `Still to write down: ${missing.join('; ')}.`}
          </p>
        </>
      )}
    </section>
  );
}
