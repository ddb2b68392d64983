import { describe, expect, it } from 'vitest';
import type { Decision, DecisionStage, Outcome, Review } from '../../../formats/review.ts';
import { loadSignoffReport } from '../../../formats/signoffReport.ts';
import {
  fixtureDecision,
  fixtureReview,
  fixtureSamplePlan,
  FIXTURE_REVIEWERS as REVIEWERS,
} from '../../../formats/testing/fixtures.ts';
import { signoffBundle } from '../exports/signoffBundle.ts';
import {
  reviewVerdict,
  signoffReportFile,
  signoffReportHtml,
  standingText,
} from '../exports/signoffReport.ts';
import { StatisticsInputError } from '../sampling/statisticsInput.ts';
import { awaitingOtherReviewText, ONE_PASS_RULE, stratumVerdict } from '../sampling/verdict.ts';
import { signingStanding } from '../signing/signingMeaning.ts';
import { finalTallies, recordCounts } from './dualReview.ts';
import { addDecision } from './review.ts';

/**
 * Under dual review a record only one of the two reviewers has decided is not reviewed: it is in no
 * figure of the verdict, every export says how many records wait for which pass, and no signature
 * approves go-live until both passes are in.
 */

let next = 0;
function decision(key: string, stage: DecisionStage, outcome: Outcome, critical = false): Decision {
  next++;
  return {
    ...fixtureDecision(`w${next}`, key, outcome),
    stage,
    reviewer: REVIEWERS[stage],
    ...(outcome === 'reject' && !critical ? { comment: 'the date of birth is wrong' } : {}),
    findings: critical
      ? [{ field: 'allergies', reason: 'missing' as const, defectClass: 'critical' as const }]
      : [],
  };
}

const bothAccept = (key: string) => [decision(key, 'first', 'accept'), decision(key, 'second', 'accept')];
const dual = (decisions: Decision[]): Review =>
  decisions.reduce(addDecision, { ...fixtureReview(), dualReview: true });
/**
 * A loose target on the three-record fixture: two accepted records of three already pass the
 * verdict, so only the missing pass can hold a go-live approval back.
 */
const plan = { ...fixtureSamplePlan(), targetErrorRate: 0.5, minorTargetErrorRate: 0.9 };

interface Expected {
  reviewed: number;
  errors: number;
  critical: number;
  awaitingFirstReview: number;
  awaitingSecondReview: number;
  awaitingAdjudication: number;
  approval: boolean;
  reason?: string;
  /** the sentence the verdict says, or null when no record waits for a pass */
  text: string | null;
  /** the printed report's standing while records await a pass (it gives the counts, the note the rule) */
  standing?: string;
}

const cases: {
  description: string;
  decisions: () => Decision[];
  /** what the stratum's VerificationResult in the FHIR Bundle says of them, each figure once */
  bundle: string | null;
  expected: Expected;
}[] = [
  {
    description: 'every record decided by both: approval, nothing said',
    decisions: () => ['MRN-1', 'MRN-2', 'MRN-3'].flatMap(bothAccept),
    bundle: null,
    expected: {
      reviewed: 3,
      errors: 0,
      critical: 0,
      awaitingFirstReview: 0,
      awaitingSecondReview: 0,
      awaitingAdjudication: 0,
      approval: true,
      text: null,
    },
  },
  {
    description:
      'a first pass with a critical finding and no second pass: not reviewed, in no figure, and no approval although the verdict passes',
    decisions: () => [
      ...bothAccept('MRN-1'),
      ...bothAccept('MRN-2'),
      decision('MRN-3', 'first', 'reject', true),
    ],
    bundle: '1 record awaits the second reviewer, not counted as reviewed until both have decided it.',
    expected: {
      reviewed: 2,
      errors: 0,
      critical: 0,
      awaitingFirstReview: 0,
      awaitingSecondReview: 1,
      awaitingAdjudication: 0,
      approval: false,
      reason: 'awaiting-other-review',
      text: '1 record awaits the second reviewer: only the first has decided it. A record counts once both reviewers have decided it: until then it is not counted as reviewed, and the rates and bounds leave it out.',
      standing:
        '1 record awaits the second reviewer: the sample does not support going live until both reviewers have decided it.',
    },
  },
  {
    description: 'a second pass merged before the first: awaits the first reviewer',
    decisions: () => [...bothAccept('MRN-1'), ...bothAccept('MRN-2'), decision('MRN-3', 'second', 'accept')],
    bundle: '1 record awaits the first reviewer, not counted as reviewed until both have decided it.',
    expected: {
      reviewed: 2,
      errors: 0,
      critical: 0,
      awaitingFirstReview: 1,
      awaitingSecondReview: 0,
      awaitingAdjudication: 0,
      approval: false,
      reason: 'awaiting-other-review',
      text: '1 record awaits the first reviewer: only the second has decided it. A record counts once both reviewers have decided it: until then it is not counted as reviewed, and the rates and bounds leave it out.',
      standing:
        '1 record awaits the first reviewer: the sample does not support going live until both reviewers have decided it.',
    },
  },
  {
    description: 'only one clinician’s packet merged: nothing reviewed, every record awaits the second pass',
    decisions: () => [
      decision('MRN-1', 'first', 'accept'),
      decision('MRN-2', 'first', 'reject'),
      decision('MRN-3', 'first', 'accept'),
    ],
    bundle: '3 records await the second reviewer, not counted as reviewed until both have decided them.',
    expected: {
      reviewed: 0,
      errors: 0,
      critical: 0,
      awaitingFirstReview: 0,
      awaitingSecondReview: 3,
      awaitingAdjudication: 0,
      approval: false,
      reason: 'awaiting-other-review',
      text: '3 records await the second reviewer: only the first has decided them. A record counts once both reviewers have decided it: until then they are not counted as reviewed, and the rates and bounds leave them out.',
      standing:
        '3 records await the second reviewer: the sample does not support going live until both reviewers have decided them.',
    },
  },
  {
    description: 'both passes missing on different records, and a disagreement: adjudication is named first',
    decisions: () => [
      decision('MRN-1', 'first', 'accept'),
      decision('MRN-1', 'second', 'reject'),
      decision('MRN-2', 'first', 'accept'),
      decision('MRN-3', 'second', 'accept'),
    ],
    bundle:
      '2 records are decided by one of the two reviewers only (1 awaits the second reviewer, 1 awaits the first), not counted as reviewed until both have decided them.',
    expected: {
      reviewed: 1,
      errors: 1,
      critical: 0,
      awaitingFirstReview: 1,
      awaitingSecondReview: 1,
      awaitingAdjudication: 1,
      approval: false,
      reason: 'awaiting-adjudication',
      text: '2 records are decided by one of the two reviewers only (1 awaits the second reviewer, 1 awaits the first). A record counts once both reviewers have decided it: until then they are not counted as reviewed, and the rates and bounds leave them out.',
      standing:
        '1 record awaits an adjudicator (the two reviewers disagree, or “cannot assess”): the sample does not support going live until it is decided. 2 more records are decided by one of the two reviewers only (1 awaits the second reviewer, 1 awaits the first): the sample does not support going live until both reviewers have decided them.',
    },
  },
];

describe('a record one of the two reviewers decided is not reviewed, and every figure says so', () => {
  it.each(cases)('$description', ({ decisions, bundle, expected }) => {
    const review = dual(decisions());
    const verdict = reviewVerdict(review, plan);
    const standing = signingStanding(review, plan);
    expect({
      reviewed: verdict.reviewed,
      errors: verdict.errors,
      critical: verdict.critical,
      awaitingFirstReview: verdict.awaitingFirstReview,
      awaitingSecondReview: verdict.awaitingSecondReview,
      awaitingAdjudication: verdict.awaitingAdjudication,
      approval: standing.approval,
      ...(standing.approval ? {} : { reason: standing.reason }),
      text:
        verdict.awaitingFirstReview + verdict.awaitingSecondReview > 0
          ? awaitingOtherReviewText(verdict)
          : null,
      ...(expected.standing === undefined ? {} : { standing: standingText(standing) }),
    }).toEqual(expected);

    // the per-stratum tally and the record counts agree with the verdict
    const [tally] = finalTallies(review);
    expect([tally?.awaitingFirstReview, tally?.awaitingSecondReview]).toEqual([
      expected.awaitingFirstReview,
      expected.awaitingSecondReview,
    ]);
    const { total } = recordCounts(review);
    expect(total.partly).toBe(expected.awaitingFirstReview + expected.awaitingSecondReview);

    // the printed report: the sentence, the reason it cannot approve, the counts table
    const html = signoffReportHtml({
      projectName: 'Clinic',
      plan,
      review,
      entries: [],
      generatedAt: '2025-03-02T10:00:00Z',
    });
    if (expected.text === null) expect(html).not.toContain('data-awaiting-other-review');
    else {
      // the standing gives the counts once; the note below the table says only why they are left out
      expect(html).toContain(`<p class="note fail" data-awaiting-other-review>${ONE_PASS_RULE}</p>`);
      expect(html).toContain(`${expected.standing}</p>`);
      expect(html).not.toContain(expected.text);
    }
    expect(html).toContain(
      `<th scope="row">… of them awaiting the second reviewer</th><td class="num">${expected.awaitingSecondReview}</td>`,
    );

    // the JSON report carries the counts and still loads against its schema
    const file = signoffReportFile({
      projectName: 'Clinic',
      plan,
      review,
      entries: [],
      generatedAt: '2025-03-02T10:00:00Z',
    });
    expect(file.verdict?.awaitingFirstReview).toBe(expected.awaitingFirstReview);
    expect(file.verdict?.awaitingSecondReview).toBe(expected.awaitingSecondReview);
    expect(file.verdict?.strata[0]?.awaitingSecondReview).toBe(expected.awaitingSecondReview);
    const loaded = loadSignoffReport(JSON.parse(JSON.stringify(file)));
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);

    // the FHIR Bundle: the stratum's VerificationResult says it and is not yet validated
    const result = signoffBundle({ plan, review, now: '2025-03-02T10:00:00Z' }).entry.find(
      (e) => e.resource.resourceType === 'VerificationResult',
    )?.resource as { status: string; validationProcess: { text: string }[] } | undefined;
    if (bundle !== null) {
      expect(result?.validationProcess[0]?.text).toContain(` ${bundle}`);
      expect(result?.status).not.toBe('validated');
    } else {
      expect(result?.validationProcess[0]?.text).not.toContain('one of the two reviewers');
      expect(result?.status).toBe('validated');
    }
  });
});

describe('the counts of records awaiting a pass are whole numbers ≥ 0', () => {
  const tally = {
    stratumId: 's',
    population: 10,
    reviewed: 2,
    critical: 0,
    major: 0,
    cannotAssess: 0,
    minor: 0,
  };
  it.each([
    { field: 'awaitingFirstReview', value: -1 },
    { field: 'awaitingSecondReview', value: 1.5 },
  ])('refuses $field = $value', ({ field, value }) => {
    expect(() =>
      stratumVerdict({ ...tally, [field]: value }, { targetErrorRate: 0.05, confidence: 0.95 }),
    ).toThrow(StatisticsInputError);
  });
});
