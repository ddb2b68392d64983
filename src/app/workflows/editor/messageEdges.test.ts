import { describe, expect, it } from 'vitest';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import { MESSAGE_EDGE_PREFIX, messageEdges } from './messageEdges.ts';

describe('messageEdges', () => {
  const base = fixtureWorkflow();
  const [first, second] = base.steps;
  if (!first || !second) throw new Error('fixture changed');

  it('draws a message between two steps dashed, apart from the flows, never selectable', () => {
    const edges = messageEdges({
      ...base,
      pools: [{ id: 'payer', name: 'Insurer' }],
      messageFlows: [
        { from: first.id, to: second.id, label: 'Eligibility' },
        { from: second.id, to: 'payer' },
      ],
    });
    expect(edges).toHaveLength(1); // a message to a whole pool has no step to end on
    expect(edges[0]).toMatchObject({
      id: `${MESSAGE_EDGE_PREFIX}0`,
      source: first.id,
      target: second.id,
      className: 'wf-message',
      selectable: false,
      label: 'Eligibility',
      ariaLabel: `Message “Eligibility” from ${first.label} to ${second.label}`,
    });
  });

  it('draws nothing for a workflow without messages', () => {
    expect(messageEdges(base)).toEqual([]);
  });
});
