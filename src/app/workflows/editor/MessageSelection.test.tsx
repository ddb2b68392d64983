/**
 * A message on the canvas is chosen as a flow is: a click selects it and the inspector shows it
 * (its ends, what it is, renamed there); Tab reaches it and Enter opens it in the inspector;
 * Delete removes it, as one edit that Control+Z brings back. React Flow draws no edge in jsdom
 * (it needs the nodes' measured handles), so the harness draws each message edge as React Flow
 * does (`.react-flow__edge`, its id as `data-id`, focusable; an HTML element, as jsdom matches
 * `:focus-visible` on those only) and hands a click to the canvas's own mapping of React Flow's
 * changes; the keys, focus and inspector are the editor's own.
 */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useRef, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { labOrderMessages as referral } from '../../../core/workflow/bpmn/index.ts';
import type { Project } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { layoutCanvas } from './canvasModel.ts';
import { createEditorStore, type EditorDocument, useEditorState } from './editorStore.ts';
import { Inspector } from './Inspector.tsx';
import { edgeSelection, messageEdges } from './messageEdges.ts';
import { liveSelection } from './selection.ts';
import { useEditorKeyboard } from './useEditorKeyboard.ts';
import { useWorkflowEditor } from './useWorkflowEditor.ts';

const project = { workflows: [referral] } as unknown as Project;
const selectionOf = (s: { selection: ReturnType<typeof liveSelection> }) => s.selection;

/** The editor's store, keyboard and inspector over its edit history, with the message edges drawn. */
function Harness({ saved }: { saved: Workflow[] }) {
  const [workflow, setWorkflow] = useState(referral);
  const editor = useWorkflowEditor(workflow, (change) => {
    if (change.type !== 'workflow/put') return;
    saved.push(change.workflow);
    setWorkflow(change.workflow);
  });
  const documentRef = useRef<EditorDocument | null>(null);
  documentRef.current = {
    workflow: editor.workflow,
    layout: layoutCanvas(editor.workflow),
    apply: editor.apply,
  };
  const [store] = useState(() => createEditorStore(() => documentRef.current as EditorDocument, {}));
  const drafts = useEditorState(store, (s) => s.drafts);
  const selection = liveSelection(useEditorState(store, selectionOf), editor.workflow);
  const canvasRef = useRef<HTMLElement | null>(null);
  const inspectorRef = useRef<HTMLElement | null>(null);
  const firstFieldRef = useRef<HTMLInputElement | null>(null);
  const { onKeyDown, onFocus, removeSelection } = useEditorKeyboard({
    store,
    history: editor,
    canvasRef,
    inspectorRef,
    showInspector: () => {},
    zoomToSelection: () => {},
  });
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the editor's delegated shortcuts, as in WorkflowEditor
    <div onKeyDown={onKeyDown} onFocus={onFocus}>
      <section aria-label="Workflow diagram" ref={canvasRef}>
        <div className="react-flow__pane" tabIndex={-1} />
        {messageEdges(editor.workflow, selection.messages).map((edge) => (
          // biome-ignore lint/a11y/useSemanticElements: what React Flow draws for a focusable edge
          // biome-ignore lint/a11y/useKeyWithClickEvents: a pointer's click, as React Flow's; keys are the editor's
          <div
            key={edge.id}
            className={`react-flow__edge${edge.selected ? ' selected' : ''}`}
            data-id={edge.id}
            role="group"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: React Flow's focusable edge
            tabIndex={0}
            aria-label={edge.ariaLabel}
            onClick={() =>
              store.select(edgeSelection(store.live(), [{ type: 'select', id: edge.id, selected: true }]))
            }
          />
        ))}
      </section>
      <aside aria-label="Inspector" ref={inspectorRef}>
        <Inspector
          workflow={editor.workflow}
          project={project}
          selection={selection}
          apply={editor.apply}
          drafts={drafts}
          setDraft={store.setDraft}
          firstFieldRef={firstFieldRef}
          onRemoveSelection={removeSelection}
          onSelect={store.select}
        />
      </aside>
    </div>
  );
}

const inspector = () => screen.getByRole('complementary', { name: 'Inspector' });
/** The selection's heading; with nothing selected, the name of the workflow's settings (no heading of their own) */
const title = () =>
  within(inspector()).queryByRole('heading', { level: 3 })?.textContent ??
  within(inspector()).getByRole('region').getAttribute('aria-label');
const messagesOf = (saved: Workflow[]) => (saved.at(-1) ?? referral).messageFlows;

describe('a message selected on the canvas', () => {
  it('opens in the inspector on a click, is renamed there, and Delete removes it; Control+Z brings it back', async () => {
    const saved: Workflow[] = [];
    const user = userEvent.setup({ delay: null });
    render(<Harness saved={saved} />);
    expect(title()).toBe('Workflow settings');
    await user.click(
      screen.getByRole('group', { name: 'Message “Lab order” from Order test to Analyse sample' }),
    );
    expect(title()).toBe('Message from Order test to Analyse sample');
    expect(inspector().textContent).toContain('Sent by Order test (Clinic).');
    expect(inspector().textContent).toContain('Received by Analyse sample (Reference lab).');
    const what = within(inspector()).getByRole('textbox', { name: 'What the message is' });
    await user.clear(what);
    await user.type(what, 'Order form');
    expect(messagesOf(saved)?.[0]).toEqual({ from: 'order', to: 'analyse', label: 'Order form' });
    // still selected after its rename (a message is known by its ends)
    expect(title()).toBe('Message from Order test to Analyse sample');

    await user.click(
      screen.getByRole('group', { name: 'Message “Order form” from Order test to Analyse sample' }),
    );
    await user.keyboard('{Delete}');
    expect(messagesOf(saved)).toEqual([{ from: 'analyse', to: 'review', label: 'Result' }]);
    expect(title()).toBe('Workflow settings');
    await user.keyboard('{Control>}z{/Control}');
    expect(messagesOf(saved)).toEqual([
      { from: 'order', to: 'analyse', label: 'Order form' },
      { from: 'analyse', to: 'review', label: 'Result' },
    ]);
    // the order of work is never touched
    expect((saved.at(-1) as Workflow).flows).toEqual(referral.flows);
  });

  it('is reached with Tab, opened with Enter, and removed with its inspector’s button', async () => {
    const saved: Workflow[] = [];
    const user = userEvent.setup({ delay: null });
    render(<Harness saved={saved} />);
    await user.tab();
    await user.tab();
    expect(document.activeElement?.getAttribute('aria-label')).toBe(
      'Message “Result” from Analyse sample to Review result',
    );
    await user.keyboard('{Enter}');
    expect(title()).toBe('Message from Analyse sample to Review result');
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(document.activeElement).toBe(
      within(inspector()).getByRole('textbox', { name: 'What the message is' }),
    );
    await user.click(within(inspector()).getByRole('button', { name: 'Remove message' }));
    expect(messagesOf(saved)).toEqual([{ from: 'order', to: 'analyse', label: 'Lab order' }]);
  });
});
