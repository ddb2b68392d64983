/**
 * Role owners (docs/product.md#readiness): per role of the workflows, today's and planned, the
 * person who speaks for its work and the stakeholders asked about it. Kept in the project's
 * settings as it is typed, so it survives a reload and travels with an export; discovery is ready
 * once every role has an owner.
 */
import { useId, useState } from 'react';
import type { Project } from '../../formats/project.ts';
import { PROJECT_ROLE_OWNERS_KEY, type RoleOwner, type RoleOwners } from '../../formats/roleOwners.ts';
import { ConflictBeside } from '../team/RecordConflict.tsx';

/** The roles of the project's workflows (their lanes), then any recorded role not among them. */
function ownerRoles(project: Project, record: RoleOwners): string[] {
  const names = new Set<string>();
  for (const w of project.workflows) for (const lane of w.lanes) names.add(lane.name);
  for (const r of record.roles) names.add(r.role);
  return [...names];
}

/** Names typed separated by commas, blanks left out. */
const names = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function OwnerRow({
  role,
  entry,
  onChange,
}: {
  role: string;
  entry: RoleOwner | undefined;
  onChange?: ((entry: RoleOwner) => void) | undefined;
}) {
  const id = useId();
  const [owner, setOwner] = useState(entry?.owner ?? '');
  const [stakeholders, setStakeholders] = useState((entry?.stakeholders ?? []).join(', '));
  const save = (nextOwner: string, nextStakeholders: string) => {
    const asked = names(nextStakeholders);
    onChange?.({
      role,
      ...(nextOwner.trim() !== '' ? { owner: nextOwner.trim() } : {}),
      ...(asked.length > 0 ? { stakeholders: asked } : {}),
    });
  };
  return (
    <li className="owner-role">
      <h4>
        {role}{' '}
        <span className={`owner-state ${entry?.owner ? 'owner-named' : 'owner-missing'}`}>
          {entry?.owner ? 'owner named' : 'no owner yet'}
        </span>
      </h4>
      <div className="training-fields">
        <div className="number-field">
          <label htmlFor={`${id}-owner`}>Owner of {role}</label>
          <input
            id={`${id}-owner`}
            value={owner}
            autoComplete="off"
            disabled={!onChange}
            onChange={(e) => {
              setOwner(e.currentTarget.value);
              save(e.currentTarget.value, stakeholders);
            }}
          />
        </div>
        <div className="number-field training-superusers">
          <label htmlFor={`${id}-stakeholders`}>Stakeholders of {role} (names, separated by commas)</label>
          <input
            id={`${id}-stakeholders`}
            value={stakeholders}
            autoComplete="off"
            disabled={!onChange}
            onChange={(e) => {
              setStakeholders(e.currentTarget.value);
              save(owner, e.currentTarget.value);
            }}
          />
        </div>
      </div>
    </li>
  );
}

export function OwnersPanel({
  project,
  record,
  onChange,
}: {
  project: Project;
  record: RoleOwners;
  /** saves the record in the project (absent: shown only) */
  onChange?: ((record: RoleOwners) => void) | undefined;
}) {
  const id = useId();
  const roles = ownerRoles(project, record);
  const putRole = (entry: RoleOwner) =>
    onChange?.({ roles: [...record.roles.filter((r) => r.role !== entry.role), entry] });
  return (
    <section
      id="role-owners"
      tabIndex={-1}
      className="card owners"
      aria-labelledby={`${id}-title`}
      data-testid="role-owners"
    >
      <h3 id={`${id}-title`}>Role owners</h3>
      <p className="hint">
        For each role in the workflows, the person who speaks for its work and the people asked about how the
        work is done. Discovery is ready once every role has an owner. Names only: no patient data.
      </p>
      <ConflictBeside kind="readiness-record" id={PROJECT_ROLE_OWNERS_KEY} what="role owners" />
      {roles.length === 0 ? (
        <p>No workflow names a role yet: add one on the Workflows screen.</p>
      ) : (
        <ul className="owner-roles" aria-label="Owners by role">
          {roles.map((role) => (
            <OwnerRow
              key={role}
              role={role}
              entry={record.roles.find((r) => r.role === role)}
              onChange={onChange ? putRole : undefined}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
