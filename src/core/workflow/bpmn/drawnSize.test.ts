/**
 * A step's drawn size is written in whole pixels, the same wherever the shape lands: a size kept
 * unrounded (41.57 wide) would come out 41 or 42 wide from rounding each edge.
 */
import { describe, expect, it } from 'vitest';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import { exportBpmn } from './exportBpmn.ts';

describe('a drawn size in the export', () => {
  it.each([0, 0.25, 0.5, 0.79])('is written whole at x offset %d', async (offset) => {
    const workflow = fixtureWorkflow();
    const steps = workflow.steps.map((step) =>
      step.id === 'insured'
        ? { ...step, position: { x: 400 + offset, y: 100 + offset }, size: { width: 41.57, height: 40.02 } }
        : step,
    );
    const xml = await exportBpmn({ ...workflow, steps });
    const shape = /bpmnElement="insured"[^>]*>\s*<dc:Bounds ([^>]*)\/>/.exec(xml)?.[1] ?? '';
    expect(shape).toMatch(/width="42"/);
    expect(shape).toMatch(/height="40"/);
  });
});

/**
 * A document without a position goes under the step that writes it: under the shape drawn for a
 * resized step (taller or shorter than the task box), with the gap an unresized task leaves.
 */
describe('a document under a resized step', () => {
  const bounds = (xml: string, id: string) => {
    const found = new RegExp(`bpmnElement="${id}"[^>]*>\\s*<dc:Bounds ([^>]*)/>`).exec(xml)?.[1] ?? '';
    const value = (name: string) => Number(new RegExp(`${name}="([-\\d.]+)"`).exec(found)?.[1]);
    return { y: value('y'), height: value('height') };
  };
  const gapUnder = async (size?: { width: number; height: number }) => {
    const workflow = fixtureWorkflow();
    const steps = workflow.steps.map((step) => (step.id === 'form' && size ? { ...step, size } : step));
    const xml = await exportBpmn({
      ...workflow,
      steps,
      dataObjects: [{ id: 'intake', label: 'Intake form', kind: 'object', writtenBy: ['form'] }],
    });
    const step = bounds(xml, 'form');
    const data = bounds(xml, 'intake');
    return data.y - (step.y + step.height);
  };

  it.each([
    { width: 160, height: 200 },
    { width: 100, height: 40 },
  ])('keeps the unresized gap under a %o shape', async (size) => {
    const gap = await gapUnder();
    expect(gap).toBeGreaterThan(0);
    expect(await gapUnder(size)).toBe(gap);
  });
});
