import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject } from '../../core/project/changes.ts';
import type { Project } from '../../formats/project.ts';
import type { Review } from '../../formats/review.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { loadWorkflow } from '../../formats/workflow.ts';
import { readinessPhases } from './readinessPhases.ts';

const WORKFLOWS = join(import.meta.dirname, '../../../samples/workflows');

function sampleWorkflow(file: string): Workflow {
  const result = loadWorkflow(JSON.parse(readFileSync(join(WORKFLOWS, file), 'utf8')));
  if (!result.ok) throw new Error(`${file}: ${result.problems[0]?.message}`);
  return result.value;
}

const current = sampleWorkflow('lab-results.current.json');
const future = sampleWorkflow('lab-results.future.json');
const otherFuture = sampleWorkflow('patient-intake.future.json');

/** A review with `decisions` decisions and `signatures` signatures (their content does not matter here). */
function review(decisions: number, signatures: number): Review {
  return {
    decisions: Array.from({ length: decisions }, (_, i) => ({ stratum: 'all', recordKey: `r${i}` })),
    signatures: Array.from({ length: signatures }, () => ({})),
  } as unknown as Review;
}

function project(workflows: Workflow[], reviews?: Review[]): Project {
  const base = createProject({ id: 'p', name: 'Clinic', now: '2026-11-24T00:00:00Z' });
  return { ...base, workflows, ...(reviews ? { reviews } : {}) };
}

const evidence = (p: Project, phase: string) => readinessPhases(p).find((x) => x.name === phase)?.evidence;

describe('readinessPhases', () => {
  it.each([
    {
      name: 'no workflows',
      workflows: [],
      training:
        "No planned workflow is linked to today's yet; the training checklist for each role comes from that comparison.",
    },
    {
      name: 'a planned workflow whose current one is missing',
      workflows: [otherFuture],
      training:
        "No planned workflow is linked to today's yet; the training checklist for each role comes from that comparison.",
    },
    {
      name: 'a current and its planned workflow',
      workflows: [current, future],
      training:
        "1 process with a planned workflow compared with today's, each with a training checklist for every role (Workflows, Training by role).",
    },
    {
      name: 'a pair made in the app (the planned one names its baseline, neither names a process)',
      workflows: [
        { ...current, id: 'w-today', process: undefined },
        { ...future, id: 'w-plan', process: undefined, baseline: 'w-today' },
      ],
      training:
        "1 process with a planned workflow compared with today's, each with a training checklist for every role (Workflows, Training by role).",
    },
    {
      name: 'two planned workflows of one process: one comparison, as the Workflows screen shows',
      workflows: [current, future, { ...future, id: 'lab-results-plan-b' }],
      training:
        "1 process with a planned workflow compared with today's, each with a training checklist for every role (Workflows, Training by role).",
    },
  ])('Training states what the project holds: $name', ({ workflows, training }) => {
    expect(evidence(project(workflows), 'Training')).toBe(training);
  });

  it.each([
    {
      name: 'no review (older project)',
      reviews: undefined,
      goLive: '0 sample plans; no sample drawn for review yet.',
    },
    { name: 'no review', reviews: [], goLive: '0 sample plans; no sample drawn for review yet.' },
    {
      name: 'decisions, no signature',
      reviews: [review(3, 0), review(1, 0)],
      goLive: '0 sample plans; 2 samples drawn, 4 records decided by clinicians, not signed off yet.',
    },
    {
      name: 'signed',
      reviews: [review(59, 1)],
      goLive: '0 sample plans; 1 sample drawn, 59 records decided by clinicians, 1 sign-off signature.',
    },
    {
      name: 'a record decided twice counts once',
      reviews: [
        {
          ...review(2, 0),
          decisions: [
            { stratum: 'all', recordKey: 'r0' },
            { stratum: 'all', recordKey: 'r0' },
          ],
        } as unknown as Review,
      ],
      goLive: '0 sample plans; 1 sample drawn, 1 record decided by clinicians, not signed off yet.',
    },
  ])('Go-live counts the reviews, decisions and signatures: $name', ({ reviews, goLive }) => {
    expect(evidence(project([], reviews), 'Go-live')).toBe(goLive);
  });

  it('names the five phases in order', () => {
    expect(readinessPhases(project([current, future])).map((p) => p.name)).toEqual([
      'Discovery',
      'Configuration',
      'Training',
      'Pre-launch',
      'Go-live',
    ]);
  });

  it('never speaks of a later version', () => {
    for (const phase of readinessPhases(project([current, future], [review(1, 0)]))) {
      expect(phase.evidence).not.toMatch(/arrive|coming|later|soon|will /i);
    }
  });
});
