/**
 * The parts the readiness forms build their editable lists from (the runbook, the command centre,
 * the communication plan, partners, rehearsals, the meeting): a scrolling table with its column
 * names, a row's text, date and done cells, each named for its row so a screen reader (and a test)
 * finds it, and the buttons that add or remove a row. Each is disabled, or left out, where the form
 * is shown only.
 */
import type { ReactNode } from 'react';
import { withNewRow } from './recordEdits.ts';

/** A table of rows under `heads`; `removable` adds a last, unnamed column for the remove buttons. */
export function RecordTable({
  className,
  heads,
  removable = false,
  children,
}: {
  className: string;
  heads: readonly string[];
  removable?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table className={className}>
        <thead>
          <tr>
            {heads.map((head) => (
              <th key={head} scope="col">
                {head}
              </th>
            ))}
            {removable && (
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A text field named `label`, the text as typed given to `onText`. */
export function TextInput({
  label,
  value,
  disabled,
  placeholder,
  onText,
}: {
  label: string;
  value: string;
  disabled: boolean;
  placeholder?: string;
  onText: (text: string) => void;
}) {
  return (
    <input
      aria-label={label}
      value={value}
      disabled={disabled}
      autoComplete="off"
      {...(placeholder === undefined ? {} : { placeholder })}
      onChange={(e) => onText(e.currentTarget.value)}
    />
  );
}

/** A table cell holding a `TextInput`, and after it whatever `children` say of the row. */
export function TextCell({ children, ...input }: Parameters<typeof TextInput>[0] & { children?: ReactNode }) {
  return (
    <td>
      <TextInput {...input} />
      {children}
    </td>
  );
}

/** A date field named `label` (a day, or a day and a time); cleared, it gives `''`. */
export function DateInput({
  label,
  value,
  disabled,
  withTime = false,
  onDate,
}: {
  label: string;
  value: string;
  disabled: boolean;
  withTime?: boolean;
  onDate: (date: string) => void;
}) {
  return (
    <input
      aria-label={label}
      autoComplete="off"
      type={withTime ? 'datetime-local' : 'date'}
      value={value}
      disabled={disabled}
      onChange={(e) => onDate(e.currentTarget.value)}
    />
  );
}

/** A table cell holding a `DateInput`. */
export function DateCell(props: Parameters<typeof DateInput>[0]) {
  return (
    <td>
      <DateInput {...props} />
    </td>
  );
}

/** A table cell holding a checkbox named `label`. */
export function CheckCell({
  label,
  checked,
  disabled,
  onCheck,
}: {
  label: string;
  checked: boolean;
  disabled: boolean;
  onCheck: (checked: boolean) => void;
}) {
  return (
    <td>
      <input
        aria-label={label}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onCheck(e.currentTarget.checked)}
      />
    </td>
  );
}

/** The last cell of a removable row: its remove button, named `label`, where the form is editable. */
export function RemoveCell({ label, onRemove }: { label: string; onRemove: (() => void) | undefined }) {
  return (
    <td>
      {onRemove && (
        <button type="button" className="link-button" aria-label={label} onClick={onRemove}>
          Remove
        </button>
      )}
    </td>
  );
}

/** A button that adds a row: left out without `onAdd` (the form is shown only). */
export function AddRowButton({
  onAdd,
  disabled,
  children,
}: {
  onAdd: (() => void) | undefined;
  disabled?: boolean;
  children: ReactNode;
}) {
  if (!onAdd) return null;
  return (
    <button type="button" onClick={onAdd} {...(disabled === undefined ? {} : { disabled })}>
      {children}
    </button>
  );
}

/**
 * The button that adds a row to `rows` — made by `make` from an id none of them has
 * (`${prefix}-n`) — and saves them all with `onSave`; no button when `onSave` is absent (the
 * record is read-only, or a row cannot be made yet).
 */
export function AddNewRowButton<T extends { id: string }>({
  rows,
  prefix,
  make,
  onSave,
  children,
}: {
  rows: readonly T[];
  prefix: string;
  make: (id: string) => T;
  onSave: ((rows: T[]) => void) | undefined;
  children: ReactNode;
}) {
  return (
    <AddRowButton onAdd={onSave && (() => onSave(withNewRow(rows, prefix, make)))}>{children}</AddRowButton>
  );
}
