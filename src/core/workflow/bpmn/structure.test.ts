/** Which steps BPMN export nests in a sub-process or attaches as a boundary event, and which it cannot. */
import { describe, expect, it } from 'vitest';
import { type Step, WORKFLOW_FORMAT, type Workflow } from '../../../formats/workflow.ts';
import { exportBpmn } from './exportBpmn.ts';
import { importBpmn } from './importBpmn.ts';
import { bpmnStructure, isInside } from './structure.ts';

const step = (id: string, partial: Partial<Step> = {}): Step => ({
  id,
  label: id,
  lane: 'l',
  kind: 'task',
  medium: 'digital',
  system: '',
  touchMin: 1,
  waitMin: 0,
  clicks: 1,
  enters: [],
  ...partial,
});

const workflow = (steps: Step[], flows: [string, string][] = []): Workflow => ({
  format: WORKFLOW_FORMAT,
  id: 'w',
  name: 'W',
  state: 'current',
  arrivalsPerHour: 1,
  lanes: [{ id: 'l', name: 'L', staff: 1 }],
  steps,
  flows: flows.map(([from, to]) => ({ from, to, transfer: 'none' })),
});

const timer = (host: string): Step['boundary'] => ({
  attachedTo: host,
  trigger: 'timer',
  interrupting: true,
});

describe('bpmnStructure', () => {
  it('nests steps in activities, transitively', () => {
    const s = bpmnStructure(workflow([step('a'), step('b', { within: 'a' }), step('c', { within: 'b' })]));
    expect([...s.containers].sort()).toEqual(['a', 'b']);
    expect(isInside(s, 'c', 'a')).toBe(true);
    expect(isInside(s, 'a', 'c')).toBe(false);
  });

  it('leaves on the process’s page a step inside a decision, or inside a loop of steps', () => {
    const s = bpmnStructure(
      workflow([
        step('d', { kind: 'decision' }),
        step('x', { within: 'd' }),
        step('p', { within: 'q' }),
        step('q', { within: 'p' }),
      ]),
    );
    expect(s.parentOf.size).toBe(0);
  });

  it('attaches a boundary step reached only from its activity, else writes it in line', () => {
    const s = bpmnStructure(
      workflow(
        [
          step('t'),
          step('g', { kind: 'decision' }),
          step('ok', { kind: 'wait', boundary: timer('t') }),
          step('also-reached', { kind: 'wait', boundary: timer('t') }),
          step('on-gateway', { kind: 'wait', boundary: timer('g') }),
          step('no-flow', { kind: 'wait', boundary: timer('t') }),
        ],
        [
          ['t', 'ok'],
          ['t', 'also-reached'],
          ['g', 'also-reached'],
          ['g', 'on-gateway'],
        ],
      ),
    );
    expect([...s.attached]).toEqual([['ok', 't']]);
  });

  it('attaches nothing to a boundary event; in a loop of hosts the first stays in line', () => {
    const s = bpmnStructure(
      workflow(
        [
          step('t'),
          step('x', { boundary: timer('t') }),
          step('y', { boundary: timer('x') }),
          step('p', { boundary: timer('q') }),
          step('q', { boundary: timer('p') }),
        ],
        [
          ['t', 'x'],
          ['x', 'y'],
          ['q', 'p'],
          ['p', 'q'],
        ],
      ),
    );
    expect([...s.attached]).toEqual([
      ['x', 't'],
      ['q', 'p'],
    ]);
  });

  it('exports and reads back what it cannot nest or attach, unchanged', async () => {
    const original = workflow(
      [
        step('p', { within: 'q' }),
        step('q', { within: 'p' }),
        step('g', { kind: 'decision' }),
        step('on-gateway', { kind: 'wait', boundary: timer('g') }),
      ],
      [['g', 'on-gateway']],
    );
    const again = (await importBpmn(await exportBpmn(original))).workflow;
    expect(again?.steps.map(({ position: _, ...rest }) => rest)).toEqual(original.steps);
    expect(again?.flows).toEqual(original.flows);
  });
});
