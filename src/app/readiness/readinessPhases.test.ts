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
    decisions: Array.from({ length: decisions }, () => ({})),
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
        "1 planned workflow compared with today's, each with a training checklist for every role (Workflows, Training by role).",
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
      goLive: '0 sample plans; 2 samples drawn, 4 record decisions by clinicians, not signed off yet.',
    },
    {
      name: 'signed',
      reviews: [review(59, 1)],
      goLive: '0 sample plans; 1 sample drawn, 59 record decisions by clinicians, 1 sign-off signature.',
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
