/**
 * A boundary event's exception path in the export, on a Camunda 8 model (MIWG C.9.1, Camunda
 * Modeler for Camunda 8.1: a receive task with a non-interrupting and an interrupting boundary
 * timer, each leading to a task of its own): drawn as bpmn-js draws it, out of the event away
 * from its host (down from the bottom border), and through no shape but its own two ends, wherever
 * the task it leads to stands: where the file has it, above the host, beside it, or close under
 * the event.
 */
import { describe, expect, it } from 'vitest';
import { bpmnModelBytes } from '../../../../tests/fixtures/miwg.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { decodeXmlBytes } from './decode.ts';
import { boundarySide, exportBpmn } from './exportBpmn.ts';
import { importBpmn } from './importBpmn.ts';
import { edgesCrossingShapes, type Parsed, parse } from './testing/diagramChecks.ts';

const MODEL = 'C.9.1.bpmn';
const HOST = 'ReceiveTask_WaitForDocument';
/** the interrupting timer ("1 week") leads here */
const TARGET = 'UserTask_CallCustomer';

async function imported(): Promise<Workflow> {
  const decoded = decodeXmlBytes(bpmnModelBytes(MODEL));
  if (!decoded.ok) throw new Error(decoded.message);
  const { workflow } = await importBpmn(decoded.text);
  if (!workflow) throw new Error(`${MODEL}: no workflow`);
  return workflow;
}

/** Each exception path's first run: which way it leaves its event, as a side of the event's host. */
function exceptionPathsLeaving(parsed: Parsed): string[] {
  const out: string[] = [];
  for (const page of parsed.pages) {
    for (const [id, points] of page.routes) {
      const flow = parsed.byId[id];
      const event = page.shapes.find((s) => s.element === flow?.sourceRef);
      if (flow?.$type !== 'bpmn:SequenceFlow' || event?.element.$type !== 'bpmn:BoundaryEvent') continue;
      const host = page.shapes.find((s) => s.element === event.element.attachedToRef);
      const [a, b] = points;
      if (!host || !a || !b) continue;
      const side = boundarySide(event.bounds, host.bounds);
      const away =
        side === 'bottom' ? b.x === a.x && b.y > a.y : side === 'top' ? b.x === a.x && b.y < a.y : false;
      out.push(`${id}: ${away ? `away from its host (${side})` : `along or into its host (${side})`}`);
    }
  }
  return out.sort();
}

describe('a boundary timer’s exception path in the export (Camunda 8, MIWG C.9.1)', () => {
  it('is drawn as in the file: down out of each timer, across no shape', async () => {
    const parsed = await parse(await exportBpmn(await imported()));
    expect(edgesCrossingShapes(parsed)).toEqual([]);
    expect(exceptionPathsLeaving(parsed)).toEqual([
      'Flow_BoundaryEvent_1_SendTask_SendReminderEmail: away from its host (bottom)',
      'Flow_BoundaryEvent_2_UserTask_CallCustomer: away from its host (bottom)',
    ]);
  });

  // where the timer's task stands, from the host's place (a step's box is 100×80; the timers sit
  // on the host's bottom border, 18 units below it)
  it.each([
    ['above the host, to its right', { dx: 200, dy: -120 }],
    ['straight above the host', { dx: 0, dy: -160 }],
    ['beside the host, at its height', { dx: 160, dy: 0 }],
    ['behind the host, above it', { dx: -200, dy: -120 }],
    ['close under the timers', { dx: 0, dy: 100 }],
    ['close under the timers, to the left', { dx: -50, dy: 100 }],
  ])('leaves the timer away from its host and crosses no shape with its task %s', async (_, move) => {
    const workflow = await imported();
    const host = workflow.steps.find((step) => step.id === HOST)?.position;
    if (!host) throw new Error('the host has no position');
    const steps = workflow.steps.map((step) =>
      step.id === TARGET ? { ...step, position: { x: host.x + move.dx, y: host.y + move.dy } } : step,
    );
    const parsed = await parse(await exportBpmn({ ...workflow, steps }));
    expect(edgesCrossingShapes(parsed)).toEqual([]);
    expect(exceptionPathsLeaving(parsed).every((line) => line.includes('away from its host'))).toBe(true);
  });
});
