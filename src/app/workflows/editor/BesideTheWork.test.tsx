/**
 * The inspector shows what travels beside a step's work in an imported collaboration: the
 * messages it sends and receives (to a step or a whole pool) and the documents and stores it
 * reads and writes; nothing when there are none.
 */
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { step as task } from '../../../core/workflow/index.ts';
import { type Step, WORKFLOW_FORMAT, type Workflow } from '../../../formats/workflow.ts';
import { BesideTheWork } from './BesideTheWork.tsx';

const step = (id: string, label: string, lane: string): Step => task(id, lane, 1, { label, system: '' });

const workflow: Workflow = {
  format: WORKFLOW_FORMAT,
  id: 'w',
  name: 'Referral',
  state: 'current',
  arrivalsPerHour: 1,
  pools: [
    { id: 'clinic', name: 'Clinic' },
    { id: 'lab', name: 'Reference lab' },
  ],
  lanes: [
    { id: 'md', name: 'Physician', staff: 1, pool: 'clinic' },
    { id: 'lab', name: 'Reference lab', staff: 1, pool: 'lab' },
  ],
  steps: [step('order', 'Order test', 'md'), step('review', 'Review result', 'md')],
  flows: [{ from: 'order', to: 'review', transfer: 'none' }],
  messageFlows: [
    { from: 'order', to: 'lab', label: 'Lab order' },
    { from: 'lab', to: 'review' },
  ],
  dataObjects: [
    { id: 'form', label: 'Order form', kind: 'object', writtenBy: ['order'], readBy: ['order'] },
    { id: 'ehr', label: 'EHR', kind: 'store', readBy: ['review'] },
  ],
};

describe('BesideTheWork', () => {
  it('lists the messages a step sends and the documents it reads and writes', () => {
    render(<BesideTheWork workflow={workflow} step={workflow.steps[0] as Step} />);
    const messages = screen.getByRole('list', { name: 'Messages' });
    expect(
      within(messages)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['“Lab order” sent to Reference lab']);
    const data = screen.getByRole('list', { name: 'Documents and data' });
    expect(
      within(data)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Reads and writes Order form (document)']);
  });

  it('says what a step receives and which store it reads', () => {
    render(<BesideTheWork workflow={workflow} step={workflow.steps[1] as Step} />);
    expect(screen.getByRole('list', { name: 'Messages' }).textContent).toBe(
      'A message received from Reference lab',
    );
    expect(screen.getByRole('list', { name: 'Documents and data' }).textContent).toBe('Reads EHR (store)');
  });

  it('shows nothing for a step with neither', () => {
    const plain = { ...workflow, messageFlows: [], dataObjects: [] };
    const { container } = render(<BesideTheWork workflow={plain} step={workflow.steps[0] as Step} />);
    expect(container.textContent).toBe('');
  });
});
