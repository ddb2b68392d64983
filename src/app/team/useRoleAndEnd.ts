/**
 * The role and end day a form that gives someone a role holds (inviting someone, adding a member):
 * what its fields show and change ({@link RoleAndEnd.fields}, for RoleEndAndSubmit), and what the
 * form sends: the role, and the day access ends or `null` for none.
 */
import { useState } from 'react';
import type { TeamRole } from './teamClient.ts';

/** What {@link useRoleAndEnd} gives its form. */
export interface RoleAndEnd {
  /** the fields' values and changes, spread on RoleEndAndSubmit */
  fields: { role: TeamRole; onRole: (role: TeamRole) => void; end: string; onEnd: (end: string) => void };
  /** what the form sends: the role and the day access ends (`null`: no end) */
  chosen: { role: TeamRole; expiresOn: string | null };
  /** empties the end day, once what was typed has been sent */
  clearEnd: () => void;
}

/** The role (starting at `initial`) and the end day of one form; see the file header. */
export function useRoleAndEnd(initial: TeamRole): RoleAndEnd {
  const [role, setRole] = useState<TeamRole>(initial);
  const [end, setEnd] = useState('');
  return {
    fields: { role, onRole: setRole, end, onEnd: setEnd },
    chosen: { role, expiresOn: end === '' ? null : end },
    clearEnd: () => setEnd(''),
  };
}
