import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision, DecisionStage, DefectClass, Outcome, Review } from '../../../formats/review.ts';
import { loadReview } from '../../../formats/review.ts';
import {
  fixtureDecision,
  fixtureReview,
  FIXTURE_REVIEWERS as REVIEWERS,
} from '../../../formats/testing/fixtures.ts';
import { overallVerdict } from '../sampling/verdict.ts';
import {
  adjudicationQueue,
  adjudicationShownHash,
  finalTallies,
  recordStatuses,
  visibleDecisions,
} from './dualReview.ts';
import { addDecision, ReviewChangeError, tallies } from './review.ts';

let next = 0;
function decision(
  key: string,
  stage: DecisionStage,
  outcome: Outcome,
  defectClass?: DefectClass,
  reviewerId?: string,
): Decision {
  next++;
  const base = fixtureDecision(`d${next}`, key, outcome);
  return {
    ...base,
    stage,
    reviewer: { ...REVIEWERS[stage], ...(reviewerId ? { id: reviewerId } : {}) },
    findings: defectClass ? [{ field: 'birthDate', reason: 'wrong-value', defectClass }] : [],
    // a rejection says what is wrong (decisionRules.ts)
    ...(outcome === 'reject' && !defectClass ? { comment: 'the date of birth is wrong' } : {}),
  };
}

/** Accept with a major or critical finding is refused (decisionRules.ts): such an accept keeps a minor one. */
function acceptable(outcome: Outcome, defectClass: DefectClass | undefined): DefectClass | undefined {
  return outcome === 'accept' && defectClass !== undefined ? 'minor' : defectClass;
}

function dual(decisions: Decision[] = []): Review {
  return decisions.reduce(addDecision, { ...fixtureReview(), dualReview: true });
}

describe('dual review: record states', () => {
  const cases: { description: string; decisions: () => Decision[]; state: string; final?: Outcome }[] = [
    {
      description: 'one reviewer only: still open',
      decisions: () => [decision('MRN-1', 'first', 'accept')],
      state: 'open',
    },
    {
      description: 'both accept: final, agreed',
      decisions: () => [decision('MRN-1', 'first', 'accept'), decision('MRN-1', 'second', 'accept')],
      state: 'final',
      final: 'accept',
    },
    {
      description: 'accept vs reject: awaits adjudication',
      decisions: () => [decision('MRN-1', 'first', 'accept'), decision('MRN-1', 'second', 'reject', 'major')],
      state: 'awaiting-adjudication',
    },
    {
      description: 'both reject, different defect classes: awaits adjudication',
      decisions: () => [
        decision('MRN-1', 'first', 'reject', 'major'),
        decision('MRN-1', 'second', 'reject', 'critical'),
      ],
      state: 'awaiting-adjudication',
    },
    {
      description: 'both cannot assess: awaits adjudication (an error until then)',
      decisions: () => [
        decision('MRN-1', 'first', 'cannot-assess'),
        decision('MRN-1', 'second', 'cannot-assess'),
      ],
      state: 'awaiting-adjudication',
    },
    {
      description: 'adjudicated: final, the adjudicator’s decision',
      decisions: () => [
        decision('MRN-1', 'first', 'accept'),
        decision('MRN-1', 'second', 'reject', 'major'),
        decision('MRN-1', 'adjudication', 'accept'),
      ],
      state: 'final',
      final: 'accept',
    },
  ];
  it.each(cases)('$description', ({ decisions, state, final }) => {
    const status = recordStatuses(dual(decisions())).find((s) => s.recordKey === 'MRN-1');
    expect(status?.state).toBe(state);
    expect(status?.final?.outcome).toBe(final);
  });
});

describe('dual review: refusals (the reducer path: addDecision)', () => {
  const cases: { description: string; before: () => Decision[]; add: () => Decision; error: RegExp }[] = [
    {
      description: 'the same person as first and second reviewer',
      before: () => [decision('MRN-1', 'first', 'accept')],
      add: () => decision('MRN-1', 'second', 'accept', undefined, 'RN-204'),
      error: /different people/,
    },
    {
      description: 'a reviewer changing their decision once both decided',
      before: () => [decision('MRN-1', 'first', 'accept'), decision('MRN-1', 'second', 'reject', 'major')],
      add: () => decision('MRN-1', 'first', 'reject', 'major'),
      error: /closed/,
    },
    {
      description: 'an adjudication of a record nobody disagrees on',
      before: () => [decision('MRN-1', 'first', 'accept'), decision('MRN-1', 'second', 'accept')],
      add: () => decision('MRN-1', 'adjudication', 'reject', 'major'),
      error: /not waiting for adjudication/,
    },
    {
      description: 'an adjudicator who reviewed the record',
      before: () => [decision('MRN-1', 'first', 'accept'), decision('MRN-1', 'second', 'reject', 'major')],
      add: () => decision('MRN-1', 'adjudication', 'accept', undefined, 'MD-17'),
      error: /must not be one of the record's reviewers/,
    },
    {
      description: 'a second adjudication (the first is final)',
      before: () => [
        decision('MRN-1', 'first', 'accept'),
        decision('MRN-1', 'second', 'reject', 'major'),
        decision('MRN-1', 'adjudication', 'accept'),
      ],
      add: () => decision('MRN-1', 'adjudication', 'reject', 'major'),
      error: /adjudicated: that decision is final/,
    },
    {
      description: 'an adjudication that cannot assess',
      before: () => [decision('MRN-1', 'first', 'cannot-assess'), decision('MRN-1', 'second', 'accept')],
      add: () => decision('MRN-1', 'adjudication', 'cannot-assess'),
      error: /accepts or rejects/,
    },
  ];
  it.each(cases)('refuses $description', ({ before, add, error }) => {
    const review = dual(before());
    expect(() => addDecision(review, add())).toThrow(ReviewChangeError);
    expect(() => addDecision(review, add())).toThrow(error);
  });

  it('refuses a second review in a single-review sample; adjudicates a cannot-assess there', () => {
    const single = addDecision(fixtureReview(), decision('MRN-1', 'first', 'cannot-assess'));
    expect(() => addDecision(single, decision('MRN-1', 'second', 'accept'))).toThrow(/not a dual review/);
    expect(adjudicationQueue(single).map((s) => s.recordKey)).toEqual(['MRN-1']);
    const adjudicated = addDecision(single, decision('MRN-1', 'adjudication', 'accept'));
    expect(adjudicationQueue(adjudicated)).toEqual([]);
    expect(finalTallies(adjudicated)[0]).toMatchObject({
      reviewed: 1,
      cannotAssess: 0,
      awaitingAdjudication: 0,
    });
  });

  it('the stage and the dualReview flag are valid preflight.review/v1 (optional fields)', () => {
    const review = dual([
      decision('MRN-1', 'first', 'accept'),
      decision('MRN-1', 'second', 'reject', 'major'),
    ]);
    expect(loadReview(JSON.parse(JSON.stringify(review))).ok).toBe(true);
    expect(loadReview({ ...review, decisions: [{ ...review.decisions[0], stage: 'third' }] }).ok).toBe(false);
    // the loader refuses what the reducer never writes: a second review without dual review, two adjudications
    const single = { ...review, dualReview: false };
    expect(loadReview(single)).toMatchObject({ ok: false, problems: [{ path: '/decisions/1/stage' }] });
    const adjudicated = addDecision(review, decision('MRN-1', 'adjudication', 'accept'));
    const twice = {
      ...adjudicated,
      decisions: [...adjudicated.decisions, { ...decision('MRN-1', 'adjudication', 'reject') }],
    };
    expect(loadReview(adjudicated).ok).toBe(true);
    expect(loadReview(twice)).toMatchObject({ ok: false, problems: [{ path: '/decisions/3/stage' }] });
  });
});

describe('dual review: what each reviewer sees and what the verdict counts', () => {
  it('each reviewer sees only their own decision until both decided', () => {
    const review = dual([
      decision('MRN-1', 'first', 'accept'),
      decision('MRN-2', 'second', 'reject', 'major'),
    ]);
    expect([...visibleDecisions(review, 'first').keys()]).toEqual(['patients\u001fMRN-1']);
    expect([...visibleDecisions(review, 'second').keys()]).toEqual(['patients\u001fMRN-2']);
  });

  it('counts final decisions, an open disagreement at its worst, and says how many await adjudication', () => {
    const review = dual([
      decision('MRN-1', 'first', 'accept'),
      decision('MRN-1', 'second', 'accept'),
      decision('MRN-2', 'first', 'accept'),
      decision('MRN-2', 'second', 'reject', 'critical'),
      decision('MRN-3', 'first', 'accept'),
    ]);
    expect(finalTallies(review)[0]).toEqual({
      stratumId: 'patients',
      population: 3,
      reviewed: 2,
      critical: 1,
      major: 0,
      cannotAssess: 0,
      minor: 0,
      awaitingAdjudication: 1,
      awaitingErrors: 1,
      awaitingCritical: 1,
      minorErrors: 0,
      awaitingMinorErrors: 0,
      // MRN-3: only the first reviewer decided it, so it is not reviewed
      awaitingFirstReview: 0,
      awaitingSecondReview: 1,
    });
    const verdict = overallVerdict(finalTallies(review), { targetErrorRate: 0.05, confidence: 0.95 });
    expect(verdict.awaitingAdjudication).toBe(1);
    expect(verdict.strata[0]?.awaitingAdjudication).toBe(1);
    const resolved = addDecision(review, decision('MRN-2', 'adjudication', 'accept'));
    expect(finalTallies(resolved)[0]).toMatchObject({ reviewed: 2, critical: 0, awaitingAdjudication: 0 });
  });

  it('an adjudication’s shown hash binds both decisions it arbitrates', () => {
    const review = dual([
      decision('MRN-1', 'first', 'accept'),
      decision('MRN-1', 'second', 'reject', 'major'),
    ]);
    const [status] = adjudicationQueue(review);
    if (!status) throw new Error('no queue');
    const hash = adjudicationShownHash(review.plan.hash, status);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(
      adjudicationShownHash(review.plan.hash, {
        ...status,
        second: { ...status.second, comment: 'x' } as Decision,
      }),
    ).not.toBe(hash);
  });
});

describe('dual review: properties', () => {
  const outcome = fc.constantFrom<Outcome>('accept', 'reject', 'cannot-assess');
  const cls = fc.constantFrom<DefectClass | undefined>(undefined, 'minor', 'major', 'critical');
  const pair = fc.record({ a: outcome, ac: cls, b: outcome, bc: cls });
  const keys = ['MRN-1', 'MRN-2', 'MRN-3'];

  it('adjudication resolves every disagreement exactly once', () => {
    fc.assert(
      fc.property(
        fc.array(pair, { minLength: 3, maxLength: 3 }),
        fc.constantFrom<Outcome>('accept', 'reject'),
        (pairs, ruling) => {
          let review = dual();
          pairs.forEach((p, i) => {
            review = addDecision(review, decision(keys[i] as string, 'first', p.a, acceptable(p.a, p.ac)));
            review = addDecision(review, decision(keys[i] as string, 'second', p.b, acceptable(p.b, p.bc)));
          });
          const queue = adjudicationQueue(review);
          const expected = pairs
            .map((p, i) => ({ p, key: keys[i] }))
            .filter(
              ({ p }) =>
                p.a !== p.b || acceptable(p.a, p.ac) !== acceptable(p.b, p.bc) || p.a === 'cannot-assess',
            )
            .map(({ key }) => key);
          expect(queue.map((s) => s.recordKey)).toEqual(expected);
          for (const status of queue) {
            review = addDecision(
              review,
              decision(status.recordKey, 'adjudication', ruling, ruling === 'reject' ? 'major' : undefined),
            );
            // exactly once: a second adjudication of the same record is refused
            expect(() => addDecision(review, decision(status.recordKey, 'adjudication', ruling))).toThrow(
              ReviewChangeError,
            );
          }
          expect(adjudicationQueue(review)).toEqual([]);
          expect(recordStatuses(review).every((s) => s.state === 'final')).toBe(true);
          const tally = finalTallies(review)[0];
          expect(tally?.reviewed).toBe(3);
          expect(tally?.awaitingAdjudication).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  /** The single-review rule as it stood before dual review (an independent reference). */
  function singleReviewTally(review: Review) {
    const latest = new Map<string, Decision>();
    for (const d of review.decisions) latest.set(d.recordKey, d);
    const t = {
      stratumId: 'patients',
      population: 3,
      reviewed: 0,
      critical: 0,
      major: 0,
      cannotAssess: 0,
      minor: 0,
    };
    for (const d of latest.values()) {
      t.reviewed++;
      const classes = new Set(d.findings.map((f) => f.defectClass));
      if (classes.has('critical')) t.critical++;
      else if (d.outcome === 'reject' || classes.has('major')) t.major++;
      else if (d.outcome === 'cannot-assess') t.cannotAssess++;
      if (classes.has('minor') && d.outcome !== 'cannot-assess') t.minor++;
    }
    return t;
  }

  it('without dual review or adjudication the final tallies are the single-review tallies', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.constantFrom(...keys), o: outcome, c: cls }), { maxLength: 8 }),
        (list) => {
          let review = fixtureReview();
          for (const d of list) {
            const made = decision(d.key, 'first', d.o, acceptable(d.o, d.c));
            const earlier = review.decisions.findLast((x) => x.recordKey === d.key);
            review = addDecision(
              review,
              earlier
                ? {
                    ...made,
                    change: { replaces: earlier.id, previousOutcome: earlier.outcome, reason: 'second look' },
                  }
                : made,
            );
          }
          const {
            awaitingAdjudication: _a,
            awaitingErrors: _e,
            awaitingCritical: _c,
            minorErrors: _m,
            awaitingMinorErrors: _am,
            awaitingFirstReview,
            awaitingSecondReview,
            ...rest
          } = finalTallies(review)[0] ?? {
            awaitingAdjudication: 0,
            awaitingErrors: 0,
            awaitingCritical: 0,
            minorErrors: 0,
            awaitingMinorErrors: 0,
            awaitingFirstReview: 0,
            awaitingSecondReview: 0,
          };
          expect(rest).toEqual(singleReviewTally(review));
          // one reviewer per record: nothing waits for another pass
          expect([awaitingFirstReview, awaitingSecondReview]).toEqual([0, 0]);
          expect(tallies(review)).toEqual(finalTallies(review));
        },
      ),
      { numRuns: 200 },
    );
  });
});
