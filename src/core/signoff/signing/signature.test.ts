import { describe, expect, it } from 'vitest';
import type { ChainEntry } from '../../../formats/auditLog.ts';
import type { Review, Signature } from '../../../formats/review.ts';
import { fixtureDecision } from '../../../formats/testing/fixtures.ts';
import { applyChange, createProject } from '../../project/changes.ts';
import { planHash } from '../sampling/planLock.ts';
import { pendingAuditEntries, signatureEntryFor, verifyAuditChain } from './auditChain.ts';
import {
  addSignature,
  chainHeadOf,
  GO_LIVE_MEANING,
  prepareSignature,
  resultsHash,
  SignatureError,
  signoffHash,
  verifySignature,
} from './signature.ts';
import { lockedReview, signedExport, softAuthenticator } from './testing/signedExport.ts';

const signer = { name: 'Sam Okafor', role: 'Clinical lead', id: 'CL-7' };

describe('prepareSignature', () => {
  it('binds the plan hash, the results hash and the chain head; the sign-off hash covers the manifestation', () => {
    const { review } = lockedReview([fixtureDecision('d1'), fixtureDecision('d2', 'MRN-2', 'reject')]);
    const entries = pendingAuditEntries(undefined, [review], new Set());
    const prepared = prepareSignature({
      id: 's1',
      review,
      signer: { name: ' Sam Okafor ', role: 'Clinical lead', id: 'CL-7' },
      signedAt: '2025-03-02T17:30:00+01:00',
      meaning: GO_LIVE_MEANING,
      chain: chainHeadOf(entries),
    });
    expect(prepared).toMatchObject({
      signer,
      planHash: review.plan.hash,
      resultsSha256: resultsHash(review),
      chainHead: entries[1]?.hash,
      chainLength: 2,
    });
    expect(prepared.signoffSha256).toBe(signoffHash(review.id, prepared));
    for (const field of ['meaning', 'signedAt', 'chainHead'] as const) {
      expect(signoffHash(review.id, { ...prepared, [field]: `${prepared[field]}x` })).not.toBe(
        prepared.signoffSha256,
      );
    }
    expect(signoffHash('another-review', prepared)).not.toBe(prepared.signoffSha256);
  });

  it.each([
    { description: 'a blank name', patch: { signer: { ...signer, name: ' ' } }, message: /printed name/ },
    { description: 'a blank meaning', patch: { meaning: '  ' }, message: /meaning/ },
  ])('refuses $description', ({ patch, message }) => {
    const { review } = lockedReview([fixtureDecision('d1')]);
    expect(() =>
      prepareSignature({
        id: 's1',
        review,
        signer,
        signedAt: '2025-03-02T17:30:00Z',
        meaning: GO_LIVE_MEANING,
        chain: { head: '0'.repeat(64), length: 0 },
        ...patch,
      }),
    ).toThrow(message);
  });

  it('refuses a review with no decisions', () => {
    const { review } = lockedReview([]);
    expect(() =>
      prepareSignature({
        id: 's1',
        review,
        signer,
        signedAt: '2025-03-02T17:30:00Z',
        meaning: GO_LIVE_MEANING,
        chain: { head: '0'.repeat(64), length: 0 },
      }),
    ).toThrow(SignatureError);
  });
});

describe('review/sign', () => {
  function setup() {
    const { plan, review } = lockedReview([fixtureDecision('d1')]);
    const project = {
      ...createProject({ id: 'proj1', name: 'Clinic', now: '2025-03-02T07:00:00Z' }),
      samplePlans: [plan],
      reviews: [review],
    };
    const prepared = prepareSignature({
      id: 's1',
      review,
      signer,
      signedAt: '2025-03-02T17:30:00Z',
      meaning: GO_LIVE_MEANING,
      chain: chainHeadOf(pendingAuditEntries(undefined, [review], new Set())),
    });
    const signature: Signature = {
      ...prepared,
      reauthentication: { method: 'none', reason: 'No WebAuthn.' },
    };
    return { project, review, signature };
  }

  it('appends the signature to the review', () => {
    const { project, signature } = setup();
    const next = applyChange(
      project,
      { type: 'review/sign', reviewId: 'rv1', signature },
      '2025-03-02T17:31:00Z',
    );
    expect(next.reviews?.[0]?.signatures).toEqual([signature]);
  });

  it.each([
    {
      description: 'a decision made after it was prepared',
      change: (review: Review, s: Signature) => ({
        review: {
          ...review,
          decisions: [...review.decisions, { ...fixtureDecision('d9', 'MRN-2'), planHash: review.plan.hash }],
        },
        signature: s,
      }),
      message: /results changed after signing began/,
    },
    {
      description: 'a changed meaning (hash no longer matches)',
      change: (review: Review, s: Signature) => ({ review, signature: { ...s, meaning: 'Something else' } }),
      message: /sign-off hash does not match/,
    },
    {
      description: 'another plan',
      change: (review: Review, s: Signature) => ({ review, signature: { ...s, planHash: 'f'.repeat(64) } }),
      message: /another plan/,
    },
  ])('refuses $description, leaving the review as it was', ({ change, message }) => {
    const { review, signature } = setup();
    const changed = change(review, signature);
    expect(() => addSignature(changed.review, changed.signature)).toThrow(message);
  });

  it('refuses a signature id used twice', () => {
    const { review, signature } = setup();
    expect(() => addSignature(addSignature(review, signature), signature)).toThrow(/already used/);
  });
});

describe('verifySignature', () => {
  it('verifies a signed export with a WebAuthn assertion', async () => {
    const { file, review, signature } = await signedExport(await softAuthenticator());
    expect(verifyAuditChain(file.entries, file.reviews).ok).toBe(true);
    await expect(verifySignature(review, signature, file.entries, file.plans)).resolves.toMatchObject({
      ok: true,
      reauthentication: 'webauthn',
      webauthn: { origin: 'http://localhost:4173', userVerified: true },
    });
  });

  it('verifies a signed export whose authenticator made an RS256 key', async () => {
    const { file, review, signature } = await signedExport(await softAuthenticator('RS256'));
    await expect(verifySignature(review, signature, file.entries, file.plans)).resolves.toMatchObject({
      ok: true,
      reauthentication: 'webauthn',
    });
  });

  it('verifies one signed without WebAuthn, saying so', async () => {
    const { file, review, signature } = await signedExport();
    await expect(verifySignature(review, signature, file.entries, file.plans)).resolves.toMatchObject({
      ok: true,
      reauthentication: 'none',
    });
  });

  it('covers only the decisions logged up to its head: a later decision does not break it', async () => {
    const { file, review, signature } = await signedExport();
    const later = { ...fixtureDecision('d4', 'MRN-2'), planHash: review.plan.hash };
    const grown = { ...review, decisions: [...review.decisions, later] };
    const entries: ChainEntry[] = [
      ...file.entries,
      ...pendingAuditEntries(file.entries[file.entries.length - 1], [grown], new Set(['d1', 'd2', 'd3'])),
    ];
    expect(verifyAuditChain(entries, [grown]).ok).toBe(true);
    await expect(verifySignature(grown, signature, entries, file.plans)).resolves.toMatchObject({ ok: true });
  });

  /**
   * Forgeries that keep the chain intact (every hash recomputed): only the signature bindings
   * catch them.
   */
  const forgeries: {
    description: string;
    forge: (x: Awaited<ReturnType<typeof signedExport>>) => {
      review: Review;
      signature: Signature;
      entries: ChainEntry[];
      plans: typeof x.file.plans;
    };
    reason: string;
  }[] = [
    {
      description: 'a decision outcome changed and the whole chain rebuilt (the bound head is gone)',
      forge: ({ file, review, signature }) => {
        const changed = {
          ...review,
          decisions: review.decisions.map((d) =>
            d.id === 'd2' ? { ...d, outcome: 'accept' as const, findings: [] } : d,
          ),
        };
        const entries = pendingAuditEntries(undefined, [changed], new Set());
        return {
          review: changed,
          signature,
          entries: [...entries, signatureEntryFor(entries[2], review.id, signature)],
          plans: file.plans,
        };
      },
      reason: 'chain-head',
    },
    {
      description: 'a decision outcome changed, the chain left as it was',
      forge: ({ file, review, signature }) => ({
        review: {
          ...review,
          decisions: review.decisions.map((d) =>
            d.id === 'd2' ? { ...d, outcome: 'accept' as const, findings: [] } : d,
          ),
        },
        signature,
        entries: file.entries,
        plans: file.plans,
      }),
      reason: 'results-hash',
    },
    {
      description: 'the plan changed (a looser target)',
      forge: ({ file, review, signature }) => ({
        review,
        signature,
        entries: file.entries,
        plans: file.plans?.map((p) => ({ ...p, targetErrorRate: 0.1 })),
      }),
      reason: 'plan-hash',
    },
    {
      description: 'the printed name changed',
      forge: ({ file, review, signature }) => ({
        review,
        signature: { ...signature, signer: { ...signature.signer, name: 'Someone Else' } },
        entries: file.entries,
        plans: file.plans,
      }),
      reason: 'signoff-hash',
    },
    {
      description: 'a chain head that is not in the chain',
      forge: ({ file, review, signature }) => {
        const moved = { ...signature, chainHead: 'e'.repeat(64) };
        const resigned = { ...moved, signoffSha256: signoffHash(review.id, moved) };
        return { review, signature: resigned, entries: file.entries, plans: file.plans };
      },
      reason: 'chain-head',
    },
    {
      description: 'the content re-hashed but the WebAuthn assertion kept',
      forge: ({ file, review, signature }) => {
        const moved = { ...signature, signedAt: '2025-03-01T09:00:00Z' };
        const resigned = { ...moved, signoffSha256: signoffHash(review.id, moved) };
        return { review, signature: resigned, entries: file.entries, plans: file.plans };
      },
      reason: 'webauthn',
    },
    {
      description: 'no audit entry for it',
      forge: ({ file, review, signature }) => ({
        review,
        signature,
        entries: file.entries.slice(0, 3),
        plans: file.plans,
      }),
      reason: 'entry-missing',
    },
  ];
  it.each(forgeries)('names what is broken: $description', async ({ forge, reason }) => {
    const signed = await signedExport(await softAuthenticator());
    const { review, signature, entries, plans } = forge(signed);
    const result = await verifySignature(review, signature, entries, plans);
    expect(result).toMatchObject({ ok: false, reason });
    expect(JSON.stringify(result)).not.toContain('MRN-');
  });

  it('the plan hash of the fixture plan is the one bound', async () => {
    const { file, signature } = await signedExport();
    expect(planHash(file.plans?.[0] as NonNullable<typeof file.plans>[number])).toBe(signature.planHash);
  });
});
