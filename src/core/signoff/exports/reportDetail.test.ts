import { describe, expect, it } from 'vitest';
import type { ChainEntry } from '../../../formats/auditLog.ts';
import type { Decision, DecisionStage, DefectClass, Outcome, Review } from '../../../formats/review.ts';
import {
  fixtureDecision,
  fixtureReview,
  FIXTURE_REVIEWERS as REVIEWERS,
} from '../../../formats/testing/fixtures.ts';
import { decisionChanges, reportDetail, reportTrail } from './reportDetail.ts';

let next = 0;
function decision(
  key: string,
  stage: DecisionStage,
  outcome: Outcome,
  defectClass?: DefectClass,
  comment?: string,
): Decision {
  next++;
  const base = fixtureDecision(`d${next}`, key, outcome);
  return {
    ...base,
    stage,
    reviewer: REVIEWERS[stage],
    decidedAt: `2025-03-02T09:${String(10 + next).padStart(2, '0')}:00+01:00`,
    findings: defectClass ? [{ field: 'allergies', reason: 'missing', defectClass }] : [],
    ...(comment ? { comment } : {}),
  };
}

function review(decisions: Decision[], dual = false): Review {
  return { ...fixtureReview(), ...(dual ? { dualReview: true } : {}), decisions };
}

/** Which records each section lists, as `key:state`. */
function listed(r: Review) {
  const d = reportDetail(r);
  return {
    rejectedOrCritical: d.rejectedOrCritical.map((x) => `${x.recordKey}:${x.state}`),
    cannotAssess: d.cannotAssess.map((x) => `${x.recordKey}:${x.state}`),
    adjudications: d.adjudications.map(
      (x) =>
        `${x.recordKey}:${x.first?.outcome ?? '-'}/${x.second?.outcome ?? '-'}→${x.adjudication.outcome}`,
    ),
  };
}

describe('reportDetail: which records each section lists', () => {
  const cases: {
    description: string;
    review: () => Review;
    expected: ReturnType<typeof listed>;
  }[] = [
    {
      description: 'accepted records only: nothing listed',
      review: () =>
        review([decision('MRN-1', 'first', 'accept'), decision('MRN-2', 'first', 'accept', 'minor')]),
      expected: { rejectedOrCritical: [], cannotAssess: [], adjudications: [] },
    },
    {
      description: 'a rejection with a major finding is listed',
      review: () =>
        review([decision('MRN-1', 'first', 'accept'), decision('MRN-2', 'first', 'reject', 'major')]),
      expected: { rejectedOrCritical: ['MRN-2:final'], cannotAssess: [], adjudications: [] },
    },
    {
      description: 'a critical finding is listed',
      review: () => review([decision('MRN-3', 'first', 'reject', 'critical')]),
      expected: { rejectedOrCritical: ['MRN-3:final'], cannotAssess: [], adjudications: [] },
    },
    {
      description: 'a changed decision counts as its latest: a rejection changed to accept is not listed',
      review: () =>
        review([decision('MRN-1', 'first', 'reject', 'major'), decision('MRN-1', 'first', 'accept')]),
      expected: { rejectedOrCritical: [], cannotAssess: [], adjudications: [] },
    },
    {
      description: 'cannot assess, not yet adjudicated: listed awaiting',
      review: () => review([decision('MRN-1', 'first', 'cannot-assess')]),
      expected: { rejectedOrCritical: [], cannotAssess: ['MRN-1:awaiting-adjudication'], adjudications: [] },
    },
    {
      description: 'cannot assess, adjudicated to accept: listed final with its adjudication',
      review: () =>
        review([decision('MRN-1', 'first', 'cannot-assess'), decision('MRN-1', 'adjudication', 'accept')]),
      expected: {
        rejectedOrCritical: [],
        cannotAssess: ['MRN-1:final'],
        adjudications: ['MRN-1:cannot-assess/-→accept'],
      },
    },
    {
      description: 'dual review, disagreement overruled: the rejection stays listed with the ruling',
      review: () =>
        review(
          [
            decision('MRN-2', 'first', 'reject', 'critical'),
            decision('MRN-2', 'second', 'accept'),
            decision('MRN-2', 'adjudication', 'accept'),
          ],
          true,
        ),
      expected: {
        rejectedOrCritical: ['MRN-2:final'],
        cannotAssess: [],
        adjudications: ['MRN-2:reject/accept→accept'],
      },
    },
    {
      description: 'dual review, in sample order across records, awaiting while they disagree',
      review: () =>
        review(
          [
            decision('MRN-3', 'first', 'accept'),
            decision('MRN-3', 'second', 'reject', 'major'),
            decision('MRN-1', 'first', 'reject', 'major'),
          ],
          true,
        ),
      expected: {
        rejectedOrCritical: ['MRN-1:open', 'MRN-3:awaiting-adjudication'],
        cannotAssess: [],
        adjudications: [],
      },
    },
  ];
  it.each(cases)('$description', ({ review: make, expected }) => {
    expect(listed(make())).toEqual(expected);
  });
});

describe('reportDetail: what a listed decision carries', () => {
  const r = review([decision('MRN-2', 'first', 'reject', 'critical', 'Allergy to penicillin is missing')]);

  it.each([
    { includeComments: false, comment: undefined },
    { includeComments: true, comment: 'Allergy to penicillin is missing' },
  ])('comments only when asked for (include: $includeComments)', ({ includeComments, comment }) => {
    const [record] = reportDetail(r, { includeComments }).rejectedOrCritical;
    expect(record).toEqual({
      stratum: 'patients',
      recordKey: 'MRN-2',
      row: expect.any(Number),
      state: 'final',
      decisions: [
        {
          stage: 'first',
          outcome: 'reject',
          reviewer: REVIEWERS.first,
          decidedAt: expect.stringMatching(/^2025-03-02T09:\d\d:00\+01:00$/),
          findings: [{ field: 'allergies', reason: 'missing', defectClass: 'critical' }],
          commented: true,
          ...(comment ? { comment } : {}),
        },
      ],
    });
  });

  it('takes the row from the drawn sample', () => {
    const drawn = r.sample.strata[0]?.records.find((x) => x.key === 'MRN-2');
    expect(reportDetail(r).rejectedOrCritical[0]?.row).toBe(drawn?.row);
  });
});

describe('decisionChanges: each changed decision with before, after, who, when and why', () => {
  const first = { ...fixtureDecision('c1', 'MRN-2', 'reject'), decidedAt: '2025-03-02T09:15:00+01:00' };
  const changedTo = (
    id: string,
    outcome: Outcome,
    replaces: string,
    previousOutcome: Outcome,
    reason: string,
  ): Decision => ({
    ...fixtureDecision(id, 'MRN-2', outcome),
    decidedAt: '2025-03-02T10:40:00+01:00',
    change: { replaces, previousOutcome, reason },
  });
  /** One change in one line: record, before → after, who, when, reason. */
  const line = (r: Review, includeComments: boolean) =>
    decisionChanges(r, { includeComments }).map(
      (c) =>
        `${c.recordKey}@${c.row ?? '-'} ${c.previous ? `${c.previous.outcome}(${c.previous.decidedAt})` : `?${c.previousOutcome}`}→${c.decision.outcome} by ${c.decision.reviewer.id} at ${c.decision.decidedAt}; ${c.reasonGiven ? (c.reason ?? 'reason hidden') : 'no reason'}`,
    );
  it.each([
    { description: 'no change: nothing listed', decisions: [first], comments: false, expected: [] },
    {
      description: 'a rejection changed to accept, reason kept out without comments',
      decisions: [first, changedTo('c2', 'accept', 'c1', 'reject', 'Allergy found in the notes section')],
      comments: false,
      expected: [
        'MRN-2@1 reject(2025-03-02T09:15:00+01:00)→accept by RN-204 at 2025-03-02T10:40:00+01:00; reason hidden',
      ],
    },
    {
      description: 'the same, with comments: the reason is printed',
      decisions: [first, changedTo('c2', 'accept', 'c1', 'reject', ' Allergy found in the notes section ')],
      comments: true,
      expected: [
        'MRN-2@1 reject(2025-03-02T09:15:00+01:00)→accept by RN-204 at 2025-03-02T10:40:00+01:00; Allergy found in the notes section',
      ],
    },
    {
      description: 'the replaced decision is not in the review: its outcome comes from the change',
      decisions: [changedTo('c2', 'accept', 'gone', 'cannot-assess', 'x')],
      comments: true,
      expected: ['MRN-2@1 ?cannot-assess→accept by RN-204 at 2025-03-02T10:40:00+01:00; x'],
    },
    {
      description: 'a blank reason reads as none given',
      decisions: [first, changedTo('c2', 'accept', 'c1', 'reject', '  ')],
      comments: true,
      expected: [
        'MRN-2@1 reject(2025-03-02T09:15:00+01:00)→accept by RN-204 at 2025-03-02T10:40:00+01:00; no reason',
      ],
    },
    {
      description: 'two changes in the order recorded',
      decisions: [
        first,
        changedTo('c2', 'accept', 'c1', 'reject', 'a'),
        { ...changedTo('c3', 'reject', 'c2', 'accept', 'b'), decidedAt: '2025-03-02T11:00:00+01:00' },
      ],
      comments: true,
      expected: [
        'MRN-2@1 reject(2025-03-02T09:15:00+01:00)→accept by RN-204 at 2025-03-02T10:40:00+01:00; a',
        'MRN-2@1 accept(2025-03-02T10:40:00+01:00)→reject by RN-204 at 2025-03-02T11:00:00+01:00; b',
      ],
    },
  ])('$description', ({ decisions, comments, expected }) => {
    expect(line(review(decisions), comments)).toEqual(expected);
  });
});

describe('reportTrail: the appendix names what, when and who, never record content', () => {
  const base = { prevHash: '0'.repeat(64), hash: 'ab12cd34ef56'.padEnd(64, '7'), at: '2025-03-02T09:00:00Z' };
  const cases: { entry: ChainEntry; event: string; actor: string | undefined }[] = [
    {
      entry: {
        ...base,
        seq: 1,
        event: 'decision',
        reviewId: 'rv1',
        decisionId: 'd1',
        planHash: 'p',
        stratum: 'patients',
        outcome: 'reject',
        reviewerId: 'RN-204',
        decisionSha256: 'd',
      },
      event: 'decision',
      actor: 'RN-204',
    },
    {
      entry: {
        ...base,
        seq: 2,
        event: 'signature',
        reviewId: 'rv1',
        signatureId: 's1',
        planHash: 'p',
        signerId: 'MD-01',
        signatureSha256: 's',
      },
      event: 'signature',
      actor: 'MD-01',
    },
    {
      entry: {
        ...base,
        seq: 3,
        event: 'roster',
        subjectId: 'r1',
        subjectSha256: 'x',
        change: 'member',
        staffId: 'RN-204',
        by: 'LEAD-1',
      },
      event: 'roster',
      actor: 'LEAD-1',
    },
    {
      entry: {
        ...base,
        seq: 4,
        event: 'steering-signature',
        subjectId: 's',
        subjectSha256: 'x',
        staffId: 'CMO-2',
      },
      event: 'steering-signature',
      actor: 'CMO-2',
    },
    {
      entry: { ...base, seq: 5, event: 'plan-lock', subjectId: 'p', subjectSha256: 'x' },
      event: 'plan-lock',
      actor: undefined,
    },
  ];
  it.each(cases)('$event entry: actor $actor', ({ entry, event, actor }) => {
    const [row] = reportTrail([entry]);
    expect(row).toEqual({
      seq: entry.seq,
      event,
      at: '2025-03-02T09:00:00Z',
      ...(actor === undefined ? {} : { actor }),
      hashPrefix: 'ab12cd34ef56',
    });
    expect(JSON.stringify(row)).not.toContain('patients');
  });
});
