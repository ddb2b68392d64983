import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../formats/review.ts';
import { fixtureDecision } from '../../../formats/testing/fixtures.ts';
import { resultsHash, verifySignature } from './signature.ts';
import {
  coverageText,
  reviewSignatureCoverage,
  type SignatureCoverage,
  signatureCoverage,
} from './signatureCoverage.ts';
import { signedAgain, signedExport, signedThenDecided } from './testing/signedExport.ts';

const later = (id: string, key: string, outcome: Decision['outcome'], decidedAt: string): Decision => ({
  ...fixtureDecision(id, key, outcome),
  decidedAt,
});

describe('signatureCoverage', () => {
  it.each([
    { description: 'nothing decided after signing', after: [] as Decision[], covers: true, ids: [] },
    {
      description: 'one record decided after signing',
      after: [later('d4', 'MRN-4', 'reject', '2025-03-03T08:05:00+01:00')],
      covers: false,
      ids: ['d4'],
    },
    {
      description: 'a record decided again, then another one',
      after: [
        later('d5', 'MRN-1', 'reject', '2025-03-03T08:05:00+01:00'),
        later('d6', 'MRN-7', 'accept', '2025-03-03T08:09:00+01:00'),
      ],
      covers: false,
      ids: ['d5', 'd6'],
    },
  ])('$description', async ({ after, covers, ids }) => {
    const { file, review, signature } = await signedThenDecided(after);
    const coverage = signatureCoverage(review, signature, file.entries);
    expect(coverage).toMatchObject({
      signatureId: signature.id,
      reviewId: review.id,
      signedResultsSha256: signature.resultsSha256,
      currentResultsSha256: resultsHash(review),
      coversCurrentResults: covers,
    });
    expect(coverage.decisionsAfter.map((d) => d.id)).toEqual(ids);
    // the signature itself still verifies: what it signed is unchanged, it just covers less now
    expect((await verifySignature(review, signature, file.entries, file.plans)).ok).toBe(true);
  });

  it('counts a decision not logged yet as after the signature (it cannot be covered)', async () => {
    const { file, review, signature } = await signedExport();
    const unlogged = { ...review, decisions: [...review.decisions, fixtureDecision('d9', 'MRN-9')] };
    const coverage = signatureCoverage(unlogged, signature, file.entries);
    expect(coverage.coversCurrentResults).toBe(false);
    expect(coverage.decisionsAfter.map((d) => d.id)).toEqual(['d9']);
  });

  it('lists every signature of a review, each against the same results now', async () => {
    const { file, review } = await signedThenDecided([
      later('d4', 'MRN-4', 'accept', '2025-03-03T08:05:00Z'),
    ]);
    const all = reviewSignatureCoverage(review, file.entries);
    expect(all).toHaveLength(1);
    expect(all[0]?.currentResultsSha256).toBe(resultsHash(review));
    expect(reviewSignatureCoverage({ ...review, signatures: [] }, file.entries)).toEqual([]);
  });

  it('marks a signature its signer signed again as replaced by the later one', async () => {
    const { file, review, signature } = signedAgain(
      await signedThenDecided([later('d4', 'MRN-4', 'accept', '2025-03-03T08:05:00Z')]),
      '2025-03-03T17:30:00+01:00',
    );
    const [first, second] = reviewSignatureCoverage(review, file.entries);
    expect(first).toMatchObject({
      coversCurrentResults: false,
      replacedBy: { signatureId: signature.id, signedAt: '2025-03-03T17:30:00+01:00' },
    });
    expect(second).toMatchObject({
      signatureId: signature.id,
      coversCurrentResults: true,
      decisionsAfter: [],
    });
    expect(second?.replacedBy).toBeUndefined();
    // the older one is not told to sign again: the later signature did
    const text = coverageText(first as SignatureCoverage);
    expect(text).toMatch(/^Replaced by a later signature, signed 2025-03-03 at 17:30 \(UTC\+01:00\)\. /);
    expect(text).not.toMatch(/sign again/i);
    expect(coverageText(second as SignatureCoverage)).toBe('Covers every decision recorded so far.');
  });
});

describe('coverageText', () => {
  it.each([
    { description: 'covered', after: [] as Decision[], expected: /^Covers every decision/ },
    {
      description: 'one later decision, with its time as recorded',
      after: [later('d4', 'MRN-4', 'reject', '2025-03-03T08:05:00+01:00')],
      expected:
        /1 decision was logged after this signature \(the first decided 2025-03-03 at 08:05 \(UTC\+01:00\)\)\. .*sign again to cover it\./,
    },
    {
      description: 'two later decisions',
      after: [
        later('d4', 'MRN-4', 'reject', '2025-03-03T08:05:00Z'),
        later('d5', 'MRN-5', 'accept', '2025-03-03T08:06:00Z'),
      ],
      expected: /2 decisions were logged after this signature.*sign again to cover them\./,
    },
    {
      // a decision merged from a review packet carries the clinician's clock: decided before the
      // signature (17:30 +01:00 = 16:30 UTC), logged after it; the words must not read "after <earlier time>"
      description: 'a merged packet decision dated before the signature',
      after: [later('d4', 'MRN-4', 'accept', '2025-03-02T16:10:00Z')],
      expected:
        /1 decision was logged after this signature \(the first decided 2025-03-02 at 16:10 \(UTC\), merged after signing\)\./,
    },
    {
      description: 'a decision dated the same minute, just after the signature',
      after: [later('d4', 'MRN-4', 'accept', '2025-03-02T16:30:01Z')],
      expected: /\(the first decided 2025-03-02 at 16:30 \(UTC\)\)\./,
    },
  ])('$description', async ({ after, expected }) => {
    const { file, review, signature } = await signedThenDecided(after);
    const text = coverageText(signatureCoverage(review, signature, file.entries));
    expect(text).toMatch(expected);
    // ids and times only: no record key
    expect(text).not.toMatch(/MRN-/);
  });

  it('says the results differ when no decision came after but the hashes do not match', async () => {
    const { file, review, signature } = await signedExport();
    const text = coverageText(
      signatureCoverage(review, { ...signature, resultsSha256: 'f'.repeat(64) }, file.entries),
    );
    expect(text).toMatch(/differ/);
  });
});
