import { describe, expect, it } from 'vitest';
import type { Decision, DecisionStage, Finding, Outcome, Review } from '../../../formats/review.ts';
import {
  fixtureDecision,
  fixtureReview,
  fixtureSamplePlan,
  FIXTURE_REVIEWERS as people,
} from '../../../formats/testing/fixtures.ts';
import { recordCounts } from '../review/dualReview.ts';
import { errorBreakdowns } from '../review/errorBreakdown.ts';
import { reviewVerdict } from '../signing/signingMeaning.ts';
import { signoffReportHtml } from './signoffReport.ts';

const critical: Finding = { field: 'allergy', reason: 'missing', defectClass: 'critical' };
const minor: Finding = { field: 'name.family', reason: 'other', defectClass: 'minor' };
function made(
  id: string,
  key: string,
  outcome: Outcome,
  findings: Finding[] = [],
  stage?: DecisionStage,
): Decision {
  return {
    ...fixtureDecision(id, key, outcome),
    findings,
    ...(outcome === 'reject' && findings.length === 0 ? { comment: 'wrong chart' } : {}),
    ...(stage ? { stage, reviewer: people[stage] } : {}),
  };
}

/** The report's number in the row headed `label`. */
function reportCount(html: string, label: string): number {
  const match = new RegExp(`<th[^>]*>${label}</th><td[^>]*>(\\d+)<`).exec(html);
  if (!match) throw new Error(`no row ${label}`);
  return Number(match[1]);
}

describe('one count for every screen and export', () => {
  const cases: {
    description: string;
    review: Review;
    expected: {
      reviewed: number;
      accepted: number;
      rejected: number;
      awaiting: number;
      partly: number;
      open: number;
      errors: number;
      withErrors: number;
    };
  }[] = [
    {
      description: 'single review: an accept with a minor finding is no error; cannot assess waits',
      review: fixtureReview('rv1', [
        made('1', 'MRN-1', 'accept', [minor]),
        made('2', 'MRN-2', 'reject', [critical]),
        made('3', 'MRN-3', 'cannot-assess'),
      ]),
      expected: {
        reviewed: 3,
        accepted: 1,
        rejected: 1,
        awaiting: 1,
        partly: 0,
        open: 0,
        errors: 2,
        withErrors: 1,
      },
    },
    {
      description: 'dual review: one pass only is not reviewed; a disagreement waits; an agreement is final',
      review: {
        ...fixtureReview('rv1', [
          made('1', 'MRN-1', 'accept', [], 'first'),
          made('2', 'MRN-1', 'accept', [], 'second'),
          made('3', 'MRN-2', 'reject', [critical], 'first'),
          made('4', 'MRN-2', 'accept', [], 'second'),
          made('5', 'MRN-3', 'accept', [], 'first'),
        ]),
        dualReview: true,
      },
      expected: {
        reviewed: 2,
        accepted: 1,
        rejected: 0,
        awaiting: 1,
        partly: 1,
        open: 0,
        errors: 1,
        withErrors: 0,
      },
    },
  ];
  it.each(cases)('$description', ({ review, expected }) => {
    const { total } = recordCounts(review);
    expect(total).toMatchObject({
      drawn: 3,
      reviewed: expected.reviewed,
      accepted: expected.accepted,
      rejected: expected.rejected,
      awaitingAdjudication: expected.awaiting,
      partly: expected.partly,
      open: expected.open,
    });
    expect(total.final + total.awaitingAdjudication + total.partly + total.open).toBe(total.drawn);
    // the verdict, the charts and the report read the same numbers
    const plan = fixtureSamplePlan('p1');
    const verdict = reviewVerdict(review, plan);
    expect(verdict.reviewed).toBe(expected.reviewed);
    expect(verdict.errors).toBe(expected.errors);
    expect(errorBreakdowns(review).overall.recordsWithErrors).toBe(expected.withErrors);
    const html = signoffReportHtml({ projectName: 'Clinic', plan, review, entries: [], generatedAt: 'now' });
    expect(reportCount(html, 'Records reviewed')).toBe(expected.reviewed);
    expect(reportCount(html, 'Accepted')).toBe(expected.accepted);
    expect(reportCount(html, 'Rejected')).toBe(expected.rejected);
    expect(html.includes('data-agreement')).toBe(review.dualReview === true);
  });
});
