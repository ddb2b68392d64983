import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { StepKind } from '../../../formats/workflow.ts';
import { boxNameLines, CANVAS_NAME_MIN } from './boxName.ts';
import { labelPlace } from './canvasModel.ts';
import { StepLabel } from './nodes.tsx';

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
    expect(below.map((kind) => labelPlace(kind))).toEqual(below.map(() => 'below'));
    expect(inside.map((kind) => labelPlace(kind))).toEqual(inside.map(() => 'inside'));
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

  const INTAKE = 'Complete paper intake form (demographics, insurance, allergies, medications)';

  it('draws a name that needs a fourth line over its badges smaller, whole, at the size the export draws it', () => {
    render(<StepLabel step={{ kind: 'task', label: INTAKE }} badge />);
    const label = screen.getByText(INTAKE);
    const size = Number.parseFloat(label.style.fontSize);
    expect(size).toBeLessThan(12);
    expect(size).toBeGreaterThanOrEqual(CANVAS_NAME_MIN);
    expect(size).toBe(boxNameLines(INTAKE, 72, true).fontSize);
    // the box holds every line the name takes at that size: nothing cut
    expect(Number(label.style.webkitLineClamp)).toBeGreaterThanOrEqual(
      boxNameLines(INTAKE, 72, true).lines.length,
    );
  });

  it('keeps a name at 12 px where its lines fit: a short one, or a long one with the whole box', () => {
    render(<StepLabel step={{ kind: 'task', label: 'Check insurance eligibility' }} badge />);
    expect(screen.getByText('Check insurance eligibility').style.fontSize).toBe('');
    render(<StepLabel step={{ kind: 'task', label: INTAKE }} />);
    expect(screen.getByText(INTAKE).style.fontSize).toBe('');
  });

  it('never draws a name below the smallest size, however long', () => {
    const endless = 'Scan '.repeat(60).trim();
    render(<StepLabel step={{ kind: 'task', label: endless }} badge />);
    expect(screen.getByText(endless).style.fontSize).toBe(`${CANVAS_NAME_MIN}px`);
  });

  it('fits a name in a task another tool drew at 100×80: smaller and on more lines, whole', () => {
    const size = { width: 100, height: 80 };
    render(<StepLabel step={{ kind: 'task', label: INTAKE, size }} />);
    const label = screen.getByText(INTAKE);
    const fontSize = Number.parseFloat(label.style.fontSize);
    expect(fontSize).toBe(boxNameLines(INTAKE, 80, false, CANVAS_NAME_MIN, 100).fontSize);
    expect(fontSize).toBeLessThan(12);
    // the lines it takes at that size in a 100 px box all fit: nothing cut
    expect(Number(label.style.webkitLineClamp)).toBeGreaterThanOrEqual(
      boxNameLines(INTAKE, 80, false, CANVAS_NAME_MIN, 100).lines.length,
    );
  });

  it('names an event another tool drew at 36×36 below its circle', () => {
    render(<StepLabel step={{ kind: 'wait', label: 'Results back', size: { width: 36, height: 36 } }} />);
    expect(screen.getByText('Results back').className).toBe('wf-step-caption');
  });
});
