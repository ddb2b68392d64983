/**
 * Merging a clinician's results into the lead's project goes through storage like any decision:
 * the merged decisions, each carrying where it came from (`imported`: the packet, the clinician's
 * chain head, its entry), are appended to the lead's own audit chain in the same strict
 * transaction, so the lead's chain binds the imported chain.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { applyChange } from '../core/project/changes.ts';
import {
  clinicianResults,
  mergeReviewResults,
  packetScenario,
  verifyReviewResults,
} from '../core/signoff/exports/index.ts';
import { decisionHash, verifyAuditChain } from '../core/signoff/signing/index.ts';
import type { AuditEntry } from '../formats/auditLog.ts';
import type { Review } from '../formats/review.ts';
import { fixtureDecision, fixtureProject } from '../formats/testing/fixtures.ts';
import { openStorage, type ProjectStorage } from './storage.ts';

const AT = '2025-03-04T09:00:00.000Z';
const opened: ProjectStorage[] = [];
afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

describe('merging review results', () => {
  it("appends the clinician's decisions to the lead's chain, which then binds the imported chain", async () => {
    const { lead, hash, packet } = packetScenario();
    // the clinician decides records 1 and 2 (a decided record is changed only with a reason)
    const { results } = clinicianResults(
      packet,
      { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' },
      [{ outcome: 'accept' }, { outcome: 'reject', comment: 'wrong date of birth' }],
    );
    const storage = await openStorage('preflight-packet-merge-test', { factory: new IDBFactory() });
    opened.push(storage);
    // the lead's project holds the locked plan the review draws from
    const leadProject = { ...fixtureProject('p1'), samplePlans: [packet.plan] };
    await storage.saveProject(applyChange(leadProject, { type: 'review/put', review: lead }, AT));
    const project = await storage.loadProject('p1');
    // the lead decided record 3 on their own computer first
    const own = applyChange(
      project,
      {
        type: 'review/decide',
        reviewId: lead.id,
        decision: { ...fixtureDecision('lead-d1', 'MRN-3'), planHash: hash },
      },
      AT,
    );
    await storage.saveChanges(own, project);

    const leadReview = own.reviews?.find((r) => r.id === lead.id) as Review;
    const verified = verifyReviewResults(structuredClone(results), leadReview);
    if (!verified.ok) throw new Error(verified.message);
    const merged = applyChange(
      own,
      { type: 'review/put', review: mergeReviewResults(leadReview, verified.decisions) },
      AT,
    );
    await storage.saveChanges(merged, own);

    const entries = await storage.readAuditLog('p1');
    const stored = (await storage.loadProject('p1')).reviews ?? [];
    expect(verifyAuditChain(entries, stored)).toMatchObject({ ok: true, entries: 7 });
    // the lock, the draw and the packet's export were logged with the lead's review; the merge before its decisions
    expect(entries.map((e) => ('decisionId' in e ? e.decisionId : e.event))).toEqual([
      'plan-lock',
      'sample-draw',
      'packet-export',
      'lead-d1',
      'packet-merge',
      'RN-204-packet-1-d1',
      'RN-204-packet-1-d2',
    ]);
    const imported = stored[0]?.decisions.slice(1) ?? [];
    for (const [i, decision] of imported.entries()) {
      expect(decision.imported).toMatchObject({ chainHead: verified.head, entry: i + 1 });
      // the lead's entry binds the decision with its reference to the clinician's chain
      expect((entries[i + 5] as AuditEntry | undefined)?.decisionSha256).toBe(decisionHash(decision));
    }
    // so a changed reference breaks the lead's chain: first at the merge entry it no longer matches
    const changed = structuredClone(stored);
    const target = changed[0]?.decisions[2];
    if (target?.imported) target.imported.chainHead = 'f'.repeat(64);
    expect(verifyAuditChain(entries, changed)).toMatchObject({
      ok: false,
      entry: 5,
      reason: 'step-changed',
    });
  });
});
