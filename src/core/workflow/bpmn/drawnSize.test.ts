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
