/**
 * "Zoom to selection" is off, saying why, until a step is selected; then it is on and zooms. What
 * the view then shows (readable, with the lanes) is real layout: workflowReadableFit.spec.ts.
 */
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { EditorToolbar, type EditorToolbarProps } from './EditorToolbar.tsx';
import type { EditorDocument } from './editorStore.ts';
import { createEditorStore } from './editorStore.ts';
import { NOTHING_SELECTED, type Selection } from './selection.ts';

function toolbar(selection: Selection, onZoomToSelection = () => {}) {
  const props: EditorToolbarProps = {
    store: createEditorStore(() => ({}) as EditorDocument),
    history: { undo: () => {}, redo: () => {}, canUndo: false, canRedo: false },
    selection,
    arranging: { running: false, slow: false, arrange: () => {}, stop: () => {} },
    comparable: false,
    marksShown: true,
    onMarksShown: () => {},
    lastCheck: null,
    onRemoveSelection: () => {},
    onZoomToFit: () => {},
    onZoomReadable: () => {},
    onZoomToSelection,
    onDownload: () => {},
  };
  return render(<EditorToolbar {...props} />);
}

/** The words an element is described by (its aria-describedby's elements). */
const describedBy = (element: HTMLElement) =>
  (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

describe('"Zoom to selection"', () => {
  it('is off with nothing selected, its title and description saying why', () => {
    toolbar(NOTHING_SELECTED);
    const button = screen.getByRole('button', { name: 'Zoom to selection' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toBe('Select one or more steps on the diagram first.');
    expect(describedBy(button)).toBe('Select one or more steps on the diagram first.');
  });

  it('is on once a step is selected, says nothing of why, and zooms when pressed', () => {
    const zoom = vi.fn();
    toolbar({ ...NOTHING_SELECTED, steps: ['a', 'b'] }, zoom);
    const button = screen.getByRole('button', { name: 'Zoom to selection' }) as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    expect(button.getAttribute('aria-describedby')).toBeNull();
    expect(button.title).toBe('');
    fireEvent.click(button);
    expect(zoom).toHaveBeenCalledTimes(1);
  });
});
