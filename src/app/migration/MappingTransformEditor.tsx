/**
 * The controls of one transform step of a mapping field, by kind (`op`): each change becomes a
 * `transform/set` edit. Text the format would refuse while it is being typed (an empty pattern,
 * no date format) stays in the box with the reason beside it and is not saved until it is
 * valid; problems the compiler finds in a saved step (an invalid regular expression) are listed
 * under the step, naming the field and the step.
 */
import { useEffect, useId, useState } from 'react';
import { TRANSFORMS } from '../../core/mapping/index.ts';
import type { FormatProblem } from '../../formats/loading.ts';
import type { Transform } from '../../formats/mapping.ts';

/** The names of the transforms, in the clinic's words (the editor's menu). */
export const TRANSFORM_TITLES: Record<Transform['op'], string> = {
  trim: 'Trim spaces',
  case: 'Change case',
  date: 'Read a date',
  codeMap: 'Translate codes',
  number: 'Read a number',
  boolean: 'Read yes / no',
  split: 'Keep one part',
  concat: 'Join columns',
  regexReplace: 'Find and replace (pattern)',
};

/** Applies a new version of the step; returns the refusal's message or null. */
type SetStep = (transform: Transform, coalesce: string) => string | null;

/** A text box that keeps what is typed while the mapping refuses it, with the reason. */
function DraftText({
  label,
  value,
  onValue,
  multiline = false,
  hint,
}: {
  label: string;
  value: string;
  /** returns the refusal's message, or null when the value was taken */
  onValue: (text: string) => string | null;
  multiline?: boolean;
  hint?: string;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  const [refusal, setRefusal] = useState<string | null>(null);
  useEffect(() => {
    setText(value);
    setRefusal(null);
  }, [value]);
  const change = (next: string) => {
    setText(next);
    setRefusal(onValue(next));
  };
  const described = [hint ? `${id}-hint` : '', refusal ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="draft-field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea
          autoComplete="off"
          id={id}
          rows={3}
          value={text}
          spellCheck={false}
          aria-invalid={refusal !== null}
          aria-describedby={described || undefined}
          onChange={(e) => change(e.currentTarget.value)}
        />
      ) : (
        <input
          autoComplete="off"
          id={id}
          type="text"
          value={text}
          spellCheck={false}
          aria-invalid={refusal !== null}
          aria-describedby={described || undefined}
          onChange={(e) => change(e.currentTarget.value)}
        />
      )}
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {refusal && (
        <span className="field-error" id={`${id}-error`}>
          Not saved: {refusal}
        </span>
      )}
    </div>
  );
}

/** "a, b , c" → ["a", "b", "c"] (blank items dropped). */
function listOf(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function Select<T extends string>({
  label,
  value,
  options,
  onValue,
}: {
  label: string;
  value: T;
  options: readonly (readonly [T, string])[];
  onValue: (value: T) => void;
}) {
  const id = useId();
  return (
    <div className="draft-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onValue(e.currentTarget.value as T)}>
        {options.map(([v, title]) => (
          <option key={v} value={v}>
            {title}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The code table of a `codeMap` step: one row per code, editable in place. */
function CodeTable({
  step,
  set,
  coalesce,
}: {
  step: Extract<Transform, { op: 'codeMap' }>;
  set: SetStep;
  coalesce: string;
}) {
  const entries = Object.entries(step.map);
  const [message, setMessage] = useState<string | null>(null);
  const put = (next: [string, string][], key: string) => {
    const keys = next.map(([k]) => k);
    if (new Set(keys).size !== keys.length) {
      setMessage('each old code may be listed once');
      return;
    }
    setMessage(set({ ...step, map: Object.fromEntries(next) }, key));
  };
  return (
    <div className="code-table">
      <table>
        <caption>Codes</caption>
        <thead>
          <tr>
            <th scope="col">Old code</th>
            <th scope="col">New code</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([from, to], i) => (
            // rows are positional: a code being typed changes its key
            // biome-ignore lint/suspicious/noArrayIndexKey: positional rows
            <tr key={i}>
              <td>
                <input
                  autoComplete="off"
                  type="text"
                  aria-label={`Old code ${i + 1}`}
                  value={from}
                  onChange={(e) =>
                    put(
                      entries.map((en, k) => (k === i ? [e.currentTarget.value, en[1]] : en)),
                      `${coalesce}:from:${i}`,
                    )
                  }
                />
              </td>
              <td>
                <input
                  autoComplete="off"
                  type="text"
                  aria-label={`New code ${i + 1}`}
                  value={to}
                  onChange={(e) =>
                    put(
                      entries.map((en, k) => (k === i ? [en[0], e.currentTarget.value] : en)),
                      `${coalesce}:to:${i}`,
                    )
                  }
                />
              </td>
              <td>
                <button
                  type="button"
                  onClick={() =>
                    put(
                      entries.filter((_, k) => k !== i),
                      '',
                    )
                  }
                >
                  Remove code {i + 1}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        onClick={() => {
          let n = entries.length + 1;
          while (Object.hasOwn(step.map, `code${n}`)) n++;
          put([...entries, [`code${n}`, '']], '');
        }}
      >
        Add a code
      </button>
      {message && <span className="field-error">Not saved: {message}</span>}
    </div>
  );
}

/** What a `codeMap` does with a value absent from its table. */
type Unmapped = 'error' | 'empty' | 'value';

/** The parameter controls of one step. */
function TransformControls({
  step,
  set,
  coalesce,
}: {
  step: Transform;
  set: SetStep;
  /** a key unique to this field and step: typing in one box is one undo step */
  coalesce: string;
}) {
  switch (step.op) {
    case 'trim':
    case 'number':
      return step.op === 'number' ? (
        <Select
          label="Decimal separator"
          value={step.decimal ?? '.'}
          options={[
            ['.', 'point (1.5)'],
            [',', 'comma (1,5)'],
          ]}
          onValue={(decimal) => set({ ...step, decimal }, '')}
        />
      ) : null;
    case 'case':
      return (
        <Select
          label="Convert to"
          value={step.to}
          options={[
            ['upper', 'UPPER CASE'],
            ['lower', 'lower case'],
            ['title', 'Title Case'],
          ]}
          onValue={(to) => set({ ...step, to }, '')}
        />
      );
    case 'date':
      return (
        <>
          <DraftText
            label="Accepted formats, tried in order (comma-separated)"
            hint="Tokens: YYYY, MM, M, DD, D, HH, mm, ss, e.g. MM/DD/YYYY"
            value={step.formats.join(', ')}
            onValue={(text) => set({ ...step, formats: listOf(text) }, `${coalesce}:formats`)}
          />
          <Select
            label="Result"
            value={step.output ?? 'date'}
            options={[
              ['date', 'a date (2024-01-31)'],
              ['dateTime', 'a date and time'],
            ]}
            onValue={(output) => set({ ...step, output }, '')}
          />
        </>
      );
    case 'codeMap': {
      const unmapped: Unmapped =
        step.default === undefined ? 'error' : step.default === null ? 'empty' : 'value';
      const { default: _d, ...rest } = step;
      return (
        <>
          <CodeTable step={step} set={set} coalesce={coalesce} />
          <Select
            label="A code not in the table"
            value={unmapped}
            options={[
              ['error', 'is a problem of the row'],
              ['empty', 'leaves the field empty'],
              ['value', 'becomes a fixed code'],
            ]}
            onValue={(next) =>
              set(
                next === 'error'
                  ? rest
                  : { ...rest, default: next === 'empty' ? null : (step.default ?? 'unknown') },
                '',
              )
            }
          />
          {unmapped === 'value' && (
            <DraftText
              label="Fixed code for codes not in the table"
              value={step.default ?? ''}
              onValue={(text) => set({ ...step, default: text }, `${coalesce}:default`)}
            />
          )}
          <label className="check">
            <input
              type="checkbox"
              checked={step.caseSensitive === false}
              onChange={(e) => set({ ...step, caseSensitive: !e.currentTarget.checked }, '')}
            />{' '}
            Ignore upper and lower case
          </label>
        </>
      );
    }
    case 'boolean':
      return (
        <>
          <DraftText
            label="Read as yes (comma-separated)"
            value={step.true.join(', ')}
            onValue={(text) => set({ ...step, true: listOf(text) }, `${coalesce}:true`)}
          />
          <DraftText
            label="Read as no (comma-separated)"
            value={step.false.join(', ')}
            onValue={(text) => set({ ...step, false: listOf(text) }, `${coalesce}:false`)}
          />
        </>
      );
    case 'split':
      return (
        <>
          <DraftText
            label="Separator"
            value={step.separator}
            onValue={(separator) => set({ ...step, separator }, `${coalesce}:separator`)}
          />
          <DraftText
            label="Part to keep (1 = first)"
            value={String((step.index ?? 0) + 1)}
            onValue={(text) => {
              const n = Number(text);
              if (!/^\d+$/.test(text.trim()) || n < 1) return 'write a whole number, 1 or more';
              return set({ ...step, index: n - 1 }, `${coalesce}:index`);
            }}
          />
        </>
      );
    case 'concat':
      return (
        <DraftText
          label="Text between the joined values"
          value={step.separator ?? ''}
          onValue={(separator) => set({ ...step, separator }, `${coalesce}:separator`)}
        />
      );
    case 'regexReplace':
      return (
        <>
          <DraftText
            label="Pattern (regular expression)"
            value={step.pattern}
            onValue={(pattern) => set({ ...step, pattern }, `${coalesce}:pattern`)}
          />
          <DraftText
            label="Flags (g, i, m, s, u, y)"
            value={step.flags ?? ''}
            onValue={(flags) => {
              const { flags: _f, ...rest } = step;
              return set(flags === '' ? rest : { ...step, flags }, `${coalesce}:flags`);
            }}
          />
          <DraftText
            label="Replace with ($1 = first group)"
            value={step.replacement}
            onValue={(replacement) => set({ ...step, replacement }, `${coalesce}:replacement`)}
          />
        </>
      );
    default: {
      // a transform added to the format without controls here fails the type check
      const missing: never = step;
      return missing;
    }
  }
}

/** One step: title, controls, problems, and the buttons that move or remove it. */
export function TransformStep({
  step,
  position,
  count,
  fieldLabel,
  problems,
  set,
  move,
  remove,
  coalesce,
}: {
  step: Transform;
  /** 0-based */
  position: number;
  count: number;
  fieldLabel: string;
  problems: readonly FormatProblem[];
  set: SetStep;
  move: (to: number) => void;
  remove: () => void;
  coalesce: string;
}) {
  const title = `Step ${position + 1}: ${TRANSFORM_TITLES[step.op]}`;
  return (
    <li className={problems.length > 0 ? 'transform-step transform-step-bad' : 'transform-step'}>
      <fieldset>
        <legend>{title}</legend>
        <p className="hint">{TRANSFORMS[step.op].describe}</p>
        <div className="transform-controls">
          <TransformControls step={step} set={set} coalesce={coalesce} />
        </div>
        {problems.length > 0 && (
          <ul className="field-problems">
            {problems.map((p) => (
              <li key={`${p.path}|${p.code}`}>
                {fieldLabel}, step {position + 1} ({TRANSFORM_TITLES[step.op]}): {p.message}
              </li>
            ))}
          </ul>
        )}
        <div className="row step-buttons">
          <button
            type="button"
            disabled={position === 0}
            onClick={() => move(position - 1)}
            aria-label={`Move step ${position + 1} of ${fieldLabel} up`}
          >
            Up
          </button>
          <button
            type="button"
            disabled={position === count - 1}
            onClick={() => move(position + 1)}
            aria-label={`Move step ${position + 1} of ${fieldLabel} down`}
          >
            Down
          </button>
          <button type="button" onClick={remove} aria-label={`Remove step ${position + 1} of ${fieldLabel}`}>
            Remove
          </button>
        </div>
      </fieldset>
    </li>
  );
}
