import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject } from '../../core/project/changes.ts';
import { GO_LIVE_MEANING, prepareSignature, REVIEWED_MEANING } from '../../core/signoff/signature.ts';
import { lockedReview } from '../../core/signoff/testing/signedExport.ts';
import type { Project } from '../../formats/project.ts';
import type { Outcome, Review, Signature } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { fixtureDecision } from '../../formats/testing/fixtures.ts';
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
  const keys = Array.from({ length: Math.max(decisions, 3) }, (_, i) => `r${i}`);
  return {
    sample: {
      strata: [{ id: 'all', population: 100, records: keys.map((key, row) => ({ key, row: row + 1 })) }],
    },
    decisions: keys
      .slice(0, decisions)
      .map((recordKey) => ({ stratum: 'all', recordKey, outcome: 'accept', findings: [] })),
    signatures: Array.from({ length: signatures }, () => ({})),
  } as unknown as Review;
}

function project(workflows: Workflow[], reviews?: Review[], samplePlans: SamplePlan[] = []): Project {
  const base = createProject({ id: 'p', name: 'Clinic', now: '2026-11-24T00:00:00Z' });
  return { ...base, workflows, samplePlans, ...(reviews ? { reviews } : {}) };
}

/**
 * A locked review of the fixture sample (three records, the whole stratum) decided `outcomes`,
 * signed with `meaning` (one signature per entry of `signings`, each after that many decisions),
 * then decided `later`.
 */
function signedReview(
  outcomes: Outcome[],
  meaning: string,
  later: Outcome[] = [],
  signings = [outcomes.length],
): { plan: SamplePlan; review: Review } {
  const all = [...outcomes, ...later].map((o, i) => fixtureDecision(`d${i}`, `MRN-${(i % 3) + 1}`, o));
  const { plan, review } = lockedReview(all);
  const signatures = signings.map(
    (count, i) =>
      ({
        ...prepareSignature({
          id: `s${i}`,
          review: { ...review, decisions: review.decisions.slice(0, count) },
          signer: { name: 'Sam Okafor', role: 'Clinical lead', id: 'CL-7' },
          signedAt: '2026-11-24T09:00:00+01:00',
          meaning,
          chain: { head: '0'.repeat(64), length: count },
        }),
        reauthentication: { method: 'none', reason: 'no WebAuthn' },
      }) as Signature,
  );
  return { plan, review: { ...review, signatures } };
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
      name: 'a record decided twice counts once',
      reviews: [
        {
          ...review(2, 0),
          decisions: [
            { stratum: 'all', recordKey: 'r0', outcome: 'reject', findings: [] },
            { stratum: 'all', recordKey: 'r0', outcome: 'accept', findings: [] },
          ],
        } as unknown as Review,
      ],
      goLive: '0 sample plans; 1 sample drawn, 1 record decided by clinicians, not signed off yet.',
    },
  ])('Go-live counts the reviews, decisions and signatures: $name', ({ reviews, goLive }) => {
    expect(evidence(project([], reviews), 'Go-live')).toBe(goLive);
  });

  it.each([
    {
      name: 'a go-live approval on the results as they are',
      signed: () => signedReview(['accept', 'accept', 'accept'], GO_LIVE_MEANING),
      goLive:
        '1 sample plan; 1 sample drawn, 3 records decided by clinicians, 1 sign-off signature, which approves go-live.',
    },
    {
      name: 'a signature that records the review only (a stratum fails)',
      signed: () => signedReview(['accept', 'reject', 'accept'], REVIEWED_MEANING),
      goLive:
        '1 sample plan; 1 sample drawn, 3 records decided by clinicians, 1 sign-off signature, which does not approve go-live.',
    },
    {
      name: 'an approval, then a record decided again after it',
      signed: () => signedReview(['accept', 'accept', 'accept'], GO_LIVE_MEANING, ['reject']),
      goLive:
        '1 sample plan; 1 sample drawn, 3 records decided by clinicians, 1 sign-off signature, which does not approve go-live; decisions were recorded after the latest signature of 1 sample, which it does not cover: sign again on the Sign-off screen.',
    },
    {
      name: 'an approval, a later decision that keeps the verdict, then signed again',
      signed: () => signedReview(['accept', 'accept', 'accept'], GO_LIVE_MEANING, ['accept'], [3, 4]),
      goLive:
        '1 sample plan; 1 sample drawn, 3 records decided by clinicians, 2 sign-off signatures, 1 approving go-live.',
    },
    {
      name: 'an approval, then a later decision that keeps the verdict but is not signed',
      signed: () => signedReview(['accept', 'accept', 'accept'], GO_LIVE_MEANING, ['accept']),
      goLive:
        '1 sample plan; 1 sample drawn, 3 records decided by clinicians, 1 sign-off signature, which does not approve go-live; decisions were recorded after the latest signature of 1 sample, which it does not cover: sign again on the Sign-off screen.',
    },
  ])('Go-live says what the signatures approve and cover: $name', ({ signed, goLive }) => {
    const { plan, review } = signed();
    expect(evidence(project([], [review], [plan]), 'Go-live')).toBe(goLive);
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
