import { describe, expect, it } from 'vitest';
import type { Decision, DecisionStage, DefectClass, Outcome, Review } from '../../../formats/review.ts';
import {
  fixtureDecision,
  fixtureReview,
  FIXTURE_REVIEWERS as REVIEWERS,
} from '../../../formats/testing/fixtures.ts';
import { overallVerdict, stratumVerdict, type VerdictCriteria } from '../sampling/verdict.ts';
import { signoffResults } from '../signing/signature.ts';
import { finalTallies } from './dualReview.ts';
import { addDecision } from './review.ts';

/**
 * Records awaiting adjudication (an open disagreement of the two passes, or an open "cannot
 * assess") count at their worst plausible outcome in every figure of the verdict, bounds included,
 * and the verdict says how many of its errors they are.
 */

let next = 0;
function decision(
  key: string,
  stage: DecisionStage,
  outcome: Outcome,
  classes: DefectClass[] = [],
): Decision {
  next++;
  return {
    ...fixtureDecision(`o${next}`, key, outcome),
    stage,
    reviewer: REVIEWERS[stage],
    findings: classes.map((defectClass, i) => ({
      field: i === 0 ? 'birthDate' : 'name.family',
      reason: 'wrong-value' as const,
      defectClass,
    })),
    ...(outcome === 'reject' && classes.length === 0 ? { comment: 'the date of birth is wrong' } : {}),
  };
}

function dual(decisions: Decision[]): Review {
  return decisions.reduce(addDecision, { ...fixtureReview(), dualReview: true });
}

const criteria: VerdictCriteria = { targetErrorRate: 0.05, confidence: 0.95, minorTargetErrorRate: 0.5 };

interface Expected {
  reviewed: number;
  /** errors at the major rate (critical + major + cannot assess), open records at worst */
  errors: number;
  critical: number;
  awaiting: number;
  awaitingErrors: number;
  awaitingCritical: number;
  /** errors at the minor rate */
  minorErrors: number;
  awaitingMinorErrors: number;
  /** the observed rate if the adjudicator clears every open record */
  ifCleared: number;
  critical_reason: boolean;
}

const agreedAccept = () => [decision('MRN-3', 'first', 'accept'), decision('MRN-3', 'second', 'accept')];

const cases: { description: string; decisions: () => Decision[]; expected: Expected }[] = [
  {
    description: 'no open records: both passes agree on each record',
    decisions: () => [
      decision('MRN-1', 'first', 'reject', ['major']),
      decision('MRN-1', 'second', 'reject', ['major']),
      ...agreedAccept(),
    ],
    expected: {
      reviewed: 2,
      errors: 1,
      critical: 0,
      awaiting: 0,
      awaitingErrors: 0,
      awaitingCritical: 0,
      minorErrors: 0,
      awaitingMinorErrors: 0,
      ifCleared: 1 / 2,
      critical_reason: false,
    },
  },
  {
    description: 'one open disagreement, accept vs reject: an error until adjudicated',
    decisions: () => [
      decision('MRN-1', 'first', 'accept'),
      decision('MRN-1', 'second', 'reject'),
      ...agreedAccept(),
    ],
    expected: {
      reviewed: 2,
      errors: 1,
      critical: 0,
      awaiting: 1,
      awaitingErrors: 1,
      awaitingCritical: 0,
      minorErrors: 0,
      awaitingMinorErrors: 0,
      ifCleared: 0,
      critical_reason: false,
    },
  },
  {
    description: 'open, a critical finding on one side only: critical, and the stratum fails on it',
    decisions: () => [
      decision('MRN-1', 'first', 'reject', ['critical']),
      decision('MRN-1', 'second', 'accept', ['minor']),
      ...agreedAccept(),
    ],
    expected: {
      reviewed: 2,
      errors: 1,
      critical: 1,
      awaiting: 1,
      awaitingErrors: 1,
      awaitingCritical: 1,
      minorErrors: 1,
      awaitingMinorErrors: 1,
      ifCleared: 0,
      critical_reason: true,
    },
  },
  {
    description: 'open “cannot assess” against an accept: an error at both rates',
    decisions: () => [
      decision('MRN-1', 'first', 'cannot-assess'),
      decision('MRN-1', 'second', 'accept'),
      ...agreedAccept(),
    ],
    expected: {
      reviewed: 2,
      errors: 1,
      critical: 0,
      awaiting: 1,
      awaitingErrors: 1,
      awaitingCritical: 0,
      minorErrors: 1,
      awaitingMinorErrors: 1,
      ifCleared: 0,
      critical_reason: false,
    },
  },
  {
    description:
      'open “cannot assess” against a major rejection: major, and still an error at the minor rate',
    decisions: () => [
      decision('MRN-1', 'first', 'reject', ['major']),
      decision('MRN-1', 'second', 'cannot-assess'),
      ...agreedAccept(),
    ],
    expected: {
      reviewed: 2,
      errors: 1,
      critical: 0,
      awaiting: 1,
      awaitingErrors: 1,
      awaitingCritical: 0,
      minorErrors: 1,
      awaitingMinorErrors: 1,
      ifCleared: 0,
      critical_reason: false,
    },
  },
  {
    description: 'open, two accepts that differ only in a minor mark: no error at the major rate',
    decisions: () => [
      decision('MRN-1', 'first', 'accept', ['minor']),
      decision('MRN-1', 'second', 'accept'),
      ...agreedAccept(),
    ],
    expected: {
      reviewed: 2,
      errors: 0,
      critical: 0,
      awaiting: 1,
      awaitingErrors: 0,
      awaitingCritical: 0,
      minorErrors: 1,
      awaitingMinorErrors: 1,
      ifCleared: 0,
      critical_reason: false,
    },
  },
  {
    description: 'the open critical disagreement, adjudicated as accepted: counted normally again',
    decisions: () => [
      decision('MRN-1', 'first', 'reject', ['critical']),
      decision('MRN-1', 'second', 'accept', ['minor']),
      ...agreedAccept(),
      decision('MRN-1', 'adjudication', 'accept'),
    ],
    expected: {
      reviewed: 2,
      errors: 0,
      critical: 0,
      awaiting: 0,
      awaitingErrors: 0,
      awaitingCritical: 0,
      minorErrors: 0,
      awaitingMinorErrors: 0,
      ifCleared: 0,
      critical_reason: false,
    },
  },
  {
    description: 'the open accept vs reject, adjudicated as rejected: an error, no longer awaiting',
    decisions: () => [
      decision('MRN-1', 'first', 'accept'),
      decision('MRN-1', 'second', 'reject'),
      ...agreedAccept(),
      decision('MRN-1', 'adjudication', 'reject', ['major']),
    ],
    expected: {
      reviewed: 2,
      errors: 1,
      critical: 0,
      awaiting: 0,
      awaitingErrors: 0,
      awaitingCritical: 0,
      minorErrors: 0,
      awaitingMinorErrors: 0,
      ifCleared: 1 / 2,
      critical_reason: false,
    },
  },
];

describe('records awaiting adjudication count at their worst', () => {
  it.each(cases)('$description', ({ decisions, expected }) => {
    const review = dual(decisions());
    const tallies = finalTallies(review);
    const verdict = overallVerdict(tallies, criteria);
    const stratum = verdict.strata[0];
    if (!stratum?.minor) throw new Error('one stratum with a minor rate expected');
    expect({
      reviewed: verdict.reviewed,
      errors: verdict.errors,
      critical: verdict.critical,
      awaiting: verdict.awaitingAdjudication,
      awaitingErrors: verdict.awaitingErrors,
      awaitingCritical: verdict.awaitingCritical,
      minorErrors: stratum.minor.errors,
      awaitingMinorErrors: stratum.minor.awaitingErrors,
      ifCleared: stratum.major.observedRateIfCleared,
      critical_reason: stratum.reasons.includes('critical-defect'),
    }).toEqual(expected);
    expect(stratum.major.awaitingErrors).toBe(expected.awaitingErrors);
    expect(stratum.awaitingCritical).toBe(expected.awaitingCritical);
    expect(stratum.major.observedRate).toBe(expected.errors / expected.reviewed);
    expect(verdict.weightedRateIfCleared).toBeCloseTo(expected.ifCleared, 12);

    // the bounds are those of the same counts settled as errors: at worst, not left out
    const settled = {
      stratumId: 'patients',
      population: 3,
      reviewed: expected.reviewed,
      critical: expected.critical,
      major: expected.errors - expected.critical - (tallies[0]?.cannotAssess ?? 0),
      cannotAssess: tallies[0]?.cannotAssess ?? 0,
      minor: tallies[0]?.minor ?? 0,
      minorErrors: expected.minorErrors,
    };
    const asFinal = stratumVerdict(settled, criteria);
    expect(stratum.major.upperBound).toBe(asFinal.major.upperBound);
    expect(stratum.major.clopperPearsonUpper).toBe(asFinal.major.clopperPearsonUpper);
    expect(stratum.minor.upperBound).toBe(asFinal.minor?.upperBound);
    expect(stratum.pass).toBe(asFinal.pass);
  });

  it('at worst, an open record bounds higher than counting it as a pass would', () => {
    const open = overallVerdict(
      finalTallies(dual([decision('MRN-1', 'first', 'accept'), decision('MRN-1', 'second', 'reject')])),
      criteria,
    );
    const asPass = stratumVerdict(
      { stratumId: 'patients', population: 3, reviewed: 1, critical: 0, major: 0, cannotAssess: 0, minor: 0 },
      criteria,
    );
    expect(open.strata[0]?.major.upperBoundDefectives).toBe(3);
    expect(asPass.major.upperBoundDefectives).toBe(2);
    expect(open.strata[0]?.major.clopperPearsonUpper).toBeGreaterThan(asPass.major.clopperPearsonUpper);
  });

  it('signed results keep the tally fields signatures were made over', () => {
    const review = dual([decision('MRN-1', 'first', 'accept'), decision('MRN-1', 'second', 'reject')]);
    expect(Object.keys(signoffResults(review).strata[0] ?? {}).sort()).toEqual([
      'awaitingAdjudication',
      'cannotAssess',
      'critical',
      'major',
      'minor',
      'population',
      'reviewed',
      'stratumId',
    ]);
  });
});
