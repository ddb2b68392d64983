import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../formats/project.ts';
import type { RoleOwners } from '../../formats/roleOwners.ts';
import { fixtureProject } from '../../formats/testing/fixtures.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import { OwnersPanel } from './OwnersPanel.tsx';

/** The panel as the Readiness screen holds it: the record in state, every change kept. */
function Harness({ kept, project }: { kept: RoleOwners[]; project: Project }) {
  const [record, setRecord] = useState<RoleOwners>({ roles: [{ role: 'Retired role', owner: 'Lee' }] });
  return (
    <OwnersPanel
      project={project}
      record={record}
      onChange={(next) => {
        kept.push(next);
        setRecord(next);
      }}
    />
  );
}

const roleItem = (role: string) =>
  within(screen.getByRole('list', { name: 'Owners by role' }))
    .getAllByRole('listitem')
    .find((li) => li.querySelector('h4')?.textContent?.startsWith(role)) as HTMLElement;

describe('OwnersPanel', () => {
  it('tells a colleague’s change made first beside the owners, by the role it concerns', () => {
    publishConflict(
      'readiness-record',
      'roleOwners',
      { roles: [{ role: 'Front desk', owner: 'Ana Diaz' }] },
      { roles: [{ role: 'Front desk', owner: 'Rosa Diaz' }] },
    );
    render(<Harness kept={[]} project={fixtureProject()} />);
    const rows = conflictBeside(
      screen.getByTestId('role-owners'),
      screen.getByRole('list', { name: 'Owners by role' }),
      'role owners',
    );
    expect(rows).toEqual([
      ['roles “Front desk”', 'role Front desk, owner Rosa Diaz', 'role Front desk, owner Ana Diaz'],
    ]);
  });

  it('lists the workflows’ roles, then a recorded role no workflow names, each with whether it has an owner', () => {
    render(<Harness kept={[]} project={fixtureProject()} />);
    const headings = within(screen.getByRole('list', { name: 'Owners by role' }))
      .getAllByRole('heading', { level: 4 })
      .map((h) => h.textContent);
    expect(headings[0]).toBe('Front desk no owner yet');
    expect(headings.at(-1)).toBe('Retired role owner named');
  });

  it('keeps the owner and the stakeholders as typed, blanks left out', async () => {
    const user = userEvent.setup();
    const kept: RoleOwners[] = [];
    render(<Harness kept={kept} project={fixtureProject()} />);
    await user.type(screen.getByLabelText('Owner of Front desk'), ' Ana Diaz ');
    await user.type(
      screen.getByLabelText('Stakeholders of Front desk (names, separated by commas)'),
      'Ben, , Chen',
    );
    expect(kept.at(-1)?.roles.find((r) => r.role === 'Front desk')).toEqual({
      role: 'Front desk',
      owner: 'Ana Diaz',
      stakeholders: ['Ben', 'Chen'],
    });
    expect(roleItem('Front desk').querySelector('h4')?.textContent).toBe('Front desk owner named');
  });

  it('says where to add a role when no workflow names one', () => {
    render(<OwnersPanel project={{ ...fixtureProject(), workflows: [] }} record={{ roles: [] }} />);
    expect(screen.getByText('No workflow names a role yet: add one on the Workflows screen.')).toBeTruthy();
  });
});
