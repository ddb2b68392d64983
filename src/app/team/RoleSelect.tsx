/**
 * The one role picker of the team screens (adding a member, changing a member's role, inviting
 * someone): every project role, in the role table's order, under the words the clinic reads.
 * Each form that holds it shows what the chosen role can do beside it (RoleGuide.tsx).
 */
import type { ReactNode } from 'react';
import { ROLES } from '../../core/teamApi/index.ts';
import { ROLE_LABELS, type TeamRole } from './teamClient.ts';

/** A `<select>` of the project roles; its label is the caller's (`<label htmlFor={id}>`). */
export function RoleSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: TeamRole;
  onChange: (role: TeamRole) => void;
}) {
  return (
    <select
      id={id}
      className="team-input"
      value={value}
      onChange={(e) => onChange(e.target.value as TeamRole)}
    >
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {ROLE_LABELS[r]}
        </option>
      ))}
    </select>
  );
}

/**
 * A person's role and the day their access ends (optional), as each team form asks them: the
 * role picker and a date field, labelled by the caller's words (`${id}-role`, `${id}-end`).
 */
export function RoleAndEndFields({
  id,
  role,
  onRole,
  end,
  onEnd,
  roleLabel,
  endLabel,
}: {
  id: string;
  role: TeamRole;
  onRole: (role: TeamRole) => void;
  /** the day access ends, as the date field holds it ('' for none) */
  end: string;
  onEnd: (end: string) => void;
  roleLabel: ReactNode;
  endLabel: ReactNode;
}) {
  return (
    <>
      <label htmlFor={`${id}-role`}>{roleLabel}</label>
      <RoleSelect id={`${id}-role`} value={role} onChange={onRole} />
      <label htmlFor={`${id}-end`}>{endLabel}</label>
      <input
        id={`${id}-end`}
        className="team-input"
        type="date"
        value={end}
        onChange={(e) => onEnd(e.target.value)}
      />
    </>
  );
}
