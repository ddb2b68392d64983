/**
 * The discovery filter "cases by role or system": keep the cases in which any of the checked roles
 * (lanes) or systems took part, or leave them out, as Disco's attribute filter does. The values
 * offered are those of the log as last read (after the resource → role map), plus any the form
 * already holds (a kept map's filter, before the file is read again). The resource column is not
 * offered: the kept map holds the filter, and the project keeps roles (as the lanes name them),
 * never the resource column; people mapped to roles are filtered by their role.
 */
import { useId } from 'react';
import { formatCount, plural } from '../../common/format.ts';
import type { AttributeChoice } from './eventLogJobs.ts';

/** The roles and systems a read log names. */
export interface AttributeValues {
  role: readonly string[];
  system: readonly string[];
}

const ATTRIBUTE_LABELS: Record<AttributeChoice['attribute'], { select: string; plural: string }> = {
  role: { select: 'Role or team', plural: 'roles' },
  system: { select: 'System used', plural: 'systems' },
};

/** The sorted union of two lists of names (code-unit order, as the log's names). */
function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** The filter in words, for the kept map's note: "Only the cases with the role Lab." */
export function describeAttributeChoice(choice: AttributeChoice): string {
  const kind =
    choice.attribute === 'role'
      ? choice.values.length === 1
        ? 'the role'
        : 'any of the roles'
      : choice.values.length === 1
        ? 'the system'
        : 'any of the systems';
  return `${choice.keep === 'with' ? 'Only the cases with' : 'Leaving out the cases with'} ${kind} ${choice.values.join(', ')}.`;
}

/** The field (see the file header). */
export function AttributeFilterField({
  choice,
  onChoice,
  values,
  kept,
}: {
  choice: AttributeChoice | undefined;
  /** undefined: every case */
  onChoice: (choice: AttributeChoice | undefined) => void;
  /** the values of the log as read; null before a discovery read it */
  values: AttributeValues | null;
  /** cases this filter kept, of the cases before it, in the result on screen */
  kept?: { cases: number; of: number } | undefined;
}) {
  const selectId = useId();
  const hintId = useId();
  const offered = (['role', 'system'] as const).filter(
    (a) => (values?.[a].length ?? 0) > 0 || choice?.attribute === a,
  );
  const names = choice ? union(values?.[choice.attribute] ?? [], choice.values) : [];
  const checked = new Set(choice?.values ?? []);
  const toggle = (name: string, on: boolean) => {
    if (!choice) return;
    const next = on ? union(choice.values, [name]) : choice.values.filter((v) => v !== name);
    onChoice({ ...choice, values: next });
  };
  return (
    <fieldset className="attribute-filter">
      <legend>Cases by role or system</legend>
      <div className="field">
        <label htmlFor={selectId}>Filter cases by</label>
        <select
          id={selectId}
          aria-describedby={hintId}
          value={choice?.attribute ?? ''}
          disabled={offered.length === 0}
          onChange={(e) => {
            const attribute = e.target.value;
            onChoice(
              attribute === 'role' || attribute === 'system'
                ? { attribute, values: [], keep: 'with' }
                : undefined,
            );
          }}
        >
          <option value="">Every case</option>
          {offered.map((a) => (
            <option key={a} value={a}>
              {ATTRIBUTE_LABELS[a].select}
            </option>
          ))}
        </select>
        <p className="field-hint" id={hintId}>
          {values === null && !choice
            ? 'Discover the workflow first: then the roles and systems in the log can be chosen here.'
            : offered.length === 0
              ? 'The log names no role, team or system: map a column to them above.'
              : choice?.attribute === 'role'
                ? 'A case counts when anyone in a checked role or team did part of it.'
                : choice?.attribute === 'system'
                  ? 'A case counts when part of it was done in a checked system.'
                  : 'Keep, or leave out, the cases a role, team or system took part in.'}
        </p>
      </div>
      {choice && (
        <>
          <fieldset className="time-mode">
            <legend>Which cases</legend>
            <label className="radio">
              <input
                type="radio"
                name={`${selectId}-keep`}
                checked={choice.keep === 'with'}
                onChange={() => onChoice({ ...choice, keep: 'with' })}
              />{' '}
              Keep only the cases with any of the checked {ATTRIBUTE_LABELS[choice.attribute].plural}
            </label>
            <label className="radio">
              <input
                type="radio"
                name={`${selectId}-keep`}
                checked={choice.keep === 'without'}
                onChange={() => onChoice({ ...choice, keep: 'without' })}
              />{' '}
              Leave out the cases with any of the checked {ATTRIBUTE_LABELS[choice.attribute].plural}
            </label>
          </fieldset>
          <fieldset className="time-mode attribute-values">
            <legend>{choice.attribute === 'role' ? 'Roles or teams' : 'Systems'}</legend>
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
          <p role="status" className="field-hint">
            {choice.values.length === 0
              ? 'Check one or more to filter; until then every case is kept.'
              : kept
                ? `${formatCount(kept.cases)} of ${plural(kept.of, 'case')} ${choice.keep === 'with' ? 'have' : 'have none of'} the checked ${ATTRIBUTE_LABELS[choice.attribute].plural}.`
                : 'Counting the cases…'}
          </p>
        </>
      )}
    </fieldset>
  );
}
