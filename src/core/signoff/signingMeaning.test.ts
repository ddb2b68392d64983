import { describe, expect, it } from 'vitest';
import type { Decision, DecisionStage, Outcome, Review } from '../../formats/review.ts';
import { fixtureDecision, fixtureReview, fixtureSamplePlan } from '../../formats/testing/fixtures.ts';
import { addDecision } from './review.ts';
import { GO_LIVE_MEANING, REVIEWED_MEANING, resultsHash } from './signature.ts';
import { approvesGoLive, reviewVerdict, signingStanding } from './signingMeaning.ts';
import { signoffBundle } from './signoffBundle.ts';
import { signoffReportHtml } from './signoffReport.ts';

const REVIEWERS = {
  first: { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' },
  second: { name: 'Sam Okafor', role: 'Physician', id: 'MD-17' },
  adjudication: { name: 'Lee Park', role: 'Medical director', id: 'MD-01' },
} as const;

let next = 0;
function decision(key: string, stage: DecisionStage, outcome: Outcome, minor = false): Decision {
  next++;
  const base = fixtureDecision(`d${next}`, key, outcome);
  return {
    ...base,
    stage,
    reviewer: REVIEWERS[stage],
    ...(minor
      ? { findings: [{ field: 'birthDate', reason: 'other' as const, defectClass: 'minor' as const }] }
      : {}),
  };
}

const KEYS = ['MRN-1', 'MRN-2', 'MRN-3'];
const bothAccept = (key: string) => [decision(key, 'first', 'accept'), decision(key, 'second', 'accept')];
const review = (dual: boolean, decisions: Decision[]): Review =>
  decisions.reduce(addDecision, { ...fixtureReview(), ...(dual ? { dualReview: true } : {}) });
/** No minor-defect rate: minor defects are counted but not judged, so a minor-only disagreement passes the verdict. */
const { minorTargetErrorRate: _unjudged, ...plan } = fixtureSamplePlan();

const cases: {
  description: string;
  review: () => Review;
  expected: { approval: boolean; reason?: string; awaiting?: number };
}[] = [
  {
    description: 'dual review, every record agreed and accepted: go-live approval',
    review: () => review(true, KEYS.flatMap(bothAccept)),
    expected: { approval: true },
  },
  {
    description:
      'dual review, one record differs only by a minor mark (the verdict alone would pass): no approval, awaits adjudication',
    review: () =>
      review(true, [
        ...bothAccept('MRN-1'),
        ...bothAccept('MRN-2'),
        decision('MRN-3', 'first', 'accept'),
        decision('MRN-3', 'second', 'accept', true),
      ]),
    expected: { approval: false, reason: 'awaiting-adjudication', awaiting: 1 },
  },
  {
    description:
      'dual review, accept vs reject on two records: awaits adjudication (reported before the failing verdict)',
    review: () =>
      review(true, [
        ...bothAccept('MRN-1'),
        decision('MRN-2', 'first', 'accept'),
        decision('MRN-2', 'second', 'reject'),
        decision('MRN-3', 'first', 'reject'),
        decision('MRN-3', 'second', 'accept'),
      ]),
    expected: { approval: false, reason: 'awaiting-adjudication', awaiting: 2 },
  },
  {
    description: 'the disagreement adjudicated as accepted: go-live approval',
    review: () =>
      review(true, [
        ...bothAccept('MRN-1'),
        ...bothAccept('MRN-2'),
        decision('MRN-3', 'first', 'accept'),
        decision('MRN-3', 'second', 'reject'),
        decision('MRN-3', 'adjudication', 'accept'),
      ]),
    expected: { approval: true },
  },
  {
    description: 'single review, a rejected record: the verdict fails, nothing awaits',
    review: () => review(false, [decision('MRN-1', 'first', 'accept'), decision('MRN-2', 'first', 'reject')]),
    expected: { approval: false, reason: 'fails', awaiting: 0 },
  },
  {
    description: 'single review, "cannot assess" awaits an adjudicator too',
    review: () => review(false, [decision('MRN-1', 'first', 'cannot-assess')]),
    expected: { approval: false, reason: 'awaiting-adjudication', awaiting: 1 },
  },
];

describe('signingStanding: a go-live approval only when the verdict passes and nothing awaits adjudication', () => {
  it.each(cases)('$description', ({ review: make, expected }) => {
    const standing = signingStanding(make(), plan);
    expect({
      approval: standing.approval,
      ...(standing.approval ? {} : { reason: standing.reason, awaiting: standing.awaitingAdjudication }),
    }).toEqual(expected);
    expect(standing.meaning).toBe(expected.approval ? GO_LIVE_MEANING : REVIEWED_MEANING);
  });

  it('the FHIR Task and the report follow the same rule: a go-live wording over awaiting records approves nothing', () => {
    const awaiting = cases[1]?.review() as Review;
    const signature = {
      id: 'sig1',
      signer: REVIEWERS.first,
      signedAt: '2025-03-02T10:00:00-05:00',
      meaning: GO_LIVE_MEANING,
      planHash: awaiting.plan.hash,
      // the results it binds are the review's: a signature over other results attests nothing
      resultsSha256: resultsHash(awaiting),
      chainHead: 'c'.repeat(64),
      chainLength: 7,
      signoffSha256: 'd'.repeat(64),
      reauthentication: { method: 'none' as const, reason: 'test' },
    };
    const signed = { ...awaiting, signatures: [signature] };
    expect(approvesGoLive(signature, signed, plan)).toBe(false);
    const task = signoffBundle({ plan, review: signed, now: '2025-03-02T10:00:00Z' }).entry.find(
      (e) => e.resource.resourceType === 'Task',
    );
    expect(task?.resource.status).toBe('failed');
    const html = signoffReportHtml({
      projectName: 'Clinic',
      plan,
      review: signed,
      entries: [],
      generatedAt: 'now',
    });
    // the verdict alone passes here, yet the Task must not say "completed" (approved)
    expect(reviewVerdict(signed, plan).pass).toBe(true);
    expect(html).toMatch(/1 record awaits an adjudicator/);
    const agreed = { ...(cases[0]?.review() as Review), signatures: [signature] };
    expect(approvesGoLive(signature, agreed, plan)).toBe(true);
  });
});
