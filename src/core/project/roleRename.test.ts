/**
 * A role is a lane name: putting a workflow whose lane was renamed carries the lane's training
 * entry and its owner entry to the new name once no lane bears the old one, and leaves both
 * records alone otherwise.
 */
import { describe, expect, it } from 'vitest';
import type { Project } from '../../formats/project.ts';
import { readRoleOwners, withRoleOwners } from '../../formats/roleOwners.ts';
import { readTrainingRecord, type TrainingRecord, withTrainingRecord } from '../../formats/trainingRecord.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { current, planned } from '../readiness/testing/crafted.ts';
import { applyChange, createProject } from './changes.ts';

const NOW = '2026-11-24T12:00:00Z';

const renamed = (workflow: Workflow, names: Record<string, string>): Workflow => ({
  ...workflow,
  lanes: workflow.lanes.map((l) => ({ ...l, name: names[l.id] ?? l.name })),
});

/** A project with `workflows`, the training `record` and an owner for each of its roles. */
function projectWith(workflows: Workflow[], record: TrainingRecord): Project {
  const empty = createProject({ id: 'p1', name: 'Maple Street', now: NOW });
  const owners = record.roles.map((r) => ({
    role: r.role,
    owner: `Lead of ${r.role}`,
    stakeholders: ['Kim Ode'],
  }));
  return {
    ...empty,
    workflows,
    meta: {
      ...empty.meta,
      settings: withRoleOwners(withTrainingRecord(empty.meta.settings, record), { roles: owners }),
    },
  };
}

const desk = { role: 'Front desk', staff: 6, trained: 5, superUsers: ['Ana Ruiz'] };
const nurse = { role: 'Nurse', staff: 3, trained: 3 };
const withNurse: Workflow = {
  ...current,
  id: 'triage-today',
  process: 'triage',
  lanes: [{ id: 'rn', name: 'Nurse', staff: 1 }],
  steps: current.steps.map((s) => ({ ...s, lane: 'rn' })),
};

describe('a renamed lane carries its training entry', () => {
  it.each<{
    what: string;
    workflows: Workflow[];
    put: Workflow;
    record: TrainingRecord;
    roles: string[];
  }>([
    {
      what: 'the only lane of its name: the entry follows, every figure kept',
      workflows: [current],
      put: renamed(current, { desk: 'Reception' }),
      record: { roles: [desk, nurse], support: [] },
      roles: ['Reception', 'Nurse'],
    },
    {
      what: 'renamed in the planned workflow while today’s lane keeps the name: the entry stays',
      workflows: [current, planned],
      put: renamed(planned, { desk: 'Reception' }),
      record: { roles: [desk], support: [] },
      roles: ['Front desk'],
    },
    {
      what: 'renamed in both, one put at a time: the entry follows the second',
      workflows: [renamed(current, { desk: 'Reception' }), planned],
      put: renamed(planned, { desk: 'Reception' }),
      record: { roles: [desk], support: [] },
      roles: ['Reception'],
    },
    {
      what: 'the new name has an entry already: neither is merged nor dropped',
      workflows: [current],
      put: renamed(current, { desk: 'Reception' }),
      record: { roles: [desk, { role: 'Reception', staff: 2 }], support: [] },
      roles: ['Front desk', 'Reception'],
    },
    {
      what: 'a lane not renamed: nothing changes',
      workflows: [current, withNurse],
      put: { ...current, name: 'Check-in as it is' },
      record: { roles: [desk, nurse], support: [] },
      roles: ['Front desk', 'Nurse'],
    },
    {
      what: 'a new workflow: nothing to carry',
      workflows: [current],
      put: { ...withNurse, lanes: [{ id: 'rn', name: 'Registered nurse', staff: 1 }] },
      record: { roles: [desk, nurse], support: [] },
      roles: ['Front desk', 'Nurse'],
    },
  ])('$what', ({ workflows, put, record, roles }) => {
    const before = projectWith(workflows, record);
    const after = applyChange(before, { type: 'workflow/put', workflow: put }, NOW);
    const kept = readTrainingRecord(after.meta.settings);
    expect(kept.roles.map((r) => r.role)).toEqual(roles);
    // the owner entry goes where the training entry goes, its names unchanged
    const owners = readRoleOwners(after.meta.settings).roles;
    expect(owners.map((r) => r.role)).toEqual(roles);
    for (const r of owners) {
      const was = readRoleOwners(before.meta.settings).roles.find((o) => o.owner === r.owner);
      expect(was).toEqual({ ...r, role: was?.role });
    }
    expect(after.workflows.find((w) => w.id === put.id)).toBe(put);
  });

  it('keeps an entry written by hand in a shape the reader skips, and every other setting', () => {
    const before = projectWith([current], { roles: [desk], support: [] });
    const odd = { role: 42, note: 'kept' };
    const settings = {
      ...before.meta.settings,
      other: { x: 1 },
      trainingRecord: {
        ...(before.meta.settings.trainingRecord as object),
        roles: [odd, desk],
        extra: 'kept',
      },
    };
    const after = applyChange(
      { ...before, meta: { ...before.meta, settings } },
      { type: 'workflow/put', workflow: renamed(current, { desk: 'Reception' }) },
      NOW,
    );
    expect(after.meta.settings).toEqual({
      ...settings,
      trainingRecord: { ...settings.trainingRecord, roles: [odd, { ...desk, role: 'Reception' }] },
      roleOwners: {
        roles: [{ role: 'Reception', owner: 'Lead of Front desk', stakeholders: ['Kim Ode'] }],
      },
    });
  });
});
