import { describe, expect, it } from 'vitest';
import type { Decision, DecisionStage, Outcome, Review } from '../../../formats/review.ts';
import {
  fixtureDecision,
  fixtureReview,
  fixtureSamplePlan,
  FIXTURE_REVIEWERS as REVIEWERS,
} from '../../../formats/testing/fixtures.ts';
import { signoffBundle } from '../exports/signoffBundle.ts';
import { signoffReportHtml } from '../exports/signoffReport.ts';
import { addDecision } from '../review/review.ts';
import { GO_LIVE_MEANING, REVIEWED_MEANING, resultsHash } from './signature.ts';
import {
  ADJUDICATOR_MEANING,
  APPROVAL_MEANING,
  approvesGoLive,
  RESULT_CONFIRMED_MEANING,
  REVIEWED_AND_APPROVED_MEANING,
  REVIEWER_MEANING,
  reviewVerdict,
  signerMeaning,
  signingStanding,
  untrueMeaning,
} from './signingMeaning.ts';

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
    // an approver who decided nothing approves exactly where the review stands as an approval
    expect(signerMeaning(make(), plan, 'CMO-1', ['approver']).approval).toBe(expected.approval);
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

describe('signerMeaning: what a signature says is true of its signer', () => {
  const agreed = () => review(true, KEYS.flatMap(bothAccept));
  const adjudicated = () =>
    review(true, [
      ...bothAccept('MRN-1'),
      ...bothAccept('MRN-2'),
      decision('MRN-3', 'first', 'accept'),
      decision('MRN-3', 'second', 'reject'),
      decision('MRN-3', 'adjudication', 'accept'),
    ]);
  const failing = () =>
    review(
      true,
      KEYS.flatMap((k) => [decision(k, 'first', 'reject'), decision(k, 'second', 'reject')]),
    );
  it.each([
    {
      description: 'the data lead, who decided nothing, on a result that stands: approves it',
      make: agreed,
      signer: 'LEAD-1',
      roles: ['lead', 'approver'] as const,
      expected: { meaning: APPROVAL_MEANING, approval: true },
    },
    {
      description:
        'the medical director, who decided nothing, on a failing result: confirms it, never "I reviewed"',
      make: failing,
      signer: 'CMO-1',
      roles: ['approver'] as const,
      expected: { meaning: RESULT_CONFIRMED_MEANING, approval: false },
    },
    {
      description: 'a lead who may not approve, on a result that stands: confirms it without approving',
      make: agreed,
      signer: 'LEAD-1',
      roles: ['lead'] as const,
      expected: { meaning: RESULT_CONFIRMED_MEANING, approval: false },
    },
    {
      description: 'a reviewer with decisions of their own: "I reviewed these records", no approval',
      make: agreed,
      signer: REVIEWERS.first.id,
      roles: ['reviewer'] as const,
      expected: { meaning: REVIEWER_MEANING, approval: false },
    },
    {
      description: 'the adjudicator, with adjudications only: "I adjudicated these records"',
      make: adjudicated,
      signer: REVIEWERS.adjudication.id,
      roles: ['adjudicator', 'approver'] as const,
      expected: { meaning: ADJUDICATOR_MEANING, approval: false },
    },
    {
      description: 'an approver who reviewed, where the roster keeps them from approving their own review',
      make: agreed,
      signer: REVIEWERS.first.id,
      roles: ['reviewer', 'approver'] as const,
      expected: { meaning: REVIEWER_MEANING, approval: false },
    },
    {
      description: 'no roster: one person who reviewed and signs a result that stands reviews and approves',
      make: agreed,
      signer: REVIEWERS.first.id,
      roles: undefined,
      expected: { meaning: REVIEWED_AND_APPROVED_MEANING, approval: true },
    },
  ])('$description', ({ make, signer, roles, expected }) => {
    const chosen = signerMeaning(make(), plan, signer, roles);
    expect(chosen).toEqual(expected);
    const own = make().decisions.some((d) => d.reviewer.id === signer);
    // nobody signs "I reviewed" without decisions of their own
    if (/I reviewed/.test(chosen.meaning)) expect(own).toBe(true);
  });

  it('a signature of an older file keeps its meaning: "I reviewed … and approve" still approves', () => {
    const signed = agreed();
    const signature = {
      id: 'sig1',
      signer: REVIEWERS.adjudication,
      signedAt: '2025-03-02T10:00:00-05:00',
      meaning: GO_LIVE_MEANING,
      planHash: signed.plan.hash,
      resultsSha256: resultsHash(signed),
      chainHead: 'c'.repeat(64),
      chainLength: 6,
      signoffSha256: 'd'.repeat(64),
      reauthentication: { method: 'none' as const, reason: 'test' },
    };
    expect(approvesGoLive(signature, signed, plan)).toBe(true);
    expect(approvesGoLive({ ...signature, meaning: REVIEWED_MEANING }, signed, plan)).toBe(false);
    expect(approvesGoLive({ ...signature, meaning: RESULT_CONFIRMED_MEANING }, signed, plan)).toBe(false);
  });
});

describe('untrueMeaning: a meaning that is not true of its signer', () => {
  const signed = () => review(true, KEYS.flatMap(bothAccept));
  const signature = (meaning: string, signer: { name: string; role: string; id: string }) => ({
    id: 'sig1',
    signer,
    signedAt: '2025-03-02T10:00:00-05:00',
    meaning,
    planHash: 'a'.repeat(64),
    resultsSha256: 'b'.repeat(64),
    chainHead: 'c'.repeat(64),
    chainLength: 6,
    signoffSha256: 'd'.repeat(64),
    reauthentication: { method: 'none' as const, reason: 'test' },
  });
  const CMO = { name: 'Lee Park', role: 'Medical director', id: 'CMO-1' };
  it.each([
    {
      description: 'a reviewer saying they reviewed',
      meaning: REVIEWER_MEANING,
      signer: REVIEWERS.first,
      untrue: false,
    },
    { description: 'the CMO saying they reviewed', meaning: REVIEWER_MEANING, signer: CMO, untrue: true },
    {
      description: 'the CMO with the older single wording',
      meaning: GO_LIVE_MEANING,
      signer: CMO,
      untrue: true,
    },
    { description: 'the CMO approving', meaning: APPROVAL_MEANING, signer: CMO, untrue: false },
    {
      description: 'a reviewer saying they adjudicated',
      meaning: ADJUDICATOR_MEANING,
      signer: REVIEWERS.first,
      untrue: true,
    },
  ])('$description', ({ meaning, signer, untrue }) => {
    expect(untrueMeaning(signature(meaning, signer), signed()) !== undefined).toBe(untrue);
  });
});
