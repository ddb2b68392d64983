/**
 * Drill-in to a sub-process: the inspector of a sub-process says what it holds and its inner
 * time and links to its page; the trail on a sub-process's page links back up, each entry an
 * address of its own (so Back and Forward work), the open page marked current.
 */
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { pageTrail } from '../../../core/workflow/index.ts';
import { type Step, WORKFLOW_FORMAT, type Workflow } from '../../../formats/workflow.ts';
import { SubProcessLink } from './Inspector.tsx';
import { PageTrail } from './PageTrail.tsx';

const step = (id: string, label: string, extra: Partial<Step> = {}): Step => ({
  id,
  label,
  lane: 'nurse',
  kind: 'task',
  medium: 'digital',
  system: '',
  touchMin: 0,
  waitMin: 0,
  clicks: 0,
  enters: [],
  ...extra,
});

const workflow: Workflow = {
  format: WORKFLOW_FORMAT,
  id: 'visit',
  name: 'Clinic visit',
  state: 'current',
  arrivalsPerHour: 0,
  lanes: [{ id: 'nurse', name: 'Nurse', staff: 1 }],
  steps: [
    step('start', 'Arrive', { kind: 'start' }),
    step('checkin', 'Check in'),
    step('form', 'Fill in form', { within: 'checkin', touchMin: 4 }),
    step('verify', 'Verify identity', { within: 'checkin' }),
    step('idcheck', 'Look at ID', { within: 'verify', touchMin: 2 }),
    step('end', 'Leave', { kind: 'end' }),
  ],
  flows: [
    { from: 'start', to: 'checkin', transfer: 'none' },
    { from: 'checkin', to: 'form', transfer: 'none' },
    { from: 'form', to: 'verify', transfer: 'none' },
    { from: 'verify', to: 'idcheck', transfer: 'none' },
    { from: 'idcheck', to: 'end', transfer: 'none' },
  ],
};

const href = (inside: string | undefined) =>
  inside === undefined ? '#/workflows/workflow/visit' : `#/workflows/workflow/visit/inside/${inside}`;

describe('SubProcessLink', () => {
  it('says what a sub-process holds and its time inside, and opens its page', () => {
    render(<SubProcessLink workflow={workflow} step={workflow.steps[1] as Step} pageHref={href} />);
    expect(screen.getByText(/A sub-process of 2 steps, about 6 min per case inside/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open its steps' }).getAttribute('href')).toBe(
      '#/workflows/workflow/visit/inside/checkin',
    );
  });

  it('is not shown for a step that holds none', () => {
    const { container } = render(
      <SubProcessLink workflow={workflow} step={workflow.steps[2] as Step} pageHref={href} />,
    );
    expect(container.textContent).toBe('');
  });
});

describe('PageTrail', () => {
  it('links back to the workflow’s page and every sub-process above the open one', () => {
    render(<PageTrail workflowName={workflow.name} trail={pageTrail(workflow, 'verify')} pageHref={href} />);
    const trail = screen.getByRole('navigation', { name: 'Sub-process' });
    expect(
      within(trail)
        .getAllByRole('link')
        .map((a) => [a.textContent, a.getAttribute('href')]),
    ).toEqual([
      ['Clinic visit', '#/workflows/workflow/visit'],
      ['Check in', '#/workflows/workflow/visit/inside/checkin'],
    ]);
    expect(within(trail).getByText('Verify identity').getAttribute('aria-current')).toBe('page');
  });

  it('shows nothing on the workflow’s own page', () => {
    const { container } = render(
      <PageTrail workflowName={workflow.name} trail={pageTrail(workflow, undefined)} pageHref={href} />,
    );
    expect(container.textContent).toBe('');
  });
});
