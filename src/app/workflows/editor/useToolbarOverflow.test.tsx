import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useRef, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ToolbarItem, ToolbarMore, useToolbarOverflow } from './useToolbarOverflow.tsx';

/** Six 100 px buttons with a separator after the second, in a row as wide as `width` says. */
function Row({ pressed }: { pressed: string[] }) {
  const row = useRef<HTMLDivElement>(null);
  const items: ToolbarItem[] = [
    'Undo',
    'Redo',
    '|',
    'Zoom to fit',
    'Arrange',
    'Download SVG',
    'Export BPMN',
  ].map((name) =>
    name === '|'
      ? { key: 'sep', separator: true }
      : {
          key: name,
          node: (
            <button type="button" onClick={() => pressed.push(name)}>
              {name}
            </button>
          ),
        },
  );
  const { inRow, overflow } = useToolbarOverflow(row, items);
  const [note] = useState('');
  return (
    <div role="toolbar" aria-label="Editor" className="wf-toolbar" ref={row} data-note={note}>
      {inRow.map((item) =>
        item.separator ? (
          <span key={item.key} data-tool={item.key} className="wf-toolbar-sep" />
        ) : (
          <span key={item.key} data-tool={item.key} className="wf-tool">
            {item.node}
          </span>
        ),
      )}
      {overflow.length > 0 && <ToolbarMore items={overflow} />}
    </div>
  );
}

/** jsdom does no layout: the row is `width` wide, each item 100 px, a separator 10 px, no gaps. */
function layOut(width: number) {
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockImplementation(function (this: HTMLElement) {
    return this.classList.contains('wf-toolbar') ? width : 0;
  });
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    const w = this.classList.contains('wf-toolbar-sep') ? 10 : 100;
    return { width: w, height: 30, top: 0, left: 0, right: w, bottom: 30, x: 0, y: 0, toJSON: () => ({}) };
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

const toolbar = () => screen.getByRole('toolbar', { name: 'Editor' });

describe('a toolbar on one row', () => {
  it('keeps every item in the row where they fit, with no "More actions"', () => {
    layOut(700);
    render(<Row pressed={[]} />);
    expect(
      within(toolbar())
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Undo', 'Redo', 'Zoom to fit', 'Arrange', 'Download SVG', 'Export BPMN']);
  });

  it('moves the last items under "More actions", in order, and a press there acts and closes it', async () => {
    // room for Undo, Redo, the separator, Zoom to fit and the More button (100 px each but the separator)
    layOut(420);
    const pressed: string[] = [];
    render(<Row pressed={pressed} />);
    const more = within(toolbar()).getByRole('button', { name: 'More actions' });
    expect(within(toolbar()).queryByRole('button', { name: 'Arrange' })).toBeNull();
    expect(more.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(more);
    expect(more.getAttribute('aria-expanded')).toBe('true');
    const panel = screen.getByRole('group', { name: 'More actions' });
    expect(
      within(panel)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Arrange', 'Download SVG', 'Export BPMN']);
    await userEvent.click(within(panel).getByRole('button', { name: 'Download SVG' }));
    expect(pressed).toEqual(['Download SVG']);
    expect(screen.queryByRole('group', { name: 'More actions' })).toBeNull();
  });

  it('never ends the row on a separator', () => {
    // Undo, Redo and the More button fit; the separator after Redo would be the row's last item
    layOut(320);
    const { container } = render(<Row pressed={[]} />);
    expect(container.querySelector('.wf-toolbar-sep')).toBeNull();
    expect(
      within(toolbar())
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Undo', 'Redo', 'More actions']);
  });

  it('closes on Escape with the keyboard back on its button, and on a click outside it', async () => {
    layOut(420);
    render(<Row pressed={[]} />);
    const more = within(toolbar()).getByRole('button', { name: 'More actions' });
    await userEvent.click(more);
    await userEvent.tab();
    expect(document.activeElement?.textContent).toBe('Arrange');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('group', { name: 'More actions' })).toBeNull();
    expect(document.activeElement).toBe(more);
    await userEvent.click(more);
    await userEvent.click(document.body);
    expect(screen.queryByRole('group', { name: 'More actions' })).toBeNull();
  });

  it('keeps every item in the row where nothing is laid out (a hidden editor)', () => {
    layOut(0);
    render(<Row pressed={[]} />);
    expect(within(toolbar()).queryByRole('button', { name: 'More actions' })).toBeNull();
    expect(within(toolbar()).getAllByRole('button')).toHaveLength(6);
  });
});
