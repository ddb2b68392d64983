/**
 * A boundary event on the canvas is drawn as bpmn-js draws it: a 36 × 36 double circle centred on
 * its activity's bottom border (several spread along it), moving with the activity, its ring
 * dashed when it does not interrupt, its trigger's marker inside, named for assistive technology
 * by its trigger and activity; a boundary event that cannot be attached stays a step box.
 */
import { render, screen } from '@testing-library/react';
import { ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { type Step, WORKFLOW_FORMAT, type Workflow } from '../../../formats/workflow.ts';
import { boundaryEventNode } from './BoundaryEventNode.tsx';
import { layoutCanvas, type PlacedStep, STEP_SIZE } from './canvasModel.ts';
import { diagramSvg, plainFlows } from './exportDiagram.ts';
import { NODE_TYPES } from './nodes.tsx';
import { STEP_NODES } from './selection.ts';

const step = (id: string, label: string, extra: Partial<Step> = {}): Step => ({
  id,
  label,
  lane: 'desk',
  kind: 'task',
  medium: 'digital',
  system: '',
  touchMin: 1,
  waitMin: 0,
  clicks: 0,
  enters: [],
  ...extra,
});

/** A task with a non-interrupting timer and an interrupting error on it, each leading on. */
function workflowWith(hostAt = { x: 200, y: 40 }): Workflow {
  return {
    format: WORKFLOW_FORMAT,
    id: 'docs',
    name: 'Documents',
    state: 'current',
    arrivalsPerHour: 1,
    lanes: [{ id: 'desk', name: 'Front desk', staff: 1 }],
    steps: [
      step('wait', 'Wait for document', { position: hostAt }),
      step('timer', '1 week', {
        kind: 'wait',
        boundary: { attachedTo: 'wait', trigger: 'timer', interrupting: false },
        // where another tool drew it: the canvas places it by its activity, not here
        position: { x: 600, y: 300 },
      }),
      step('error', 'Lost', {
        kind: 'wait',
        boundary: { attachedTo: 'wait', trigger: 'error', interrupting: true },
      }),
      step('remind', 'Send reminder', { position: { x: 400, y: 200 } }),
      step('call', 'Call the patient', { position: { x: 600, y: 200 } }),
    ],
    flows: [
      { from: 'wait', to: 'timer', transfer: 'none' },
      { from: 'wait', to: 'error', transfer: 'none' },
      { from: 'timer', to: 'remind', transfer: 'none' },
      { from: 'error', to: 'call', transfer: 'none' },
    ],
  };
}

const placedOf = (workflow: Workflow, id: string): PlacedStep => {
  const placed = layoutCanvas(workflow).steps.find((p) => p.step.id === id);
  if (!placed) throw new Error(`${id} is not placed`);
  return placed;
};
const centre = (p: PlacedStep) => ({ x: p.x + p.width / 2, y: p.y + p.height / 2 });

describe('a boundary event on the canvas', () => {
  it('is a 36 × 36 circle centred on its activity’s bottom border, two spread along it', () => {
    const workflow = workflowWith();
    const host = placedOf(workflow, 'wait');
    const timer = placedOf(workflow, 'timer');
    const error = placedOf(workflow, 'error');
    expect(host.width).toBe(STEP_SIZE.task.width);
    for (const event of [timer, error]) {
      expect(event.attached).toMatchObject({ host: 'wait', border: 'bottom', of: 2 });
      expect([event.width, event.height]).toEqual([36, 36]);
      expect(centre(event).y).toBe(host.y + host.height);
      expect(centre(event).x).toBeGreaterThan(host.x);
      expect(centre(event).x).toBeLessThan(host.x + host.width);
    }
    // side by side, not on top of each other, around the border's middle
    expect(centre(error).x - centre(timer).x).toBeGreaterThanOrEqual(36);
    expect((centre(error).x + centre(timer).x) / 2).toBe(host.x + host.width / 2);
  });

  it('moves with its activity: when the activity is moved, and while it is dragged', () => {
    const before = placedOf(workflowWith(), 'timer');
    const moved = workflowWith({ x: 260, y: 40 });
    const after = placedOf(moved, 'timer');
    expect([after.x - before.x, after.y - before.y]).toEqual([60, 0]);
    const host = placedOf(moved, 'wait');
    const node = boundaryEventNode(
      after,
      host,
      { x: host.x + 30, y: host.y + 45 },
      {
        selected: false,
        invalid: false,
      },
    );
    expect(node.position).toEqual({ x: after.x + 30, y: after.y + 45 });
    // it goes where its activity goes, never on its own, and is drawn over it even when the
    // activity is selected (React Flow lifts a selected node by 1000)
    expect(node.draggable).toBe(false);
    expect(node.zIndex).toBeGreaterThan(1000);
  });

  it('stays a step box when it cannot be a boundary event (a second flow leads into it)', () => {
    const workflow = workflowWith();
    const loose = {
      ...workflow,
      flows: [...workflow.flows, { from: 'remind', to: 'timer', transfer: 'none' as const }],
    };
    const timer = placedOf(loose, 'timer');
    expect(timer.attached).toBeUndefined();
    expect(timer.width).toBe(STEP_SIZE.wait.width);
  });

  it.each([
    {
      description: 'a non-interrupting timer: dashed rings',
      id: 'timer',
      name: 'Timer boundary event on Wait for document: 1 week, non-interrupting',
      dashed: true,
    },
    {
      description: 'an interrupting error: solid rings',
      id: 'error',
      name: 'Error boundary event on Wait for document: Lost, interrupting',
      dashed: false,
    },
  ])('draws $description with its marker, named by its trigger and activity', ({ id, name, dashed }) => {
    const workflow = workflowWith();
    const host = placedOf(workflow, 'wait');
    const placed = placedOf(workflow, id);
    const node = boundaryEventNode(placed, host, undefined, { selected: false, invalid: false });
    render(
      <div style={{ width: 800, height: 600 }}>
        <ReactFlowProvider>
          <ReactFlow nodes={[node]} edges={[]} nodeTypes={NODE_TYPES} />
        </ReactFlowProvider>
      </div>,
    );
    const drawn = screen.getByLabelText(name);
    // React Flow places the node at the layout's position, on the activity's border
    expect(drawn.style.transform).toBe(`translate(${placed.x}px,${placed.y}px)`);
    const rings = drawn.querySelectorAll('circle.wf-boundary-ring');
    expect(rings).toHaveLength(2);
    for (const ring of rings) expect(ring.hasAttribute('stroke-dasharray')).toBe(dashed);
    expect(drawn.querySelector('.wf-boundary-marker')).not.toBeNull();
    expect(drawn.querySelector('.wf-boundary')?.className).toContain(
      dashed ? 'wf-boundary-non-interrupting' : 'wf-boundary-interrupting',
    );
    // its name is read from the node, not twice from the picture; it is reached by keyboard
    expect(drawn.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');
    expect(drawn.matches(STEP_NODES)).toBe(true);
    expect(drawn.tabIndex).toBe(0);
  });

  it('is drawn the same way in the downloaded picture, without a flow from its activity', () => {
    const workflow = workflowWith();
    const layout = layoutCanvas(workflow);
    const svg = diagramSvg(workflow, layout);
    expect(svg).toContain(
      '<title>Timer boundary event on Wait for document: 1 week, non-interrupting</title>',
    );
    expect(svg).toContain('<title>Error boundary event on Wait for document: Lost, interrupting</title>');
    expect(svg.match(/<circle [^>]*stroke-dasharray="3 2.5"/g)).toHaveLength(2);
    // the activity's two ways into its events are the events on its border; their paths on are drawn
    expect(plainFlows(workflow, layout, undefined)).toEqual({ drawn: 2, plain: 2 });
  });
});
