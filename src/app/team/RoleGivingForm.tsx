/**
 * A form that gives someone a role in the project (inviting someone, adding a member by e-mail):
 * its title and note, the field that names the person, the role and the day access ends
 * (RoleAndEndFields), the submit button, and what the chosen role can do (RoleGuide.tsx). Each
 * form gives its own words and what it does on submit.
 *
 * Constraints: the person's field has autofill off (a typed name or address must not be offered
 * back on a shared clinic computer); the submit button is off while the form is `busy`.
 */
import type { FormEvent, ReactNode } from 'react';
import { RoleGuide } from './RoleGuide.tsx';
import { RoleAndEndFields } from './RoleSelect.tsx';
import type { RoleAndEnd } from './useRoleAndEnd.ts';

/** The text field that names the person the role is for. */
interface PersonField {
  /** the field's id, after the form's (`${id}-${name}`) */
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
  /** an e-mail address, needed to submit */
  email?: boolean;
}

/** What {@link RoleGivingForm} shows and does. */
interface RoleGivingFormProps {
  /** the form's id (its fields' ids start with it) */
  id: string;
  title: string;
  note: ReactNode;
  person: PersonField;
  /** the role and end day (useRoleAndEnd) */
  choice: RoleAndEnd['fields'];
  roleLabel: string;
  endLabel: string;
  /** the submit button's words */
  submit: string;
  busy: boolean;
  onSubmit: (event: FormEvent) => void;
}

/** See the file header. */
export function RoleGivingForm({
  id,
  title,
  note,
  person,
  choice,
  roleLabel,
  endLabel,
  submit,
  busy,
  onSubmit,
}: RoleGivingFormProps) {
  return (
    <form className="team-form" onSubmit={onSubmit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} className="team-form-title">
        {title}
      </h3>
      <p className="team-note team-form-note">{note}</p>
      <label htmlFor={`${id}-${person.name}`}>{person.label}</label>
      <input
        id={`${id}-${person.name}`}
        className="team-input team-input-wide"
        {...(person.email ? { type: 'email', required: true } : {})}
        maxLength={person.maxLength}
        autoComplete="off"
        value={person.value}
        onChange={(e) => person.onChange(e.target.value)}
      />
      <RoleAndEndFields id={id} {...choice} roleLabel={roleLabel} endLabel={endLabel} />
      <button type="submit" className="primary" disabled={busy}>
        {submit}
      </button>
      <RoleGuide selected={choice.role} />
    </form>
  );
}
