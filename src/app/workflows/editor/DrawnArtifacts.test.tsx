import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { bpmnModelBytes } from '../../../../tests/fixtures/miwg.ts';
import { decodeXmlBytes, importBpmn } from '../../../core/workflow/bpmn/index.ts';
import { pageOfStep, routeCrossesBoxes, subProcessIds, workflowPage } from '../../../core/workflow/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { sampleWorkflow } from '../testSamples.ts';
import { drawnArtifacts } from './artifactLayout.ts';
import { layoutCanvas, stepBoxes } from './canvasModel.ts';
import { DrawnArtifacts } from './DrawnArtifacts.tsx';

/** A vendor-style model with a group around seven steps and a note on one of them. */
async function imported(name = 'enterprise-architect-medication-reconciliation.bpmn'): Promise<Workflow> {
  const decoded = decodeXmlBytes(bpmnModelBytes(name));
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

describe('documents on the canvas', () => {
  // the public models with documents joined to steps (MIWG and vendor-style)
  it.each([
    'B.1.0.bpmn',
    'B.2.0.bpmn',
    'C.1.1.bpmn',
    'C.4.0.bpmn',
    'C.5.0.bpmn',
    'C.7.0.bpmn',
    'C.8.0.bpmn',
    'itp-commerce-referral-data-outside-pools.bpmn',
    'signavio-new-patient-intake.bpmn',
    'trisotech-specialist-referral-pools.bpmn',
  ])('%s: every association goes around the steps, documents and notes in its way', async (name) => {
    const model = await imported(name);
    let associations = 0;
    for (const page of [undefined, ...subProcessIds(model)]) {
      const workflow = workflowPage(model, page);
      const layout = layoutCanvas(workflow);
      const drawn = drawnArtifacts(workflow, layout);
      const shapes = [
        ...stepBoxes(layout),
        ...drawn.documents.map((d) => ({ ...d, id: d.id })),
        ...drawn.notes.map((n) => ({ ...n, id: n.id })),
      ];
      for (const document of drawn.documents) {
        for (const link of document.links) {
          associations++;
          const others = shapes.filter((shape) => shape.id !== document.id && shape.id !== link.step);
          expect(
            routeCrossesBoxes(link.points, others),
            `${document.label} ${link.reads ? '→' : '←'} ${link.stepLabel}`,
          ).toBe(false);
        }
      }
    }
    expect(associations).toBeGreaterThan(0);
  });

  it('draws each drawing of a document, named by who reads and writes it, with an arrow to the reader', async () => {
    const model = await imported('signavio-new-patient-intake.bpmn');
    const layout = layoutCanvas(model);
    const drawn = drawnArtifacts(model, layout);
    const { container } = render(<DrawnArtifacts drawn={drawn} />);
    const documents = (model.dataObjects ?? []).filter(
      (d) => (d.readBy?.length ?? 0) + (d.writtenBy?.length ?? 0) > 0,
    );
    expect(drawn.documents.length).toBeGreaterThanOrEqual(documents.length);
    const label = new Map(model.steps.map((s) => [s.id, s.label]));
    for (const document of documents) {
      const read = (document.readBy ?? []).map((id) => label.get(id));
      const written = (document.writtenBy ?? []).map((id) => label.get(id));
      const name = `${document.kind === 'store' ? 'Store' : 'Document'}: ${document.label}${
        read.length > 0 ? `, read by ${read.join(', ')}` : ''
      }${written.length > 0 ? `, written by ${written.join(', ')}` : ''}`;
      expect(screen.getByRole('img', { name })).toBeTruthy();
    }
    // each drawing once, over the picture (not inside its lines)
    expect(container.querySelectorAll('.wf-document')).toHaveLength(drawn.documents.length);
    expect(container.querySelectorAll('svg .wf-document')).toHaveLength(0);
    const lines = container.querySelectorAll('path.wf-data-association');
    expect(lines).toHaveLength(drawn.documents.reduce((n, d) => n + d.links.length, 0));
    for (const line of lines) expect(line.getAttribute('marker-end')).toBe('url(#wf-association-arrow)');
  });

  it('draws what a case arrives and leaves with (MIWG C.6.0) with bpmn-js’s arrow, hollow in and filled out', async () => {
    const model = await imported('C.6.0.bpmn');
    const drawn = drawnArtifacts(model, layoutCanvas(model));
    const { container } = render(<DrawnArtifacts drawn={drawn} />);
    const label = new Map(model.steps.map((s) => [s.id, s.label]));
    const input = model.dataObjects?.find((d) => d.io === 'input');
    const output = model.dataObjects?.find((d) => d.io === 'output');
    if (!input || !output) throw new Error('C.6.0: no data input and output of the process');
    const readers = (input.readBy ?? []).map((id) => label.get(id)).join(', ');
    const writers = (output.writtenBy ?? []).map((id) => label.get(id)).join(', ');
    expect(
      screen.getByRole('img', { name: `Incoming document: Travel Request, read by ${readers}` }),
    ).toBeTruthy();
    expect(
      screen.getByRole('img', { name: `Outgoing document: Itinerary, written by ${writers}` }),
    ).toBeTruthy();
    expect(container.querySelectorAll('path.wf-document-io.wf-document-input')).toHaveLength(1);
    expect(container.querySelectorAll('path.wf-document-io.wf-document-output')).toHaveLength(1);
  });
});
