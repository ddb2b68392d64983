import { useEffect, useId, useState } from 'react';

/** Limits and wording of one number field. */
export interface NumberRule {
  min?: number;
  /** true: the value must be more than `min`, not equal to it */
  minExclusive?: boolean;
  max?: number;
  integer?: boolean;
  /** e.g. "staff on shift" — used in messages */
  what: string;
}

/** The problem with `text` as a value of `rule`, in words for clinic staff; null when it is fine. */
function numberProblem(text: string, rule: NumberRule): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return `Enter the ${rule.what}.`;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return `The ${rule.what} must be a number.`;
  if (rule.integer && !Number.isInteger(value)) return `The ${rule.what} must be a whole number.`;
  if (rule.min !== undefined && (rule.minExclusive ? value <= rule.min : value < rule.min)) {
    return `The ${rule.what} must be ${rule.minExclusive ? 'more than' : 'at least'} ${rule.min}.`;
  }
  if (rule.max !== undefined && value > rule.max) return `The ${rule.what} must be at most ${rule.max}.`;
  return null;
}

/**
 * A labelled number input that shows its problem where it is, at once, and hands only valid values
 * on (`onValue`). An invalid entry stays in the field as typed — never silently corrected.
 */
export function NumberField({
  label,
  value,
  rule,
  onValue,
  step = 'any',
  hint,
  check,
}: {
  label: string;
  value: number;
  rule: NumberRule;
  onValue: (value: number) => void;
  step?: string;
  hint?: string;
  /** a further check of a number that passed `rule` (e.g. the settings schema); returns the problem */
  check?: (value: number) => string | null;
}) {
  const id = useId();
  const [text, setText] = useState(String(value));
  // a value changed elsewhere (another field, undo, another tab) replaces what is shown
  useEffect(() => setText((shown) => (Number(shown) === value ? shown : String(value))), [value]);
  const problemOf = (t: string) => numberProblem(t, rule) ?? check?.(Number(t)) ?? null;
  const problem = problemOf(text);
  return (
    <div className="number-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        step={step}
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : hint ? `${id}-hint` : undefined}
        onChange={(event) => {
          const next = event.currentTarget.value;
          setText(next);
          if (problemOf(next) === null && Number(next) !== value) onValue(Number(next));
        }}
      />
      {problem ? (
        <p id={`${id}-problem`} className="field-error">
          {problem}
        </p>
      ) : (
        hint && (
          <p id={`${id}-hint`} className="field-hint">
            {hint}
          </p>
        )
      )}
    </div>
  );
}
