/**
 * One field of the mapping editor: its summary line and, when open, its target path (with the
 * target's fields to pick from), where its value comes from (a column, several joined, or a fixed
 * value), whether it is required, and its transform steps. Every change is a `MappingEdit` handed
 * to `run`, which applies it through the editor's history (MappingEditor.tsx).
 */
import { useEffect, useId, useState } from 'react';
import { type MappingEdit, newTransform, TRANSFORMS } from '../../core/mapping/index.ts';
import type { FormatProblem } from '../../formats/loading.ts';
import type { FieldMapping, Transform } from '../../formats/mapping.ts';
import { plural } from '../common/format.ts';
import { TRANSFORM_TITLES, TransformStep } from './MappingTransformEditor.tsx';

const OPS = Object.keys(TRANSFORMS) as Transform['op'][];

/** The source of a field as the select's value. */
function sourceValue(field: FieldMapping): string {
  if (field.from === undefined) return 'const';
  return Array.isArray(field.from) ? 'columns' : `column:${field.from}`;
}

/** One field: a summary line, and when open its target, source, required flag and steps. */
export function FieldEditor({
  field,
  index,
  count,
  header,
  targetFields,
  problems,
  stepProblems,
  open,
  onToggle,
  run,
  onMoved,
}: {
  field: FieldMapping;
  index: number;
  count: number;
  header: readonly string[];
  targetFields: readonly string[];
  problems: readonly FormatProblem[];
  stepProblems: (step: number) => FormatProblem[];
  open: boolean;
  onToggle: (open: boolean) => void;
  run: (edit: MappingEdit, coalesce?: string) => string | null;
  onMoved: (index: number) => void;
}) {
  const id = useId();
  const [targetText, setTargetText] = useState(field.target);
  const [targetRefusal, setTargetRefusal] = useState<string | null>(null);
  const [addOp, setAddOp] = useState<Transform['op']>('trim');
  useEffect(() => {
    setTargetText(field.target);
    setTargetRefusal(null);
  }, [field.target]);
  const steps = field.transform ?? [];
  const label = `Field ${field.target}`;
  const columns = Array.isArray(field.from) ? field.from : [];
  const source =
    field.from === undefined
      ? `constant ${field.const === null || field.const === '' ? '(empty)' : JSON.stringify(field.const)}`
      : Array.isArray(field.from)
        ? field.from.join(' + ')
        : field.from;
  const bad = problems.length > 0 || steps.some((_, k) => stepProblems(k).length > 0);
  const columnOptions = [...new Set([...(typeof field.from === 'string' ? [field.from] : []), ...header])];
  return (
    <details
      className={bad ? 'mapping-field mapping-field-bad' : 'mapping-field'}
      open={open}
      onToggle={(e) => onToggle(e.currentTarget.open)}
    >
      <summary>
        <strong>{field.target}</strong> ← {source}
        {steps.length > 0 ? ` · ${plural(steps.length, 'step')}` : ''}
        {field.required ? ' · required' : ''}
        {bad ? <span className="field-error"> · needs attention</span> : null}
      </summary>
      {open && (
        <div className="mapping-field-body">
          <div className="field-grid">
            <label htmlFor={`${id}-target`}>Target field</label>
            <div>
              <input
                autoComplete="off"
                id={`${id}-target`}
                type="text"
                list={targetFields.length > 0 ? `${id}-targets` : undefined}
                value={targetText}
                spellCheck={false}
                aria-invalid={targetRefusal !== null}
                onChange={(e) => {
                  const text = e.currentTarget.value;
                  setTargetText(text);
                  setTargetRefusal(
                    run({ type: 'field/target', index, target: text }, `field:${index}:target`),
                  );
                }}
              />
              {targetFields.length > 0 && (
                <datalist id={`${id}-targets`}>
                  {targetFields.map((path) => (
                    <option key={path} value={path} />
                  ))}
                </datalist>
              )}
            </div>
            <label htmlFor={`${id}-source`}>Comes from</label>
            <select
              id={`${id}-source`}
              value={sourceValue(field)}
              onChange={(e) => {
                const value = e.currentTarget.value;
                if (value === 'const')
                  run({ type: 'field/source', index, source: { kind: 'const', value: '' } });
                else if (value === 'columns')
                  run({
                    type: 'field/source',
                    index,
                    source: {
                      kind: 'columns',
                      columns: [
                        typeof field.from === 'string' ? field.from : (header[0] ?? 'column'),
                        header[1] ?? 'column',
                      ],
                    },
                  });
                else
                  run({
                    type: 'field/source',
                    index,
                    source: { kind: 'column', column: value.slice('column:'.length) },
                  });
              }}
            >
              {columnOptions.map((c) => (
                <option key={c} value={`column:${c}`}>
                  column {c}
                  {header.includes(c) ? '' : ' (not in the file)'}
                </option>
              ))}
              <option value="columns">several columns, joined</option>
              <option value="const">a fixed value</option>
            </select>
            {field.from === undefined && <ConstantEditor field={field} index={index} run={run} />}
            <label htmlFor={`${id}-required`}>Required</label>
            <span>
              <input
                id={`${id}-required`}
                type="checkbox"
                aria-describedby={`${id}-required-hint`}
                checked={field.required === true}
                onChange={(e) => run({ type: 'field/required', index, required: e.currentTarget.checked })}
              />{' '}
              <span className="hint" id={`${id}-required-hint`}>
                an empty result is a problem of the row
              </span>
            </span>
          </div>
          {targetRefusal && <p className="field-error">Not saved: {targetRefusal}</p>}
          {Array.isArray(field.from) && (
            <fieldset>
              <legend>Columns joined, in order</legend>
              <ol>
                {columns.map((c, k) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: positional columns
                  <li key={k}>
                    <select
                      aria-label={`Column ${k + 1} of ${label}`}
                      value={c}
                      onChange={(e) =>
                        run({
                          type: 'field/source',
                          index,
                          source: { kind: 'columns', columns: columns.with(k, e.currentTarget.value) },
                        })
                      }
                    >
                      {[...new Set([c, ...header])].map((h) => (
                        <option key={h} value={h}>
                          {h}
                        </option>
                      ))}
                    </select>{' '}
                    <button
                      type="button"
                      disabled={columns.length <= 1}
                      onClick={() =>
                        run({
                          type: 'field/source',
                          index,
                          source: { kind: 'columns', columns: columns.toSpliced(k, 1) },
                        })
                      }
                    >
                      Remove column {k + 1}
                    </button>
                  </li>
                ))}
              </ol>
              <button
                type="button"
                onClick={() =>
                  run({
                    type: 'field/source',
                    index,
                    source: { kind: 'columns', columns: [...columns, header[0] ?? 'column'] },
                  })
                }
              >
                Add a column
              </button>
            </fieldset>
          )}
          {problems.length > 0 && (
            <ul className="field-problems">
              {problems.map((p) => (
                <li key={`${p.path}|${p.code}`}>
                  {label}: {p.message}
                </li>
              ))}
            </ul>
          )}
          {field.from !== undefined && (
            <>
              <h5>Transforms, applied in order</h5>
              {steps.length === 0 && <p className="hint">None: the value is copied as written.</p>}
              <ol className="transform-steps">
                {steps.map((step, k) => (
                  <TransformStep
                    // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional, as the edits are
                    key={k}
                    step={step}
                    position={k}
                    count={steps.length}
                    fieldLabel={label}
                    problems={stepProblems(k)}
                    coalesce={`field:${index}:step:${k}`}
                    set={(transform, coalesce) =>
                      run({ type: 'transform/set', index, step: k, transform }, coalesce || undefined)
                    }
                    move={(to) => run({ type: 'transform/move', index, from: k, to })}
                    remove={() => run({ type: 'transform/remove', index, step: k })}
                  />
                ))}
              </ol>
              <div className="row">
                <label htmlFor={`${id}-add-op`}>New step</label>
                <select
                  id={`${id}-add-op`}
                  value={addOp}
                  onChange={(e) => setAddOp(e.currentTarget.value as Transform['op'])}
                >
                  {OPS.map((op) => (
                    <option key={op} value={op}>
                      {TRANSFORM_TITLES[op]}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  onClick={() => run({ type: 'transform/add', index, transform: newTransform(addOp) })}
                >
                  Add step to {field.target}
                </button>
              </div>
            </>
          )}
          <div className="row">
            <button
              type="button"
              disabled={index === 0}
              onClick={() =>
                run({ type: 'field/move', from: index, to: index - 1 }) === null && onMoved(index - 1)
              }
            >
              Move {field.target} up
            </button>
            <button
              type="button"
              disabled={index === count - 1}
              onClick={() =>
                run({ type: 'field/move', from: index, to: index + 1 }) === null && onMoved(index + 1)
              }
            >
              Move {field.target} down
            </button>
            <button type="button" onClick={() => run({ type: 'field/remove', index })}>
              Remove {field.target}
            </button>
          </div>
        </div>
      )}
    </details>
  );
}

type ConstKind = 'text' | 'number' | 'true' | 'false' | 'empty';

/** The value of a constant field, by kind. */
function ConstantEditor({
  field,
  index,
  run,
}: {
  field: FieldMapping;
  index: number;
  run: (edit: MappingEdit, coalesce?: string) => string | null;
}) {
  const id = useId();
  const value = field.const ?? null;
  const kind: ConstKind =
    value === null
      ? 'empty'
      : value === true
        ? 'true'
        : value === false
          ? 'false'
          : typeof value === 'number'
            ? 'number'
            : 'text';
  const [text, setText] = useState(kind === 'text' || kind === 'number' ? String(value) : '');
  const [refusal, setRefusal] = useState<string | null>(null);
  useEffect(() => {
    if (typeof value === 'string' || typeof value === 'number') setText(String(value));
  }, [value]);
  const set = (v: string | number | boolean | null, coalesce?: string) =>
    run({ type: 'field/source', index, source: { kind: 'const', value: v } }, coalesce);
  return (
    <>
      <label htmlFor={`${id}-kind`}>Fixed value is</label>
      <select
        id={`${id}-kind`}
        value={kind}
        onChange={(e) => {
          const next = e.currentTarget.value as ConstKind;
          setRefusal(null);
          if (next === 'text') set(text);
          else if (next === 'number')
            set(Number.isFinite(Number(text)) && text.trim() !== '' ? Number(text) : 0);
          else set(next === 'true' ? true : next === 'false' ? false : null);
        }}
      >
        <option value="text">text</option>
        <option value="number">a number</option>
        <option value="true">true</option>
        <option value="false">false</option>
        <option value="empty">empty</option>
      </select>
      {(kind === 'text' || kind === 'number') && (
        <>
          <label htmlFor={`${id}-value`}>Fixed value</label>
          <div>
            <input
              autoComplete="off"
              id={`${id}-value`}
              type="text"
              inputMode={kind === 'number' ? 'decimal' : undefined}
              value={text}
              aria-invalid={refusal !== null}
              onChange={(e) => {
                const next = e.currentTarget.value;
                setText(next);
                if (kind === 'number') {
                  const n = Number(next);
                  if (next.trim() === '' || !Number.isFinite(n)) {
                    setRefusal('write a number, such as 12 or 4.5');
                    return;
                  }
                  setRefusal(null);
                  set(n, `field:${index}:const`);
                } else set(next, `field:${index}:const`);
              }}
            />
            {refusal && <span className="field-error"> Not saved: {refusal}</span>}
          </div>
        </>
      )}
    </>
  );
}
