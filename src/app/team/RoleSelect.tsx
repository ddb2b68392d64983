/**
 * The one role picker of the team screens (adding a member, changing a member's role, inviting
 * someone): every project role, in the role table's order, under the words the clinic reads.
 * Each form that holds it shows what the chosen role can do beside it (RoleGuide.tsx).
 */
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
