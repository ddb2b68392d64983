/**
 * The tabs' keyboard map (WAI-ARIA tabs pattern) and who owns the choice: arrow keys, Home and End
 * move between tabs and replace the address's entry; a click is a new entry; the selected tab alone
 * takes the Tab key, or the first one when the address names a tab this place does not have.
 */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { type TabItem, Tabs } from './Tabs.tsx';

type Tab = 'decision' | 'phases' | 'gates';
const TABS: readonly TabItem<Tab>[] = [
  { id: 'decision', label: 'Decision' },
  { id: 'phases', label: 'Phases' },
  { id: 'gates', label: 'Gates' },
];

/** The tabs as a workspace holds them: the choice in state (the address, in the app), every move kept. */
function Harness({ moves, initial = 'decision' }: { moves: string[]; initial?: Tab | null }) {
  const [selected, setSelected] = useState<Tab | null>(initial);
  return (
    <Tabs
      label="Readiness"
      tabs={TABS}
      selected={selected}
      onSelect={(id, { replace }) => {
        moves.push(`${id}${replace ? ' (replace)' : ''}`);
        setSelected(id);
      }}
    >
      <p>Panel of {selected ?? 'no tab'}</p>
    </Tabs>
  );
}

const tab = (name: string) => screen.getByRole('tab', { name });

describe('Tabs', () => {
  it('moves with the arrow keys, Home and End, wrapping round, each move replacing the entry', async () => {
    const moves: string[] = [];
    render(<Harness moves={moves} />);
    tab('Decision').focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(tab('Phases'));
    expect(tab('Phases').getAttribute('aria-selected')).toBe('true');
    await userEvent.keyboard('{End}');
    expect(document.activeElement).toBe(tab('Gates'));
    await userEvent.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(tab('Decision'));
    await userEvent.keyboard('{ArrowLeft}');
    expect(document.activeElement).toBe(tab('Gates'));
    await userEvent.keyboard('{Home}');
    expect(document.activeElement).toBe(tab('Decision'));
    expect(moves).toEqual([
      'phases (replace)',
      'gates (replace)',
      'decision (replace)',
      'gates (replace)',
      'decision (replace)',
    ]);
  });

  it('a click is a new entry, and the panel is labelled by the selected tab', async () => {
    const moves: string[] = [];
    render(<Harness moves={moves} />);
    await userEvent.click(tab('Gates'));
    expect(moves).toEqual(['gates']);
    const panel = screen.getByRole('tabpanel', { name: 'Gates' });
    expect(panel.textContent).toBe('Panel of gates');
    expect(screen.getByRole('tablist', { name: 'Readiness' })).toBeTruthy();
  });

  it('only the selected tab takes the Tab key; the first when none is selected', () => {
    const { unmount } = render(<Harness moves={[]} initial="phases" />);
    expect(TABS.map((t) => tab(t.label).tabIndex)).toEqual([-1, 0, -1]);
    unmount();
    render(<Harness moves={[]} initial={null} />);
    expect(TABS.map((t) => tab(t.label).tabIndex)).toEqual([0, -1, -1]);
    // the caller says why no tab is selected: no panel claims a tab
    expect(screen.queryByRole('tabpanel')).toBeNull();
    expect(screen.getByText('Panel of no tab')).toBeTruthy();
  });
});
