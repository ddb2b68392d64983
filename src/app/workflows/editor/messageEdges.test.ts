import { describe, expect, it } from 'vitest';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import { edgeSelection, MESSAGE_EDGE_PREFIX, messageEdges, messageKeyOfEdge } from './messageEdges.ts';
import { flowKey, NOTHING_SELECTED, type Selection } from './selection.ts';

describe('messageEdges', () => {
  const base = fixtureWorkflow();
  const [first, second] = base.steps;
  if (!first || !second) throw new Error('fixture changed');
  const withMessages = {
    ...base,
    pools: [{ id: 'payer', name: 'Insurer' }],
    messageFlows: [
      { from: first.id, to: second.id, label: 'Eligibility' },
      { from: second.id, to: 'payer' },
    ],
  };
  const key = flowKey(first.id, second.id);

  it('draws a message between two steps dashed, apart from the flows, selectable by its ends', () => {
    const edges = messageEdges(withMessages);
    expect(edges).toHaveLength(1); // a message to a whole pool has no step to end on
    expect(edges[0]).toMatchObject({
      source: first.id,
      target: second.id,
      className: 'wf-message',
      selected: false,
      label: 'Eligibility',
      ariaLabel: `Message “Eligibility” from ${first.label} to ${second.label}`,
    });
    expect(edges[0]?.selectable).not.toBe(false);
    expect(edges[0]?.focusable).not.toBe(false);
    const id = edges[0]?.id ?? '';
    expect(id.startsWith(MESSAGE_EDGE_PREFIX)).toBe(true);
    expect(messageKeyOfEdge(id)).toBe(key);
    expect(messageEdges(withMessages, [key])[0]?.selected).toBe(true);
  });

  it('gives two messages between the same ends edges of their own', () => {
    const twice = {
      ...base,
      messageFlows: [
        { from: first.id, to: second.id },
        { from: first.id, to: second.id },
      ],
    };
    const [a, b] = messageEdges(twice);
    expect(a?.id).not.toBe(b?.id);
    expect(messageKeyOfEdge(a?.id ?? '')).toBe(messageKeyOfEdge(b?.id ?? ''));
  });

  it('names no message by a flow’s edge', () => {
    expect(messageKeyOfEdge(key)).toBeNull();
  });

  it('draws nothing for a workflow without messages', () => {
    expect(messageEdges(base)).toEqual([]);
  });
});

describe('edgeSelection', () => {
  const message = messageEdges({
    ...fixtureWorkflow(),
    messageFlows: [{ from: 'arrive', to: 'form' }],
  })[0]?.id as string;
  const flow = flowKey('form', 'insured');
  const cases: { description: string; before: Selection; changes: [string, boolean][]; after: Selection }[] =
    [
      {
        description: 'a click on a message selects the message, not a flow, and leaves the lane',
        before: { steps: [], flows: [], lane: 'nurse' },
        changes: [[message, true]],
        after: { steps: [], flows: [], lane: null, messages: [flowKey('arrive', 'form')] },
      },
      {
        description: 'a click on a flow then unselects the message',
        before: { steps: [], flows: [], lane: null, messages: [flowKey('arrive', 'form')] },
        changes: [
          [message, false],
          [flow, true],
        ],
        after: { steps: [], flows: [flow], lane: null },
      },
      {
        description: 'a message added to selected flows (Shift)',
        before: { steps: ['form'], flows: [flow], lane: null },
        changes: [[message, true]],
        after: { steps: ['form'], flows: [flow], lane: null, messages: [flowKey('arrive', 'form')] },
      },
    ];
  for (const { description, before, changes, after } of cases) {
    it(description, () => {
      expect(
        edgeSelection(
          before,
          changes.map(([id, selected]) => ({ type: 'select', id, selected })),
        ),
      ).toEqual(after);
    });
  }

  it('returns the selection itself for changes that are not selections', () => {
    const before = { ...NOTHING_SELECTED };
    expect(edgeSelection(before, [{ type: 'remove', id: flow }])).toBe(before);
  });
});
