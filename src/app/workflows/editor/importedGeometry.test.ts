/**
 * Imported models open in the editor as they were modeled: on every public BPMN model (the MIWG
 * references and the vendor-style models), on each page the editor shows, the rectangles the
 * canvas draws (layoutCanvas, the function the React Flow canvas places its nodes with) overlap
 * pairwise nowhere (touching edges is fine), and every flow between two shapes keeps a visible
 * stretch between the shapes' sides (a flow between shapes drawn on top of each other vanishes).
 */
import { describe, expect, it } from 'vitest';
import { bpmnModelBytes, bpmnModelFiles } from '../../../../tests/fixtures/miwg.ts';
import { decodeXmlBytes, importBpmn } from '../../../core/workflow/bpmn/index.ts';
import { subProcessIds, workflowPage } from '../../../core/workflow/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { layoutCanvas, type PlacedStep } from './canvasModel.ts';

async function imported(name: string): Promise<Workflow> {
  const decoded = decodeXmlBytes(bpmnModelBytes(name));
  if (!decoded.ok) throw new Error(`${name}: ${decoded.message}`);
  const { workflow } = await importBpmn(decoded.text);
  if (!workflow) throw new Error(`${name} did not import`);
  return workflow;
}

/** The pages the editor shows: the workflow's own, then each sub-process's. */
function pages(workflow: Workflow): (string | undefined)[] {
  return [undefined, ...[...subProcessIds(workflow)].sort()];
}

/** Pairs of drawn step rectangles (boundary events sit on their host's border, so they are left out) whose insides overlap. */
function overlappingPairs(steps: readonly PlacedStep[]): string[] {
  const boxes = steps.filter((placed) => !placed.attached);
  const pairs: string[] = [];
  boxes.forEach((a, i) => {
    for (const b of boxes.slice(i + 1)) {
      const across = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const down = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (across > 0.5 && down > 0.5) pairs.push(`${a.step.id} × ${b.step.id}`);
    }
  });
  return pairs;
}

/** Flows whose two shapes leave no room between them: the drawn edge has nothing to show. */
function hiddenFlows(workflow: Workflow, steps: readonly PlacedStep[]): string[] {
  const byId = new Map(steps.map((placed) => [placed.step.id, placed]));
  const hidden: string[] = [];
  for (const flow of workflow.flows) {
    const from = byId.get(flow.from);
    const to = byId.get(flow.to);
    if (!from || !to || from === to || from.attached || to.attached) continue;
    // the shortest stretch between the two rectangles: zero when they touch or overlap
    const gapX = Math.max(0, Math.max(from.x, to.x) - Math.min(from.x + from.width, to.x + to.width));
    const gapY = Math.max(0, Math.max(from.y, to.y) - Math.min(from.y + from.height, to.y + to.height));
    if (Math.hypot(gapX, gapY) < 1) hidden.push(`${flow.from} → ${flow.to}`);
  }
  return hidden;
}

describe('imported models drawn as modeled', () => {
  const files = bpmnModelFiles();
  it.each(files)('%s: no two shapes overlap and every flow shows', async (name) => {
    const workflow = await imported(name);
    const found: string[] = [];
    for (const page of pages(workflow)) {
      const shown = workflowPage(workflow, page);
      const { steps } = layoutCanvas(shown);
      const where = page === undefined ? '' : ` (page ${page})`;
      found.push(...overlappingPairs(steps).map((pair) => `overlap ${pair}${where}`));
      found.push(...hiddenFlows(shown, steps).map((flow) => `hidden flow ${flow}${where}`));
    }
    expect(found).toEqual([]);
  });
});
