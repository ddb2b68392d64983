/**
 * The capacity check against a log offers the exception paths' chances measured from that log:
 * shown with the log's figures beside the check's result, and set on the workflow only when the
 * analyst asks, as one change.
 */
import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { createProject } from '../../../core/project/changes.ts';
import { type BoundaryChanceEstimate, previewLog } from '../../../core/workflow/eventlog/index.ts';
import { workflow as buildWorkflow, flow, step } from '../../../core/workflow/index.ts';
import type { Project } from '../../../formats/project.ts';
import { fixtureWorkflowBackTest } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { createJobRegistry } from '../../jobs/jobRegistry.ts';
import { JobsContext } from '../../jobs/jobsContext.ts';
import { MODEL_CHECK_KIND, type ModelCheckOutcome, type ModelCheckRequest } from './eventLogJobs.ts';
import { ModelCheckPanel } from './ModelCheckPanel.tsx';

const design: Workflow = {
  ...buildWorkflow(
    [{ id: 'n', name: 'Nurse', staff: 1 }],
    [
      step('s', 'n', 0, { kind: 'start' }),
      step('triage', 'n', 5, { label: 'Triage' }),
      step('late', 'n', 0, {
        label: 'Too long',
        kind: 'wait',
        boundary: { attachedTo: 'triage', trigger: 'timer', interrupting: true },
      }),
      step('e', 'n', 0, { kind: 'end' }),
    ],
    [flow('s', 'triage'), flow('triage', 'e'), flow('triage', 'late'), flow('late', 'e')],
  ),
  state: 'current',
};

const estimates: BoundaryChanceEstimate[] = [
  {
    flowIndex: 2,
    taskId: 'triage',
    boundaryId: 'late',
    firstSteps: ['e'],
    estimate: { chance: 0.25, cases: 3, ofCases: 12 },
  },
];

const CSV = 'case,activity,time\n1,Triage,2025-03-01 09:00\n';

function Harness({ registry, saved }: { registry: ReturnType<typeof createJobRegistry>; saved: Workflow[] }) {
  const [project, setProject] = useState<Project>(() => ({
    ...createProject({ id: 'p', name: 'Clinic', now: '2026-01-05T09:00:00.000Z' }),
    workflows: [design],
  }));
  return (
    <JobsContext.Provider value={registry}>
      <ModelCheckPanel
        project={project}
        onWorkflowChange={(next) => {
          saved.push(next);
          setProject((p) => ({ ...p, workflows: p.workflows.map((w) => (w.id === next.id ? next : w)) }));
        }}
      />
    </JobsContext.Provider>
  );
}

describe('ModelCheckPanel', () => {
  it('offers the chances measured from the checked log, and sets them only when asked', async () => {
    const registry = createJobRegistry();
    const file = new File([CSV], 'march.csv', { type: 'text/csv' });
    const preview = previewLog(new TextEncoder().encode(CSV), 'march.csv');
    const request: ModelCheckRequest = {
      file,
      preview,
      read: { mapping: { case: 'case', activity: 'activity', timestamp: 'time' } },
      skipBadRows: false,
      workflow: design,
      projectId: 'p',
    };
    const outcome: ModelCheckOutcome = {
      ok: true,
      record: { ...fixtureWorkflowBackTest(design.id, design), log: { name: 'march.csv' } },
      boundaryChances: estimates,
    };
    registry.start({
      kind: MODEL_CHECK_KIND,
      key: MODEL_CHECK_KIND,
      label: 'Capacity model check',
      subject: 'march.csv',
      run: async () => ({ request, outcome }),
    });
    const saved: Workflow[] = [];
    render(<Harness registry={registry} saved={saved} />);

    const section = await screen.findByRole('region', { name: 'How often the exception paths are taken' });
    expect(section.textContent).toContain('the log march.csv shows');
    const row = within(section).getByRole('row', { name: /Triage → Too long/ });
    expect(row.textContent).toContain('25.0 % (3 of 12 cases)');
    expect(row.textContent).toContain('5.0 % (the default)');
    // nothing is set until the analyst asks
    expect(saved).toEqual([]);

    fireEvent.click(within(section).getByRole('button', { name: /Use the measured chances/ }));
    expect(saved).toHaveLength(1);
    expect(saved[0]?.flows[2]?.probability).toBe(0.25);
    expect(within(section).getByRole('status').textContent).toContain('The measured chances are set');
    registry.destroy();
  });
});
