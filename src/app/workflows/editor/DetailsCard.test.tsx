/**
 * The details card: with nothing selected it is one line, "Workflow settings", that unfolds the
 * workflow's own fields; with a selection it shows the selection's details at once; "Hide
 * details" still hides it whole.
 */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { DetailsCard } from './DetailsCard.tsx';

function Card(props: { nothingSelected: boolean; readOnly?: boolean }) {
  const [shown, setShown] = useState(true);
  return (
    <DetailsCard
      shown={shown}
      onToggle={setShown}
      nothingSelected={props.nothingSelected}
      readOnly={props.readOnly ?? false}
    >
      <label>
        Name <input defaultValue="Patient intake" />
      </label>
    </DetailsCard>
  );
}

const card = () => screen.getByRole('complementary', { name: 'Inspector' });

afterEach(() => {
  localStorage.clear();
});

describe('the details card', () => {
  it('is one folded line with nothing selected, and unfolds the workflow settings on request', async () => {
    const user = userEvent.setup();
    render(<Card nothingSelected />);
    const toggle = screen.getByRole('button', { name: 'Workflow settings' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('textbox', { name: 'Name' })).toBeNull();
    expect(card().classList.contains('wf-inspector-folded')).toBe(true);
    // keyboard order: the settings line, then Hide
    await user.tab();
    expect(document.activeElement).toBe(toggle);
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Hide details' }));

    // the line is the settings' heading, a disclosure inside it
    expect(screen.getByRole('heading', { level: 3, name: 'Workflow settings' }).contains(toggle)).toBe(true);

    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.getAttribute('aria-controls')).toBe('wf-inspector-body');
    expect(document.getElementById('wf-inspector-body')?.contains(screen.getByRole('textbox'))).toBe(true);
    expect(card().classList.contains('wf-inspector-folded')).toBe(false);
    // then the fields, after the settings line and Hide
    await user.tab();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Name' }));

    await user.click(toggle);
    expect(screen.queryByRole('textbox', { name: 'Name' })).toBeNull();
  });

  it("shows a selection's details at once, with no settings line", () => {
    render(<Card nothingSelected={false} />);
    expect(screen.queryByRole('button', { name: 'Workflow settings' })).toBeNull();
    expect(screen.getByRole('textbox', { name: 'Name' })).toBeTruthy();
    expect(card().classList.contains('wf-inspector-folded')).toBe(false);
  });

  it('keeps the choice to unfold the settings when a selection comes and goes', async () => {
    const user = userEvent.setup();
    const { rerender } = render(<Card nothingSelected />);
    await user.click(screen.getByRole('button', { name: 'Workflow settings' }));
    rerender(<Card nothingSelected={false} />);
    rerender(<Card nothingSelected />);
    expect(screen.getByRole('textbox', { name: 'Name' })).toBeTruthy();
  });

  it('hides whole with "Hide details", folded or not, and shows the settings line again after', async () => {
    const user = userEvent.setup();
    render(<Card nothingSelected />);
    await user.click(screen.getByRole('button', { name: 'Hide details' }));
    expect(screen.queryByRole('button', { name: 'Workflow settings' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Show details' }));
    expect(screen.getByRole('button', { name: 'Workflow settings' }).getAttribute('aria-expanded')).toBe(
      'false',
    );
  });

  it('shows read-only settings disabled, once unfolded', async () => {
    const user = userEvent.setup();
    render(<Card nothingSelected readOnly />);
    await user.click(screen.getByRole('button', { name: 'Workflow settings' }));
    expect(screen.getByRole('textbox', { name: 'Name' }).closest('fieldset')?.disabled).toBe(true);
    // the settings line itself stays usable: it is outside the disabled fieldset
    expect((screen.getByRole('button', { name: 'Workflow settings' }) as HTMLButtonElement).disabled).toBe(
      false,
    );
    expect(screen.getByRole('button', { name: 'Workflow settings' }).closest('fieldset')).toBeNull();
  });
});
