import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../formats/workflow.ts';
import { comparedProcesses, groupByProcess } from './processGroups.ts';

/** A workflow with only what grouping reads. */
function wf(id: string, state: 'current' | 'future', extra: Partial<Workflow> = {}): Workflow {
  return { id, state, ...extra } as Workflow;
}

describe('workflows grouped by process (the Workflows screen and Readiness)', () => {
  it.each([
    {
      description: 'a pair made in the app: the planned one names its baseline, neither a process',
      workflows: [wf('plan', 'future', { baseline: 'today' }), wf('today', 'current')],
      groups: [['today', ['today', 'plan']]],
      compared: 1,
    },
    {
      description: 'a pair that names its process (the demo, imported files)',
      workflows: [wf('a', 'current', { process: 'intake' }), wf('b', 'future', { process: 'intake' })],
      groups: [['intake', ['a', 'b']]],
      compared: 1,
    },
    {
      description: 'a planned workflow whose baseline is not in the project stands alone',
      workflows: [wf('plan', 'future', { baseline: 'gone' }), wf('today', 'current')],
      groups: [
        ['plan', ['plan']],
        ['today', ['today']],
      ],
      compared: 0,
    },
    {
      description: 'a planned workflow without a process joins its baseline’s process',
      workflows: [
        wf('today', 'current', { process: 'refills' }),
        wf('plan', 'future', { baseline: 'today' }),
      ],
      groups: [['refills', ['today', 'plan']]],
      compared: 1,
    },
    {
      description: 'two planned workflows of one process: one comparison',
      workflows: [
        wf('a', 'current', { process: 'intake' }),
        wf('b', 'future', { process: 'intake' }),
        wf('c', 'future', { process: 'intake' }),
      ],
      groups: [['intake', ['a', 'b', 'c']]],
      compared: 1,
    },
  ])('$description', ({ workflows, groups, compared }) => {
    expect(groupByProcess(workflows).map(([key, group]) => [key, group.map((w) => w.id)])).toEqual(groups);
    expect(comparedProcesses(workflows)).toBe(compared);
  });
});
