/** The current workflow drawn below a future one, for comparison: read-only, its view following the future's. */
import type { Edge, Node, ReactFlowInstance } from '@xyflow/react';
import { ReactFlowProvider } from '@xyflow/react';
import type { Workflow } from '../../../formats/workflow.ts';
import type { CanvasLayout, HeatMode } from './canvasModel.ts';
import { type EditorState, type EditorStore, useEditorState } from './editorStore.ts';
import { UNTRACED } from './nodes.tsx';
import { WorkflowCanvas } from './WorkflowCanvas.tsx';

const NO_STEPS: ReadonlySet<string> = new Set();
const ignore = () => {};
/** The baseline beside a future workflow is shown, never edited. */
const refuseEdit = () => 'The current workflow is shown for comparison; open it from the list to edit it.';
const togetherOf = (s: EditorState) => s.together;
const baselineSelectionOf = (s: EditorState) => s.baselineSelection;

/** The baseline, its layout and badges, and where its canvas reports its view. */
interface ComparePanelProps {
  store: EditorStore;
  baseline: Workflow;
  layout: CanvasLayout;
  heat: HeatMode;
  trace: ReadonlyMap<string, string> | undefined;
  onInit: (instance: ReactFlowInstance<Node, Edge>) => void;
}

/** The comparison section below the editor. */
export function ComparePanel({ store, baseline, layout, heat, trace, onInit }: ComparePanelProps) {
  const together = useEditorState(store, togetherOf);
  const selection = useEditorState(store, baselineSelectionOf);
  return (
    <section className="wf-compare" aria-labelledby="compare-title">
      <h3 id="compare-title">Current workflow: {baseline.name}</h3>
      <p className="field-hint">
        For comparison, not edited here. On the future workflow above, each step says whether it is new or how
        many current steps it replaces. Here, “{UNTRACED}” marks a current step that no future step replaces
        and that is not retired: decide what happens to it.
      </p>
      <label className="wf-together">
        <input
          type="checkbox"
          checked={together}
          onChange={(event) => store.set({ together: event.target.checked })}
        />
        Pan and zoom both diagrams together
      </label>
      <section className="wf-compare-canvas" aria-label={`Current workflow diagram: ${baseline.name}`}>
        <ReactFlowProvider>
          <WorkflowCanvas
            workflow={baseline}
            layout={layout}
            heat={heat}
            selection={selection}
            onSelectionChange={ignore}
            apply={refuseEdit}
            onDropKind={ignore}
            invalidSteps={NO_STEPS}
            trace={trace}
            readOnly
            onMessage={store.say}
            onInit={onInit}
          />
        </ReactFlowProvider>
      </section>
    </section>
  );
}
