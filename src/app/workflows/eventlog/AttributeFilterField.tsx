/**
 * The discovery filter "cases by role, system or other column": a stack of conditions, as in
 * Disco's filter stack. Each condition keeps the cases in which any of its checked values took
 * part (or leaves them out); with several, a case must meet every one. The values offered are
 * those of the log as last read (after the resource → role map), plus any the form already holds
 * (a kept map's filter, before the file is read again). Other columns are offered when they were
 * ticked to be kept in the log's columns above. The resource column is not offered: the kept map
 * holds the filter, and the project keeps roles (as the lanes name them), never the resource
 * column; people mapped to roles are filtered by their role.
 */
import { useId } from 'react';
import { formatCount, plural } from '../../common/format.ts';
import type { AttributeChoice } from './eventLogJobs.ts';

/** A kept column of the read log: its values, or none when it had too many to keep. */
interface KeptColumnValues {
  name: string;
  values: readonly string[];
  tooMany?: boolean;
}

/** The roles, systems and kept columns a read log names. */
interface AttributeValues {
  role: readonly string[];
  system: readonly string[];
  columns: readonly KeptColumnValues[];
}

/** Cases kept per condition (in the form's order) and by all of them, of the log's cases. */
interface AttributeCounts {
  each: readonly number[];
  together: number | undefined;
  of: number;
}

/** The sorted union of two lists of names (code-unit order, as the log's names). */
function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** A condition's attribute as one option value: `role`, `system` or `column:<name>`. */
function keyOf(choice: Pick<AttributeChoice, 'attribute' | 'column'>): string {
  return choice.attribute === 'column' ? `column:${choice.column ?? ''}` : choice.attribute;
}

/** What a condition is on, for its heading and the option list. */
function titleOf(choice: Pick<AttributeChoice, 'attribute' | 'column'>): string {
  return choice.attribute === 'role'
    ? 'Role or team'
    : choice.attribute === 'system'
      ? 'System used'
      : `Column “${choice.column ?? ''}”`;
}

/** The values' kind in the plural: "roles", "systems", "values of department". */
function pluralOf(choice: AttributeChoice): string {
  return choice.attribute === 'role'
    ? 'roles'
    : choice.attribute === 'system'
      ? 'systems'
      : `values of ${choice.column ?? ''}`;
}

/** One condition in words, for the kept map's note: "Only the cases with the role Lab." */
function describeAttributeChoice(choice: AttributeChoice): string {
  const one = choice.values.length === 1;
  const kind =
    choice.attribute === 'role'
      ? one
        ? 'the role'
        : 'any of the roles'
      : choice.attribute === 'system'
        ? one
          ? 'the system'
          : 'any of the systems'
        : one
          ? `the ${choice.column ?? ''}`
          : `any of the ${choice.column ?? ''} values`;
  return `${choice.keep === 'with' ? 'Only the cases with' : 'Leaving out the cases with'} ${kind} ${choice.values.join(', ')}.`;
}

/** Every condition with values, in words (empty when none filters). */
export function describeAttributeChoices(choices: readonly AttributeChoice[]): string {
  return choices
    .filter((c) => c.values.length > 0)
    .map(describeAttributeChoice)
    .join(' ');
}

/** The field (see the file header). */
export function AttributeFilterField({
  choices,
  onChoices,
  values,
  counts,
}: {
  choices: readonly AttributeChoice[];
  onChoices: (choices: AttributeChoice[]) => void;
  /** the values of the log as read; null before a discovery read it */
  values: AttributeValues | null;
  /** the counts of the result on screen, when it was measured with these conditions */
  counts?: AttributeCounts | undefined;
}) {
  const addId = useId();
  const hintId = useId();
  const options: Array<Pick<AttributeChoice, 'attribute' | 'column'>> = [
    ...((values?.role.length ?? 0) > 0 ? [{ attribute: 'role' as const }] : []),
    ...((values?.system.length ?? 0) > 0 ? [{ attribute: 'system' as const }] : []),
    ...(values?.columns ?? []).map((c) => ({ attribute: 'column' as const, column: c.name })),
  ];
  const used = new Set(choices.map(keyOf));
  const free = options.filter((o) => !used.has(keyOf(o)));
  const replace = (k: number, next: AttributeChoice) =>
    onChoices(choices.map((c, i) => (i === k ? next : c)));
  const filtering = choices.some((c) => c.values.length > 0);
  return (
    <fieldset className="attribute-filter">
      <legend>Cases by role, system or other column</legend>
      {choices.map((choice, k) => (
        <ConditionField
          key={keyOf(choice)}
          choice={choice}
          names={union(
            choice.attribute === 'column'
              ? (values?.columns.find((c) => c.name === choice.column)?.values ?? [])
              : (values?.[choice.attribute] ?? []),
            choice.values,
          )}
          tooMany={
            choice.attribute === 'column' &&
            values?.columns.find((c) => c.name === choice.column)?.tooMany === true
          }
          kept={
            counts?.each[k] === undefined ? undefined : { cases: counts.each[k] as number, of: counts.of }
          }
          onChoice={(next) => replace(k, next)}
          onRemove={() => onChoices(choices.filter((_, i) => i !== k))}
        />
      ))}
      <div className="field">
        <label htmlFor={addId}>{choices.length === 0 ? 'Filter cases by' : 'Also filter cases by'}</label>
        <select
          id={addId}
          aria-describedby={hintId}
          value=""
          disabled={free.length === 0}
          onChange={(e) => {
            const option = free.find((o) => keyOf(o) === e.target.value);
            if (option) onChoices([...choices, { ...option, values: [], keep: 'with' }]);
          }}
        >
          <option value="">{choices.length === 0 ? 'Every case' : 'Choose…'}</option>
          {free.map((o) => (
            <option key={keyOf(o)} value={keyOf(o)}>
              {titleOf(o)}
            </option>
          ))}
        </select>
        <p className="field-hint" id={hintId}>
          {values === null && choices.length === 0
            ? 'Discover the workflow first: then the roles, systems and kept columns in the log can be chosen here.'
            : options.length === 0
              ? 'The log names no role, team or system, and keeps no other column: map or tick a column above.'
              : choices.length === 0
                ? 'Keep, or leave out, the cases a role, team, system or value of a kept column took part in.'
                : 'With several conditions, a case is kept only when it meets every one.'}
        </p>
      </div>
      {choices.length > 1 && filtering && (
        <p role="status" className="field-hint attribute-together">
          {counts?.together !== undefined
            ? `All conditions together keep ${formatCount(counts.together)} of ${plural(counts.of, 'case')}.`
            : 'Counting the cases…'}
        </p>
      )}
    </fieldset>
  );
}

/** One condition of the stack. */
function ConditionField({
  choice,
  names,
  tooMany,
  kept,
  onChoice,
  onRemove,
}: {
  choice: AttributeChoice;
  names: readonly string[];
  tooMany: boolean;
  kept: { cases: number; of: number } | undefined;
  onChoice: (choice: AttributeChoice) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const checked = new Set(choice.values);
  const title = titleOf(choice);
  const toggle = (name: string, on: boolean) => {
    const next = on ? union(choice.values, [name]) : choice.values.filter((v) => v !== name);
    onChoice({ ...choice, values: next });
  };
  const kind = pluralOf(choice);
  return (
    <fieldset className="attribute-condition">
      <legend>{title}</legend>
      <fieldset className="time-mode">
        <legend className="visually-hidden">Which cases, by {title.toLowerCase()}</legend>
        <label className="radio">
          <input
            type="radio"
            name={`${id}-keep`}
            checked={choice.keep === 'with'}
            onChange={() => onChoice({ ...choice, keep: 'with' })}
          />{' '}
          Keep only the cases with any of the checked {kind}
        </label>
        <label className="radio">
          <input
            type="radio"
            name={`${id}-keep`}
            checked={choice.keep === 'without'}
            onChange={() => onChoice({ ...choice, keep: 'without' })}
          />{' '}
          Leave out the cases with any of the checked {kind}
        </label>
      </fieldset>
      {tooMany ? (
        <p className="field-hint">
          This column has more than 1,000 different values (like an id or free text), so it was not kept for
          filtering. Remove this condition, or keep a column that sorts cases into groups.
        </p>
      ) : (
        <fieldset className="time-mode attribute-values">
          <legend className="visually-hidden">{title}: values</legend>
          {names.map((name) => (
            <label className="checkbox" key={name}>
              <input
                type="checkbox"
                checked={checked.has(name)}
                onChange={(e) => toggle(name, e.target.checked)}
              />{' '}
              {name}
            </label>
          ))}
        </fieldset>
      )}
      <p role="status" className="field-hint">
        {choice.values.length === 0
          ? 'Check one or more to filter; until then this condition keeps every case.'
          : kept
            ? `${formatCount(kept.cases)} of ${plural(kept.of, 'case')} ${choice.keep === 'with' ? 'have' : 'have none of'} the checked ${kind}.`
            : 'Counting the cases…'}
      </p>
      <button type="button" className="link-button condition-remove" onClick={onRemove}>
        Remove the condition on {title.toLowerCase()}
      </button>
    </fieldset>
  );
}
