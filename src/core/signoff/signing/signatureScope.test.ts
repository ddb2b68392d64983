import { describe, expect, it } from 'vitest';
import type { ServerDecisionsSignature } from '../../../formats/review.ts';
import { fixtureDecision } from '../../../formats/testing/fixtures.ts';
import { reviewedDecisionsHash, SIGNING_MEANINGS } from './serverChain.ts';
import {
  addServerSignature,
  serverCoverageText,
  serverReviewSignatureOf,
  verifyServerReviewSignature,
} from './serverSignatures.ts';
import { decisionSetProblem, scopedDecisionsHash, scopeText, signatureManifest } from './signatureScope.ts';
import { PROJECT, signedOnServer } from './testing/serverSigned.ts';
import { lockedReview, softAuthenticator } from './testing/signedExport.ts';

const decisions = [
  fixtureDecision('d1', 'MRN-1', 'accept'),
  fixtureDecision('d2', 'MRN-2', 'reject'),
  fixtureDecision('d3', 'MRN-3', 'accept'),
];

describe('a signature’s scope', () => {
  it('counts her decisions, the records they decide, and hashes exactly that set', () => {
    const again = { ...fixtureDecision('d4', 'MRN-1', 'reject') };
    const manifest = signatureManifest('rv1', [...decisions, again], 93);
    expect(manifest).toEqual({
      decisions: 4,
      decided: 3,
      assigned: 93,
      decisionsSha256: reviewedDecisionsHash('rv1', [...decisions, again]),
    });
    expect(scopeText(manifest)).toBe('3 of 93 decided');
    expect(scopeText({ decisions: 93, decided: 93, assigned: 93 })).toBe('all 93 decided');
  });

  it('signs the scope with the set: another count or another set is another hash', () => {
    const manifest = signatureManifest('rv1', decisions, 5);
    const signed = scopedDecisionsHash('rv1', manifest.decisionsSha256, manifest);
    expect(signed).toMatch(/^[0-9a-f]{64}$/);
    expect(scopedDecisionsHash('rv1', manifest.decisionsSha256, { ...manifest, assigned: 3 })).not.toBe(
      signed,
    );
    expect(scopedDecisionsHash('rv2', manifest.decisionsSha256, manifest)).not.toBe(signed);
    expect(signed).not.toBe(manifest.decisionsSha256);
  });

  const held = decisions;
  const ids = (list: readonly { id: string }[]) => list.map((d) => d.id);
  it.each([
    {
      description: 'the set the server holds',
      signed: held,
      signedIds: ids(held),
      expected: undefined,
    },
    {
      description: 'one decision lost on the way (sent ids)',
      signed: held.slice(0, 2),
      signedIds: ids(held.slice(0, 2)),
      expected:
        'this signature covers 2 decisions of yours, but the server records 3 of yours in this review: 1 decision differs (1 on the server is not in it). Nothing was signed: reload your records, and sign again',
    },
    {
      description: 'one the server never had, one it has not counted (sent ids)',
      signed: [held[0], held[1], fixtureDecision('d9', 'MRN-9', 'accept')],
      signedIds: ['d1', 'd2', 'd9'],
      expected:
        'this signature covers 3 decisions of yours, but the server records 3 of yours in this review: 2 decisions differ (1 on the server is not in it, 1 in it is not on the server). Nothing was signed: reload your records, and sign again',
    },
    {
      description: 'seven lost, no ids sent (an older screen)',
      signed: held.slice(0, 1),
      signedIds: undefined,
      expected:
        'this signature covers 1 decision of yours, but the server records 3 of yours in this review: 2 decisions differ. Nothing was signed: reload your records, and sign again',
    },
  ])('the server’s answer to $description', ({ signed, signedIds, expected }) => {
    const manifest = signatureManifest('rv1', signed as typeof held, 93);
    expect(decisionSetProblem('rv1', manifest, held, signedIds)).toBe(expected);
  });

  it('refuses counts that cannot be', () => {
    const manifest = { ...signatureManifest('rv1', held, 93), decided: 94 };
    expect(decisionSetProblem('rv1', manifest, held)).toBe(
      'this signature’s scope cannot be: it says 94 records decided by only 3 decisions',
    );
  });
});

describe('a scoped signature kept in the review', () => {
  async function scoped(assigned: number) {
    const { review } = lockedReview(decisions);
    const manifest = signatureManifest(review.id, review.decisions, assigned);
    const view = await signedOnServer(
      await softAuthenticator(),
      scopedDecisionsHash(review.id, manifest.decisionsSha256, manifest),
      {
        projectSeq: 9,
        kind: 'review',
        role: 'reviewer',
        meaning: SIGNING_MEANINGS.review,
        review: review.id,
        member: 'RN-204',
        scope: manifest,
      },
    );
    const kept = serverReviewSignatureOf(view, PROJECT, review.id) as ServerDecisionsSignature;
    return { review: addServerSignature(review, kept), kept, view };
  }

  it('verifies, and says a partial scope as partial', async () => {
    const { review, kept } = await scoped(5);
    expect(kept.scope).toEqual({ decisions: 3, decided: 3, assigned: 5 });
    const verified = await verifyServerReviewSignature(review, kept);
    expect(verified).toEqual({ ok: true, signatureId: kept.id, covered: 3, of: 3, scope: kept.scope });
    expect(serverCoverageText(verified as { covered: number; of: number }, 'review')).toBe(
      'Partial scope: signed with 3 of 5 decided of the records assigned to her (2 undecided)',
    );
    const whole = await scoped(3);
    const all = await verifyServerReviewSignature(whole.review, whole.kept);
    expect(serverCoverageText(all as { covered: number; of: number }, 'review')).toBe(
      'Covers all 3 review decisions of hers in this review',
    );
  });

  it('a scope edited after signing does not verify', async () => {
    const { review, kept } = await scoped(5);
    const edited = { ...kept, scope: { decisions: 3, decided: 3, assigned: 3 } };
    const checked = await verifyServerReviewSignature({ ...review, serverSignatures: [edited] }, edited);
    expect(checked).toMatchObject({ ok: false });
    expect((checked as { message: string }).message).toMatch(/its WebAuthn assertion does not verify/);
  });

  it('the server’s record of another scope than it signs is refused when kept', async () => {
    const { view } = await scoped(5);
    const forged = { ...view, scope: { ...(view.scope as NonNullable<typeof view.scope>), assigned: 3 } };
    expect(() => serverReviewSignatureOf(forged, PROJECT, 'rv1')).toThrow(
      'signature entry 9 does not sign the scope it states (all 3 decided)',
    );
  });
});
