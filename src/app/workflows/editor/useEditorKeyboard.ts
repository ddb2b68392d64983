/**
 * The editor's keyboard: its shortcuts (delegated from the whole editor), keyboard focus on a step,
 * flow or message selecting it, and focus moved to a step once the canvas has drawn it. The actions are
 * the store's; this hook does what only the page can (read the key, move focus).
 */
import { type FocusEvent, type KeyboardEvent, type RefObject, useCallback, useRef } from 'react';
import { KEYBOARD_STEP } from './canvasModel.ts';
import type { EditorStore } from './editorStore.ts';
import type { Direction } from './keyboardDrawing.ts';
import { messageKeyOfEdge } from './messageEdges.ts';
import { NOTHING_SELECTED, type Selection, STEP_NODES, selectedCount } from './selection.ts';

/** The direction of each arrow key on the canvas. */
const ARROW_DIRECTION: Readonly<Record<string, Direction>> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

/** Frames "Show the step" waits for the step's node to be drawn before it gives up focusing it. */
const SHOW_STEP_FOCUS_FRAMES = 10;

function isTextInput(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** What the keyboard acts on. */
interface EditorKeyboardParams {
  store: EditorStore;
  history: { undo: () => void; redo: () => void };
  /** the diagram's section */
  canvasRef: RefObject<HTMLElement | null>;
  /** the inspector's panel (Enter on a step focuses its first field) */
  inspectorRef: RefObject<HTMLElement | null>;
  /** shows the inspector when the user had hidden it (Enter on a step opens it) */
  showInspector: () => void;
  /** shows the selected steps ("Zoom to selection") */
  zoomToSelection: () => void;
}

/** The editor's key and focus handlers, and the page's side of removing and focusing. */
export function useEditorKeyboard({
  store,
  history,
  canvasRef,
  inspectorRef,
  showInspector,
  zoomToSelection,
}: EditorKeyboardParams) {
  /** a step "Show the step" moves focus to: its focus keeps the steps shown selected (see onFocus) */
  const shownFocusRef = useRef<string | null>(null);

  /** Removes what is selected; keyboard focus goes to the diagram, where it was. */
  const removeSelection = useCallback(() => {
    if (store.removeSelection()) {
      canvasRef.current?.querySelector<HTMLElement>('.react-flow__pane')?.focus();
    }
  }, [store, canvasRef]);

  /**
   * Focuses step `id` on the canvas once its node is drawn (a large workflow draws only the steps
   * in view: a step just brought into view is drawn a frame or two later).
   */
  const focusStepWhenDrawn = useCallback(
    (id: string) => {
      let frames = 0;
      const attempt = () => {
        const node = [...(canvasRef.current?.querySelectorAll<HTMLElement>(STEP_NODES) ?? [])].find(
          (n) => n.dataset.id === id,
        );
        if (node) {
          shownFocusRef.current = id;
          node.focus({ preventScroll: true });
          if (document.activeElement === node) return;
          // not focused (a dialog closing this frame still makes the page inert): nothing to keep
          // selected; tried again next frame
          shownFocusRef.current = null;
        }
        if (++frames < SHOW_STEP_FOCUS_FRAMES) requestAnimationFrame(attempt);
      };
      attempt();
    },
    [canvasRef],
  );

  const openInspector = useCallback(
    (next: Selection) => {
      store.select(next);
      showInspector();
      // the inspector renders the fields of what was selected in this commit; focus its first field after it
      requestAnimationFrame(() =>
        inspectorRef.current
          ?.querySelector<HTMLElement>('input:not([type="search"]), select, textarea')
          ?.focus(),
      );
    },
    [store, inspectorRef, showInspector],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (isTextInput(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === 'z') {
        event.preventDefault();
        if (event.shiftKey) history.redo();
        else history.undo();
        return;
      }
      if (mod && key === 'y') {
        event.preventDefault();
        history.redo();
        return;
      }
      const inCanvas = canvasRef.current?.contains(event.target as globalThis.Node) ?? false;
      if (!inCanvas) return;
      // a button on the canvas (a lane's name, a finding mark) does its own thing with Enter
      if (event.key === 'Enter' && event.target instanceof HTMLButtonElement) return;
      const selected = store.live().steps;
      const focusedStep = (event.target as HTMLElement).closest<HTMLElement>(STEP_NODES)?.dataset.id;
      const oneStep = focusedStep ?? (selected.length === 1 ? selected[0] : undefined);
      if (mod && key === 'a' && !event.altKey) {
        event.preventDefault();
        store.selectAllSteps();
      } else if (event.altKey && !mod && event.key.startsWith('Arrow')) {
        // Alt with an arrow walks the diagram; on its own it would move the page (or go back)
        event.preventDefault();
        if (focusedStep === undefined) return;
        const to = store.neighbour(focusedStep, ARROW_DIRECTION[event.key] ?? 'right');
        if (to !== null) focusStepWhenDrawn(to);
      } else if (!mod && !event.altKey && key === 'c' && oneStep !== undefined) {
        event.preventDefault();
        store.openStepDialog('connect', oneStep);
      } else if (!mod && !event.altKey && key === 'a' && oneStep !== undefined) {
        event.preventDefault();
        store.openStepDialog('append', oneStep);
      } else if (!mod && !event.altKey && key === 'z') {
        event.preventDefault();
        zoomToSelection();
      } else if (mod && key === 'c') {
        store.copy();
      } else if (mod && key === 'v') {
        event.preventDefault();
        store.paste();
      } else if (mod && key === 'd') {
        event.preventDefault();
        store.duplicate();
      } else if (event.key === 'Delete' || event.key === 'Backspace') {
        event.preventDefault();
        removeSelection();
      } else if (event.key.startsWith('Arrow') && !mod && selected.length > 0) {
        event.preventDefault();
        if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
          store.moveSelectedLane(event.key === 'ArrowUp' ? 'up' : 'down');
        } else {
          const distance = event.shiftKey ? KEYBOARD_STEP * 4 : KEYBOARD_STEP;
          store.moveSelected(event.key === 'ArrowLeft' ? -distance : distance, 0);
        }
      } else if (event.key === 'Enter') {
        const target = event.target as HTMLElement;
        const step = target.closest<HTMLElement>(STEP_NODES)?.dataset.id;
        const flow = target.closest<HTMLElement>('.react-flow__edge')?.dataset.id;
        if (step) {
          event.preventDefault();
          openInspector({ steps: [step], flows: [], lane: null });
        } else if (flow) {
          event.preventDefault();
          openInspector(edgeAlone(flow));
        }
      } else if (event.key === 'Escape') {
        store.select(NOTHING_SELECTED);
      }
    },
    [history, store, canvasRef, removeSelection, focusStepWhenDrawn, openInspector, zoomToSelection],
  );

  /**
   * Keyboard focus on a step or flow selects it. The canvas brings whatever is focused into view
   * (WorkflowCanvas.tsx, revealInView.ts).
   */
  const onFocus = useCallback(
    (event: FocusEvent<HTMLDivElement>) => {
      const current = store.live();
      const edge = (event.target as HTMLElement).closest<HTMLElement>('.react-flow__edge');
      const id = edge?.dataset.id;
      if (id && edge?.matches(':focus-visible')) {
        const alone = edgeAlone(id);
        const [key, chosen] = alone.messages
          ? [alone.messages[0], current.messages ?? []]
          : [id, current.flows];
        if (!(selectedCount(current) === 1 && chosen[0] === key)) store.select(alone);
        return;
      }
      const node = (event.target as HTMLElement).closest<HTMLElement>(STEP_NODES);
      const stepId = node?.dataset.id;
      // focus moved here by "Show the steps": all of them stay selected, not just the first
      if (stepId && shownFocusRef.current === stepId) {
        shownFocusRef.current = null;
        return;
      }
      if (!stepId || !node?.matches(':focus-visible')) return;
      if (!(current.steps.length === 1 && current.steps[0] === stepId)) {
        store.select({ steps: [stepId], flows: [], lane: null });
      }
    },
    [store],
  );

  return { onKeyDown, onFocus, removeSelection, focusStepWhenDrawn };
}

/** The selection of the one edge `id` names: a message's edge selects the message, else the flow. */
function edgeAlone(id: string): Selection {
  const message = messageKeyOfEdge(id);
  return message === null
    ? { steps: [], flows: [id], lane: null }
    : { steps: [], flows: [], lane: null, messages: [message] };
}
