import { describe, expect, it } from 'vitest';
import { type Decision, loadReview } from '../../../formats/review.ts';
import { fixtureDecision } from '../../../formats/testing/fixtures.ts';
import { recordCounts } from '../review/dualReview.ts';
import { approvalRefusal, sampleResult, sampleResultFingerprint } from './sampleResult.ts';
import { resultsHash } from './signature.ts';
import { reviewVerdict } from './signingMeaning.ts';
import { approvedScene } from './testing/serverSigned.ts';
import { lockedReview } from './testing/signedExport.ts';

const result = (decisions: Decision[]) => {
  const { plan, review } = lockedReview(decisions);
  return { plan, review, result: sampleResult(review, plan) };
};

describe('a sample’s result', () => {
  it('states the review screen’s own figures, verdict and results hash, and no record key', () => {
    const {
      plan,
      review,
      result: r,
    } = result([fixtureDecision('d1', 'MRN-1', 'accept'), fixtureDecision('d2', 'MRN-2', 'reject')]);
    const { total } = recordCounts(review);
    expect(r.total).toMatchObject({ drawn: total.drawn, accepted: 1, rejected: 1, undecided: 1, major: 1 });
    expect(r.pass).toBe(reviewVerdict(review, plan).pass);
    expect(r.resultsSha256).toBe(resultsHash(review));
    expect(r.plan).toEqual({
      id: 'p1',
      targetErrorRate: 0.02,
      confidence: 0.95,
      acceptanceNumber: 0,
      minorTargetErrorRate: 0.05,
      dualReview: false,
    });
    expect(JSON.stringify(r)).not.toMatch(/MRN-|Dana Reyes/);
  });

  it('stands as an approval only once every record is decided and the verdict passes', () => {
    const open = result([fixtureDecision('d1', 'MRN-1')]).result;
    expect(open.standing).toBe('undecided');
    expect(approvalRefusal(open)).toMatch(/^2 records of this sample have no decision yet/);
    const passes = result(['MRN-1', 'MRN-2', 'MRN-3'].map((k, i) => fixtureDecision(`d${i}`, k))).result;
    expect(passes.standing).toBe('passes');
    expect(approvalRefusal(passes)).toBeUndefined();
    const fails = result([
      fixtureDecision('d1', 'MRN-1', 'reject'),
      fixtureDecision('d2', 'MRN-2'),
      fixtureDecision('d3', 'MRN-3'),
    ]).result;
    expect(fails.standing).toBe('fails');
    expect(approvalRefusal(fails)).toMatch(/does not pass the plan’s targets/);
  });

  it('has a fingerprint that changes with any decision, changed ones included, and is stable otherwise', () => {
    const decided = ['MRN-1', 'MRN-2', 'MRN-3'].map((k, i) => fixtureDecision(`d${i}`, k));
    const a = sampleResultFingerprint(result(decided).result);
    expect(sampleResultFingerprint(result(decided).result)).toBe(a);
    // the same outcome on a record, decided again with a reason: the counts stay, the result does not
    const again = {
      ...fixtureDecision('d9', 'MRN-1'),
      change: { replaces: 'd0', previousOutcome: 'accept' as const, reason: 'second look' },
    };
    const b = sampleResultFingerprint(result([...decided, again]).result);
    expect(b).not.toBe(a);
  });
});

describe('a sample’s result carried with the data lead’s approval', () => {
  it('loads in the review format, and a result missing from an approval is named', async () => {
    const { review, approval } = await approvedScene();
    const saved = JSON.parse(JSON.stringify(review));
    expect(loadReview(saved)).toEqual({ ok: true, value: saved });
    const { result: _result, ...bare } = approval;
    const without = { ...saved, serverSignatures: [saved.serverSignatures[0], bare] };
    expect(loadReview(without)).toMatchObject({
      ok: false,
      problems: [{ path: '/serverSignatures/1/result' }],
    });
    const stray = {
      ...saved,
      serverSignatures: [saved.serverSignatures[0], { ...approval, decisionsSha256: 'a'.repeat(64) }],
    };
    expect(loadReview(stray)).toMatchObject({ ok: false, problems: [{ path: '/serverSignatures/1' }] });
  });
});
