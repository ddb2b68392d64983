/**
 * The editor's toolbar: undo and redo, keyboard drawing, the view, copy and paste and the
 * downloads, on one row. What does not fit the row goes, from the end, under "More actions"
 * (useToolbarOverflow.ts), so the diagram keeps the height of the window at any width.
 */
import { type ReactNode, useRef } from 'react';
import type { LastCheck } from '../eventlog/lastCheck.ts';
import type { HeatMode } from './canvasModel.ts';
import type { EditorDownload } from './downloads.ts';
import { type EditorStore, useEditorState } from './editorStore.ts';
import { type Selection, selectedCount } from './selection.ts';
import type { ArrangeState } from './useArrange.ts';
import { type ToolbarItem, ToolbarMore, useToolbarOverflow } from './useToolbarOverflow.tsx';
import type { WorkflowEditorState } from './useWorkflowEditor.ts';

const heatOf = (s: { heat: HeatMode }) => s.heat;
const compareOf = (s: { compare: boolean }) => s.compare;
const driftShownOf = (s: { driftShown: boolean }) => s.driftShown;

/** Why "Zoom to selection" is off. */
const NOTHING_TO_ZOOM_TO = 'Select one or more steps on the diagram first.';
const READABLE_TITLE =
  'Labels at a size you can read, around the selected steps or where the workflow starts';

/** What the toolbar acts on besides the store. */
export interface EditorToolbarProps {
  store: EditorStore;
  history: Pick<WorkflowEditorState, 'undo' | 'redo' | 'canUndo' | 'canRedo'>;
  /** the selection as it is in the workflow */
  selection: Selection;
  arranging: ArrangeState;
  /** a future workflow's current one exists: it can be compared */
  comparable: boolean;
  marksShown: boolean;
  onMarksShown: (shown: boolean) => void;
  lastCheck: LastCheck | null;
  onRemoveSelection: () => void;
  onZoomToFit: () => void;
  onZoomReadable: () => void;
  onZoomToSelection: () => void;
  onDownload: (what: EditorDownload) => void;
  /** the workflow is only looked at: the tools that change it are off */
  readOnly?: boolean;
}

/** The toolbar above the diagram. */
export function EditorToolbar(props: EditorToolbarProps) {
  const { store, history, selection, arranging, lastCheck, marksShown } = props;
  const heat = useEditorState(store, heatOf);
  const compare = useEditorState(store, compareOf);
  const driftShown = useEditorState(store, driftShownOf);
  const selectedStep = selection.steps.length === 1 ? selection.steps[0] : undefined;
  const tool = (key: string, node: ReactNode): ToolbarItem => ({ key, node });
  const separator = (key: string): ToolbarItem => ({ key, separator: true });
  // in the order of the row; the last ones are the first to go under "More actions"
  const items: ToolbarItem[] = [
    tool(
      'undo',
      <button
        type="button"
        onClick={history.undo}
        disabled={!history.canUndo}
        aria-keyshortcuts="Control+Z Meta+Z"
      >
        Undo
      </button>,
    ),
    tool(
      'redo',
      <button
        type="button"
        onClick={history.redo}
        disabled={!history.canRedo}
        aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z"
      >
        Redo
      </button>,
    ),
    separator('drawing'),
    tool(
      'append',
      <button
        type="button"
        onClick={() => selectedStep !== undefined && store.openStepDialog('append', selectedStep)}
        disabled={props.readOnly || selectedStep === undefined}
        aria-keyshortcuts="A"
      >
        Add step after…
      </button>,
    ),
    tool(
      'connect',
      <button
        type="button"
        onClick={() => selectedStep !== undefined && store.openStepDialog('connect', selectedStep)}
        disabled={props.readOnly || selectedStep === undefined}
        aria-keyshortcuts="C"
      >
        Connect to…
      </button>,
    ),
    tool(
      'delete',
      <button
        type="button"
        onClick={props.onRemoveSelection}
        disabled={props.readOnly || (selectedCount(selection) === 0 && !selection.lane)}
        aria-keyshortcuts="Delete Backspace"
      >
        Delete selected
      </button>,
    ),
    separator('view'),
    tool(
      'fit',
      <button type="button" onClick={props.onZoomToFit}>
        Zoom to fit
      </button>,
    ),
    tool(
      'zoom-selection',
      <span className="wf-tool-pair">
        <button
          type="button"
          onClick={props.onZoomToSelection}
          disabled={selection.steps.length === 0}
          aria-keyshortcuts="Z"
          aria-describedby={selection.steps.length === 0 ? 'zoom-selection-why' : undefined}
          title={selection.steps.length === 0 ? NOTHING_TO_ZOOM_TO : undefined}
        >
          Zoom to selection
        </button>
        <span id="zoom-selection-why" className="visually-hidden">
          {selection.steps.length === 0 ? NOTHING_TO_ZOOM_TO : ''}
        </span>
      </span>,
    ),
    tool(
      'arrange',
      <button type="button" onClick={arranging.arrange} disabled={props.readOnly || arranging.running}>
        Arrange automatically
      </button>,
    ),
    tool(
      'readable',
      <button type="button" onClick={props.onZoomReadable} title={READABLE_TITLE}>
        Readable size
      </button>,
    ),
    tool(
      'marks',
      <button type="button" aria-pressed={marksShown} onClick={() => props.onMarksShown(!marksShown)}>
        Findings on the diagram
      </button>,
    ),
    ...(props.comparable
      ? [
          tool(
            'compare',
            <button type="button" aria-pressed={compare} onClick={() => store.set({ compare: !compare })}>
              Compare with current
            </button>,
          ),
        ]
      : []),
    ...(lastCheck
      ? [
          tool(
            'drift',
            <button
              type="button"
              aria-pressed={driftShown}
              onClick={() => store.set({ driftShown: !driftShown })}
            >
              {lastCheck.stale ? 'Drift from the go-live log (out of date)' : 'Drift from the go-live log'}
            </button>,
          ),
        ]
      : []),
    tool(
      'heat',
      <label className="wf-heat-toggle">
        Heat colouring
        <select value={heat} onChange={(event) => store.set({ heat: event.target.value as HeatMode })}>
          <option value="off">Off</option>
          <option value="touch">By touch time</option>
          <option value="wait">By wait time</option>
        </select>
      </label>,
    ),
    separator('clipboard'),
    tool(
      'copy',
      <button
        type="button"
        onClick={store.copy}
        disabled={selection.steps.length === 0}
        aria-keyshortcuts="Control+C"
      >
        Copy
      </button>,
    ),
    tool(
      'paste',
      <button type="button" onClick={store.paste} disabled={props.readOnly} aria-keyshortcuts="Control+V">
        Paste
      </button>,
    ),
    tool(
      'duplicate',
      <button
        type="button"
        onClick={store.duplicate}
        disabled={props.readOnly || selection.steps.length === 0}
        aria-keyshortcuts="Control+D"
      >
        Duplicate
      </button>,
    ),
    separator('files'),
    tool(
      'json',
      <button type="button" onClick={() => props.onDownload('json')}>
        Download JSON
      </button>,
    ),
    tool(
      'svg',
      <button type="button" onClick={() => props.onDownload('svg')}>
        Download SVG
      </button>,
    ),
    tool(
      'png',
      <button type="button" onClick={() => props.onDownload('png')}>
        Download PNG
      </button>,
    ),
    tool(
      'bpmn',
      <button type="button" onClick={() => props.onDownload('bpmn')}>
        Export BPMN
      </button>,
    ),
  ];
  const row = useRef<HTMLDivElement>(null);
  const { inRow, overflow } = useToolbarOverflow(row, items);
  return (
    <div className="wf-toolbar" role="toolbar" aria-label="Editor" ref={row}>
      {inRow.map((item) =>
        item.separator ? (
          <span key={item.key} data-tool={item.key} className="wf-toolbar-sep" aria-hidden="true" />
        ) : (
          <span key={item.key} data-tool={item.key} className="wf-tool">
            {item.node}
          </span>
        ),
      )}
      {arranging.slow && (
        // in the row wherever "Arrange automatically" is: a layout under way can always be stopped
        <span className="wf-arranging wf-toolbar-pinned">
          <progress aria-label="Arranging the steps" />
          <button type="button" onClick={arranging.stop}>
            Stop arranging
          </button>
        </span>
      )}
      {overflow.length > 0 && <ToolbarMore items={overflow} />}
    </div>
  );
}
