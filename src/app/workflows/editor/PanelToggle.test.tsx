import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { PanelToggle } from './PanelToggle.tsx';
import { EDITOR_PANELS_KEY, useEditorPanels } from './useEditorPanels.ts';

/** The editor's two side panels as it wires them: a toggle each, the body only while shown. */
function Panels() {
  const [panels, setPanels] = useEditorPanels();
  return (
    <>
      <aside aria-label="Add to the workflow">
        <PanelToggle
          shown={panels.palette}
          name="Add steps"
          controls="side-body"
          onToggle={(shown) => setPanels({ palette: shown })}
        />
        {panels.palette && <p id="side-body">Step kinds</p>}
      </aside>
      <aside aria-label="Inspector">
        <PanelToggle
          shown={panels.inspector}
          name="Details"
          controls="inspector-body"
          onToggle={(shown) => setPanels({ inspector: shown })}
        />
        {panels.inspector && <p id="inspector-body">Step fields</p>}
      </aside>
    </>
  );
}

afterEach(() => {
  localStorage.clear();
});

describe("the editor's side panels", () => {
  it('are shown at first; Hide leaves a rail whose button shows the panel again', async () => {
    const { unmount } = render(<Panels />);
    expect(screen.getByText('Step kinds')).toBeTruthy();
    const hide = screen.getByRole('button', { name: 'Hide add steps' });
    expect(hide.getAttribute('aria-expanded')).toBe('true');
    expect(hide.getAttribute('aria-controls')).toBe('side-body');
    await userEvent.click(hide);
    expect(screen.queryByText('Step kinds')).toBeNull();
    const show = screen.getByRole('button', { name: 'Show add steps' });
    expect(show.getAttribute('aria-expanded')).toBe('false');
    // the rail names the panel it shows, in words (the accessible name holds them)
    expect(show.textContent).toBe('Add steps');
    await userEvent.click(show);
    expect(screen.getByText('Step kinds')).toBeTruthy();
    unmount();
  });

  it('remember what was hidden the next time the editor opens, each panel on its own', async () => {
    const first = render(<Panels />);
    await userEvent.click(screen.getByRole('button', { name: 'Hide details' }));
    first.unmount();
    render(<Panels />);
    expect(screen.queryByText('Step fields')).toBeNull();
    expect(screen.getByRole('button', { name: 'Show details' })).toBeTruthy();
    expect(screen.getByText('Step kinds')).toBeTruthy();
  });

  it('show both panels when what was remembered is damaged', () => {
    localStorage.setItem(EDITOR_PANELS_KEY, '{not json');
    render(<Panels />);
    expect(screen.getByText('Step kinds')).toBeTruthy();
    expect(screen.getByText('Step fields')).toBeTruthy();
  });
});
