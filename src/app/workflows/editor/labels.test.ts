/** The badge and spoken words that keep an imported model's task types visible on the canvas. */
import { describe, expect, it } from 'vitest';
import type { Step } from '../../../formats/workflow.ts';
import { activityTypeLabel } from './labels.ts';
import { stepAriaLabel } from './nodes.tsx';

const step = (partial: Partial<Step>): Step => ({
  id: 's',
  label: 'Order lab',
  lane: 'l',
  kind: 'task',
  medium: 'digital',
  system: '',
  touchMin: 0,
  waitMin: 0,
  clicks: 0,
  enters: [],
  ...partial,
});

describe('activityTypeLabel', () => {
  it.each([
    [{ bpmn: { type: 'serviceTask' } }, 'Service task'],
    [{ bpmn: { type: 'businessRuleTask' } }, 'Business rule task'],
    [{ bpmn: { type: 'subProcess' } }, 'Sub-process'],
    [{ kind: 'approval', bpmn: { type: 'userTask' } }, 'User task'],
    [{ bpmn: { type: 'task' } }, null],
    [{}, null],
    [{ kind: 'decision', bpmn: { type: 'eventBasedGateway' } }, null],
  ] as [Partial<Step>, string | null][])('%j → %s', (partial, label) => {
    expect(activityTypeLabel(step(partial))).toBe(label);
  });

  it('is said with the step', () => {
    expect(stepAriaLabel(step({ bpmn: { type: 'serviceTask' } }), 'Lab')).toBe(
      'Task (service task): Order lab, Lab',
    );
  });
});
