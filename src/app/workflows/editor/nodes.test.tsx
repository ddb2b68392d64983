import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { StepKind } from '../../../formats/workflow.ts';
import { labelPlace, StepLabel } from './nodes.tsx';

const LONG =
  'Verify the patient’s insurance eligibility with the payer portal and record the reference number';

describe('step labels', () => {
  it('puts the name of a circle or a diamond under its shape, so no diamond cuts it', () => {
    const below: StepKind[] = [
      'start',
      'end',
      'decision',
      'parallel-split',
      'parallel-join',
      'inclusive-split',
      'inclusive-join',
    ];
    const inside: StepKind[] = ['task', 'approval', 'wait'];
    expect(below.map(labelPlace)).toEqual(below.map(() => 'below'));
    expect(inside.map(labelPlace)).toEqual(inside.map(() => 'inside'));
  });

  it.each([
    ['task', 'wf-step-label'],
    ['decision', 'wf-step-caption'],
  ] as const)('keeps the whole name of a %s available where the box cuts it', (kind, className) => {
    render(<StepLabel step={{ kind, label: LONG }} />);
    const label = screen.getByText(LONG);
    expect(label.className).toBe(className);
    expect(label.getAttribute('title')).toBe(LONG);
  });
});
