/**
 * Inspector fields. Each keeps what the user typed as a draft until it is valid: a valid value
 * becomes an edit at once; an invalid one (a negative time, text in a number) stays on screen
 * with `aria-invalid` and a message beside it, and is never silently fixed. Drafts live in the
 * editor (keyed by element and field), so moving to another step and back keeps them.
 */
import { type ReactNode, useId, useState } from 'react';

/** Unsaved, invalid inputs by key (`step:<id>:touchMin`, …). */
export type Drafts = ReadonlyMap<string, string>;

/** Sets (text) or clears (null) the draft of a key. */
export type SetDraft = (key: string, text: string | null) => void;

/** What a number field accepts (mirrors the format's schema for that field). */
export interface NumberRule {
  min?: number;
  max?: number;
  /** strictly above `min` */
  exclusiveMin?: boolean;
  integer?: boolean;
  /** "minutes", "clicks", … for the message */
  unit?: string;
  /** an empty field means "not given" (for optional fields); otherwise it is an error */
  optional?: boolean;
}

/** Parses a number field; returns the number (or null for an allowed empty) or the message. */
export function parseNumberField(
  text: string,
  rule: NumberRule,
): { value: number | null } | { error: string } {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return rule.optional ? { value: null } : { error: 'Enter a number.' };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: 'Enter a number, using digits.' };
  const unit = rule.unit ? ` ${rule.unit}` : '';
  if (rule.integer && !Number.isInteger(value))
    return { error: `Enter a whole number${unit ? ` of${unit}` : ''}.` };
  if (rule.min !== undefined) {
    if (rule.exclusiveMin ? value <= rule.min : value < rule.min) {
      return {
        error:
          rule.min === 0 && !rule.exclusiveMin
            ? `Cannot be negative: enter 0 or more${unit}.`
            : `Must be more than ${rule.min}${rule.exclusiveMin ? '' : ' or equal'}.`,
      };
    }
  }
  if (rule.max !== undefined && value > rule.max) return { error: `Must be at most ${rule.max}.` };
  return { value };
}

interface NumberFieldProps {
  label: string;
  /** the stored value (null: not given) */
  value: number | null;
  rule: NumberRule;
  draftKey: string;
  drafts: Drafts;
  setDraft: SetDraft;
  onCommit: (value: number | null) => void;
  hint?: string;
  /** a message about the stored value itself (e.g. probabilities not summing to 1) */
  problem?: string | null;
}

/** A number input that saves valid values at once and keeps invalid ones as visible drafts. */
export function NumberField(props: NumberFieldProps) {
  const { label, value, rule, draftKey, drafts, setDraft, onCommit, hint, problem } = props;
  const id = useId();
  const draft = drafts.get(draftKey);
  const text = draft ?? (value === null ? '' : String(value));
  const parsed = draft === undefined ? null : parseNumberField(draft, rule);
  const error = parsed && 'error' in parsed ? parsed.error : null;
  const message = error ?? problem ?? null;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        autoComplete="off"
        id={id}
        type="text"
        inputMode="decimal"
        value={text}
        aria-invalid={message ? true : undefined}
        aria-describedby={
          [message ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined
        }
        onChange={(event) => {
          const next = event.target.value;
          const result = parseNumberField(next, rule);
          if ('error' in result) {
            setDraft(draftKey, next);
            return;
          }
          setDraft(draftKey, null);
          if (result.value !== value) onCommit(result.value);
          // keep what was typed ("4." on the way to "4.5") while it parses to the stored value
          if (String(result.value ?? '') !== next.trim()) setDraft(draftKey, next);
        }}
        onBlur={() => {
          // a valid draft only differs in spelling ("4." for 4): show the stored value again
          if (draft !== undefined && !('error' in parseNumberField(draft, rule))) setDraft(draftKey, null);
        }}
      />
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {message && (
        <p className="field-error" id={`${id}-error`}>
          {message}
        </p>
      )}
    </div>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  required?: boolean;
  draftKey: string;
  drafts: Drafts;
  setDraft: SetDraft;
  onCommit: (value: string) => void;
  multiline?: boolean;
  list?: string;
  inputRef?: (element: HTMLInputElement | null) => void;
}

/** A text input; an empty required field stays as a visible draft with a message. */
export function TextField(props: TextFieldProps) {
  const { label, value, required, draftKey, drafts, setDraft, onCommit, multiline, list, inputRef } = props;
  const id = useId();
  const draft = drafts.get(draftKey);
  const text = draft ?? value;
  const error = draft !== undefined && required && draft.trim() === '' ? `${label} cannot be empty.` : null;
  const common = {
    id,
    value: text,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    onChange: (event: { target: { value: string } }) => {
      const next = event.target.value;
      if (required && next.trim() === '') {
        setDraft(draftKey, next);
        return;
      }
      setDraft(draftKey, null);
      onCommit(next);
    },
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea autoComplete="off" rows={3} {...common} />
      ) : (
        <input autoComplete="off" type="text" list={list} ref={inputRef} {...common} />
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A select of fixed choices. */
export function SelectField<T extends string>(props: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.target.value as T)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Data items as chips: each removable by its own button; new ones typed with suggestions from the
 * items used elsewhere in the project (a datalist), added with Enter or the Add button.
 */
export function ChipsField(props: {
  label: string;
  values: readonly string[];
  suggestions: readonly string[];
  onChange: (values: string[]) => void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const add = () => {
    const item = text.trim();
    if (item === '') return;
    if (!props.values.includes(item)) props.onChange([...props.values, item]);
    setText('');
  };
  const offered = props.suggestions.filter((s) => !props.values.includes(s));
  return (
    <fieldset className="field chips-field">
      <legend>{props.label}</legend>
      {props.values.length === 0 ? (
        <p className="field-hint">None yet.</p>
      ) : (
        <ul className="chips">
          {props.values.map((item) => (
            <li key={item} className="chip">
              <span>{item}</span>
              <button
                type="button"
                aria-label={`Remove ${item}`}
                onClick={() => props.onChange(props.values.filter((v) => v !== item))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="chip-add">
        <label htmlFor={id} className="visually-hidden">
          Add a data item to {props.label.toLowerCase()}
        </label>
        <input
          autoComplete="off"
          id={id}
          type="text"
          list={`${id}-suggestions`}
          value={text}
          placeholder="e.g. allergies"
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
        />
        <datalist id={`${id}-suggestions`}>
          {offered.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <button type="button" onClick={add} disabled={text.trim() === ''}>
          Add
        </button>
      </div>
    </fieldset>
  );
}

/**
 * A searchable list of checkboxes (the baseline's steps a future step replaces, the retired
 * steps): a filter box narrows the list; checked items stay listed.
 */
export function SearchableChecklist(props: {
  label: string;
  items: readonly { id: string; label: string; detail?: string }[];
  checked: readonly string[];
  onChange: (checked: string[]) => void;
  empty: ReactNode;
}) {
  const id = useId();
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const shown = props.items.filter(
    (item) => props.checked.includes(item.id) || needle === '' || item.label.toLowerCase().includes(needle),
  );
  return (
    <fieldset className="field checklist">
      <legend>{props.label}</legend>
      {props.items.length === 0 ? (
        <p className="field-hint">{props.empty}</p>
      ) : (
        <>
          <label htmlFor={id} className="visually-hidden">
            Search {props.label.toLowerCase()}
          </label>
          <input
            autoComplete="off"
            id={id}
            type="search"
            placeholder="Search steps"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
          <ul className="checklist-items">
            {shown.map((item) => (
              <li key={item.id}>
                <label>
                  <input
                    type="checkbox"
                    checked={props.checked.includes(item.id)}
                    onChange={(event) =>
                      props.onChange(
                        event.target.checked
                          ? [...props.checked, item.id]
                          : props.checked.filter((c) => c !== item.id),
                      )
                    }
                  />
                  {item.label}
                  {item.detail && <span className="checklist-detail"> · {item.detail}</span>}
                </label>
              </li>
            ))}
          </ul>
          {shown.length === 0 && <p className="field-hint">No step matches.</p>}
        </>
      )}
    </fieldset>
  );
}
