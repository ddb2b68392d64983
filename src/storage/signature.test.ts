/**
 * Sign-off signatures in the audit store: each gets its own entry, after the decisions it binds,
 * in the same strict write as the review holding it; a full-snapshot rewrite never logs it twice;
 * a failed write stores neither the signature nor its entry.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyChange } from '../core/project/changes.ts';
import {
  chainHeadOf,
  GO_LIVE_MEANING,
  lockedReview,
  prepareSignature,
  verifyAuditChain,
  verifySignature,
} from '../core/signoff/signing/index.ts';
import type { Project } from '../formats/project.ts';
import type { Review, Signature } from '../formats/review.ts';
import { fixtureDecision, fixtureProject } from '../formats/testing/fixtures.ts';
import { openStorage, type ProjectStorage } from './storage.ts';

const DB = 'preflight-signature-test';
const AT = '2025-03-02T09:00:00.000Z';
const opened: ProjectStorage[] = [];
afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

async function setup() {
  const factory = new IDBFactory();
  const storage = await openStorage(DB, { factory });
  opened.push(storage);
  const { plan, review } = lockedReview([]);
  const empty = {
    ...applyChange(fixtureProject('p1'), { type: 'review/put', review }, AT),
    samplePlans: [plan],
  };
  await storage.saveProject(empty);
  let project = await storage.loadProject('p1');
  for (const [id, key] of [
    ['d1', 'MRN-1'],
    ['d2', 'MRN-2'],
  ] as const) {
    const next = applyChange(
      project,
      {
        type: 'review/decide',
        reviewId: 'rv1',
        decision: { ...fixtureDecision(id, key), planHash: review.plan.hash },
      },
      AT,
    );
    await storage.saveChanges(next, project);
    project = next;
  }
  return { storage, project, plan };
}

function signatureOver(review: Review, head: { head: string; length: number }, id = 's1'): Signature {
  return {
    ...prepareSignature({
      id,
      review,
      signer: { name: 'Sam Okafor', role: 'Clinical lead', id: 'CL-7' },
      signedAt: '2025-03-02T17:30:00+01:00',
      meaning: GO_LIVE_MEANING,
      chain: head,
    }),
    reauthentication: { method: 'none', reason: 'This browser offers no WebAuthn.' },
  };
}

function sign(project: Project, signature: Signature): Project {
  return applyChange(project, { type: 'review/sign', reviewId: 'rv1', signature }, AT);
}

describe('signatures in the audit store', () => {
  it('a signature gets its own entry after the decisions it binds, and verifies from storage', async () => {
    const { storage, project, plan } = await setup();
    const signature = signatureOver(
      project.reviews?.[0] as Review,
      chainHeadOf(await storage.readAuditLog('p1')),
    );
    const signed = sign(project, signature);
    await storage.saveChanges(signed, project);
    const log = await storage.readAuditLog('p1');
    expect(log.map((e) => e.event)).toEqual([
      'plan-lock',
      'sample-draw',
      'decision',
      'decision',
      'signature',
    ]);
    const reloaded = await storage.loadProject('p1');
    expect(reloaded.reviews?.[0]?.signatures).toEqual([signature]);
    expect(verifyAuditChain(log, reloaded.reviews)).toMatchObject({ ok: true, entries: 5 });
    await expect(
      verifySignature(reloaded.reviews?.[0] as Review, signature, log, [plan]),
    ).resolves.toMatchObject({ ok: true, reauthentication: 'none' });
  });

  it('a full-snapshot rewrite logs nothing twice', async () => {
    const { storage, project } = await setup();
    const signed = sign(
      project,
      signatureOver(project.reviews?.[0] as Review, chainHeadOf(await storage.readAuditLog('p1'))),
    );
    await storage.saveChanges(signed, project);
    await storage.saveProject(await storage.loadProject('p1'));
    expect((await storage.readAuditLog('p1')).map((e) => e.event)).toEqual([
      'plan-lock',
      'sample-draw',
      'decision',
      'decision',
      'signature',
    ]);
  });

  it('a decision recorded meanwhile (another tab) comes before the signature; the signature still verifies', async () => {
    const { storage, project, plan } = await setup();
    const head = chainHeadOf(await storage.readAuditLog('p1'));
    const review = project.reviews?.[0] as Review;
    const elsewhere = applyChange(
      project,
      {
        type: 'review/decide',
        reviewId: 'rv1',
        decision: { ...fixtureDecision('d3', 'MRN-3'), planHash: review.plan.hash },
      },
      AT,
    );
    await storage.saveChanges(elsewhere, project);
    // this tab signed over the two decisions it had; its write lands after the other tab's
    const signature = signatureOver(review, head);
    const signed = {
      ...elsewhere,
      reviews: elsewhere.reviews?.map((r) => ({ ...r, signatures: [signature] })),
    };
    await storage.saveChanges(signed, elsewhere);
    const log = await storage.readAuditLog('p1');
    expect(log.map((e) => e.event)).toEqual([
      'plan-lock',
      'sample-draw',
      'decision',
      'decision',
      'decision',
      'signature',
    ]);
    const reloaded = (await storage.loadProject('p1')).reviews?.[0] as Review;
    await expect(verifySignature(reloaded, signature, log, [plan])).resolves.toMatchObject({ ok: true });
  });

  it('a write that fails when the signature entry is added stores neither the signature nor its entry', async () => {
    const { storage, project } = await setup();
    const signed = sign(
      project,
      signatureOver(project.reviews?.[0] as Review, chainHeadOf(await storage.readAuditLog('p1'))),
    );
    const add = IDBObjectStore.prototype.add;
    const spy = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['add']>
    ) {
      if (this.name === 'audit' && (args[0] as { event?: string }).event === 'signature')
        throw new DOMException('full', 'QuotaExceededError');
      return add.apply(this, args);
    });
    const failed = await storage.saveChanges(signed, project).catch((error: unknown) => error);
    spy.mockRestore();
    expect(failed).toMatchObject({ kind: 'quota' });
    expect((await storage.loadProject('p1')).reviews?.[0]?.signatures).toBeUndefined();
    expect((await storage.readAuditLog('p1')).map((e) => e.event)).toEqual([
      'plan-lock',
      'sample-draw',
      'decision',
      'decision',
    ]);
  });

  it('a refused signature (results changed since preparing) changes nothing', async () => {
    const { storage, project } = await setup();
    const review = project.reviews?.[0] as Review;
    const stale = signatureOver(
      { ...review, decisions: review.decisions.slice(0, 1) },
      { head: '0'.repeat(64), length: 0 },
    );
    expect(() => sign(project, stale)).toThrow(/results changed after signing began/);
    expect((await storage.readAuditLog('p1')).map((e) => e.event)).toEqual([
      'plan-lock',
      'sample-draw',
      'decision',
      'decision',
    ]);
  });
});
