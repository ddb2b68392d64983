import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { bpmnModelBytes } from '../../../../tests/fixtures/miwg.ts';
import { decodeXmlBytes } from '../../../core/workflow/bpmn/decode.ts';
import { importBpmn } from '../../../core/workflow/bpmn/importBpmn.ts';
import { pageOfStep, workflowPage } from '../../../core/workflow/subProcesses.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { sampleWorkflow } from '../testSamples.ts';
import { drawnArtifacts } from './artifactLayout.ts';
import { layoutCanvas } from './canvasModel.ts';
import { DrawnArtifacts } from './DrawnArtifacts.tsx';

/** A vendor-style model with a group around seven steps and a note on one of them. */
async function imported(): Promise<Workflow> {
  const decoded = decodeXmlBytes(bpmnModelBytes('enterprise-architect-medication-reconciliation.bpmn'));
  if (!decoded.ok) throw new Error(decoded.message);
  const { workflow } = await importBpmn(decoded.text);
  if (!workflow) throw new Error('no workflow');
  return workflow;
}

describe('DrawnArtifacts', () => {
  it('draws an imported model’s note and group, each with its accessible name', async () => {
    const model = await imported();
    // the note is on a step inside a sub-process: drawn on that sub-process's page, with the part
    // of the group that is there
    const page = pageOfStep(model, model.annotations?.[0]?.steps?.[0] ?? '');
    expect(page).toBeDefined();
    expect(drawnArtifacts(model, layoutCanvas(workflowPage(model, undefined))).notes).toEqual([]);
    const workflow = workflowPage(model, page);
    const layout = layoutCanvas(workflow);
    const drawn = drawnArtifacts(workflow, layout);
    const { container } = render(<DrawnArtifacts drawn={drawn} />);

    const annotation = workflow.annotations?.[0];
    const noted = workflow.steps.find((s) => s.id === annotation?.steps?.[0]);
    const note = screen.getByRole('note', {
      name: `Note on ${noted?.label}: Two pharmacists sign for controlled drugs`,
    });
    expect(note.textContent).toBe('Two pharmacists sign for controlled drugs');
    const group = screen.getByRole('img', { name: 'Group: Pharmacy review' });
    expect(group.textContent).toBe('Pharmacy review');

    // the group's frame is around every step of it on this page, as the canvas places them
    const frame = drawn.groups[0];
    if (!frame) throw new Error('no group drawn');
    expect(group.style.left).toBe(`${frame.x}px`);
    const inside = layout.steps.filter((s) => workflow.groups?.[0]?.steps?.includes(s.step.id));
    expect(inside.length).toBeGreaterThan(1);
    for (const p of inside) {
      expect(p.x).toBeGreaterThan(frame.x);
      expect(p.y).toBeGreaterThan(frame.y);
      expect(p.x + p.width).toBeLessThan(frame.x + frame.width);
      expect(p.y + p.height).toBeLessThan(frame.y + frame.height);
    }
    // the note keeps its stored place beside its step, moved with the step's lane; its line ends
    // on the step's edge
    const step = layout.steps.find((s) => s.step.id === noted?.id);
    const placed = drawn.notes[0];
    if (!step || !placed || !annotation?.bounds || !noted) throw new Error('no note drawn');
    const lane = layout.lanes.find((l) => l.id === noted.lane);
    expect(placed.y).toBe(annotation.bounds.y + (lane?.shift ?? Number.NaN));
    expect(placed.x).toBe(annotation.bounds.x);
    const [line] = container.querySelectorAll('line.wf-association');
    expect(line?.getAttribute('x1')).toBe(String(placed.x));
    expect(Number(line?.getAttribute('x2'))).toBeGreaterThanOrEqual(step.x);
    expect(Number(line?.getAttribute('x2'))).toBeLessThanOrEqual(step.x + step.width);
    expect(container.querySelectorAll('path.wf-note-bracket')).toHaveLength(1);
  });

  it('puts a note with no stored place above its first step, and leaves out one with neither', () => {
    const intake = sampleWorkflow('patient-intake.current');
    const first = intake.steps[0];
    if (!first) throw new Error('no steps');
    const workflow: Workflow = {
      ...intake,
      annotations: [
        { id: 'a1', text: 'Paper only', steps: [first.id] },
        { id: 'a2', text: 'Nowhere' },
      ],
      groups: [{ id: 'g1', label: 'Drawn empty', bounds: { x: 10, y: 20, width: 30, height: 40 } }],
    };
    const layout = layoutCanvas(workflow);
    const drawn = drawnArtifacts(workflow, layout);
    const step = layout.steps.find((p) => p.step.id === first.id);
    if (!step) throw new Error('step not placed');
    expect(drawn.notes.map((n) => n.id)).toEqual(['a1']);
    expect(drawn.notes[0]).toMatchObject({ x: step.x, y: step.y - 56, stepLabels: [first.label] });
    expect(drawn.groups).toEqual([{ id: 'g1', label: 'Drawn empty', x: 10, y: 20, width: 30, height: 40 }]);
    render(<DrawnArtifacts drawn={drawn} />);
    expect(screen.getByRole('note', { name: `Note on ${first.label}: Paper only` })).toBeTruthy();
  });
});
