/**
 * "What each role can do" beside the role picker: folded until asked, reached and opened from the
 * keyboard, the core's table in the clinic's words with the chosen role's column marked for the
 * eye and for a screen reader, and the chosen role's own list for a phone.
 */
import { render, screen, within } from '@testing-library/react';
import userEventBase from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RoleGuide } from './RoleGuide.tsx';

const userEvent = userEventBase.setup({ delay: null });

/** The cell of the row `action` (its words) under the column `role` (its label). */
function cell(table: HTMLElement, action: string, role: string): HTMLElement {
  const headers = within(table).getAllByRole('columnheader');
  const column = headers.findIndex((h) => h.textContent?.replace(' (chosen)', '') === role);
  const row = within(table).getByRole('rowheader', { name: action }).closest('tr') as HTMLElement;
  return row.children[column] as HTMLElement;
}

describe('RoleGuide', () => {
  it('is folded until opened from the keyboard, and says whose role it is for', async () => {
    render(<RoleGuide selected="analyst" who="Ana Lyst" />);
    const toggle = screen.getByRole('button', {
      name: 'What each role can do (choosing the role of Ana Lyst)',
    });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('table')).toBeNull();
    await userEvent.tab();
    expect(document.activeElement).toBe(toggle);
    await userEvent.keyboard('{Enter}');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(document.getElementById(toggle.getAttribute('aria-controls') ?? '')).not.toBeNull();
    expect(screen.getByRole('table', { name: /What each role can do in this project/ })).toBeTruthy();
    await userEvent.keyboard(' ');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows the core table in the clinic’s words, the chosen role’s column highlighted', async () => {
    render(<RoleGuide selected="data" />);
    await userEvent.click(screen.getByRole('button', { name: 'What each role can do' }));
    const table = screen.getByRole('table', {
      name: 'What each role can do in this project; Data team, the role chosen here, is highlighted',
    });
    const known: [string, string, 'yes' | 'no'][] = [
      ['Rename this project', 'Lead', 'yes'],
      ['Rename this project', 'Analyst', 'no'],
      ['Record this project’s steering decisions', 'Steering committee', 'yes'],
      ['Record this project’s steering decisions', 'Lead', 'no'],
      ['See the results of this project’s samples', 'Clinician reviewer', 'no'],
      ['See the results of this project’s samples', 'Viewer', 'yes'],
      ['Review sampled records', 'Clinician reviewer', 'yes'],
    ];
    for (const [action, role, said] of known) expect(cell(table, action, role).textContent).toContain(said);

    const headers = within(table).getAllByRole('columnheader');
    const chosen = headers.filter((h) => h.classList.contains('role-guide-chosen'));
    expect(chosen.map((h) => h.textContent)).toEqual(['Data team (chosen)']);
    const column = headers.indexOf(chosen[0] as HTMLElement);
    for (const row of within(table).getAllByRole('row').slice(1))
      [...row.children].forEach((c, i) => {
        expect(c.classList.contains('role-guide-chosen'), `${row.textContent} column ${i}`).toBe(
          i === column,
        );
      });
  });

  it('lists what the chosen role can and cannot do, for a phone', async () => {
    render(<RoleGuide selected="reviewer" />);
    await userEvent.click(screen.getByRole('button', { name: 'What each role can do' }));
    const can = within(screen.getByRole('list', { name: 'Clinician reviewer can' }));
    const cannot = within(screen.getByRole('list', { name: 'Clinician reviewer cannot' }));
    expect(can.getByText('Review sampled records')).toBeTruthy();
    expect(cannot.getByText('See the results of this project’s samples')).toBeTruthy();
    expect(cannot.queryByText('Review sampled records')).toBeNull();
  });
});
