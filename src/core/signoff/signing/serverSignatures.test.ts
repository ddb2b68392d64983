import { describe, expect, it } from 'vitest';
import type { Review } from '../../../formats/review.ts';
import { fixtureDecision, fixtureProject } from '../../../formats/testing/fixtures.ts';
import { applyChange } from '../../project/changes.ts';
import { escapeHtml } from '../../validation/index.ts';
import { verifySignoffBundle } from '../exports/bundleVerify.ts';
import { signoffBundle } from '../exports/signoffBundle.ts';
import { signoffReportHtml } from '../exports/signoffReport.ts';
import { trailSubjects, verifyAuditChain } from './auditChain.ts';
import { sampleResult, sampleResultFingerprint } from './sampleResult.ts';
import { reviewedDecisionsHash, SIGNING_MEANINGS } from './serverChain.ts';
import {
  addServerSignature,
  checkSignoffAgainstServer,
  checkSignoffExportRecords,
  serverReviewSignatureOf,
  serverSignatureCoverage,
  signatureSignedOnServer,
  signoffAnchorQuestions,
  verifyServerReviewSignature,
} from './serverSignatures.ts';
import { prepareSignature, verifySignature } from './signature.ts';
import {
  approvedScene,
  exportRecord,
  PROJECT,
  serverKnows,
  serverSignedScene,
  signedOnServer,
} from './testing/serverSigned.ts';
import { softAuthenticator } from './testing/signedExport.ts';

const NOW = '2025-03-03T09:00:00Z';

/** `review` with a fourth decision (a first review of MRN-1), made after its signatures. */
function withFourthDecision(review: Review, outcome: 'accept' | 'reject'): Review {
  const fourth = {
    ...fixtureDecision('d4', 'MRN-1', outcome),
    planHash: review.plan.hash,
    stage: 'first' as const,
  };
  return { ...review, decisions: [...review.decisions, fourth] };
}

/** The sign-off report of a signed scene, each server signature verified as the app does. */
async function reportOf({ plan, review, entries }: Awaited<ReturnType<typeof serverSignedScene>>) {
  return signoffReportHtml({
    projectName: 'Clinic',
    plan,
    review,
    entries,
    generatedAt: NOW,
    serverVerifications: await Promise.all(
      (review.serverSignatures ?? []).map((s) => verifyServerReviewSignature(review, s)),
    ),
  });
}

/**
 * The data lead's approval tampered with: its result edited, its signer swapped, and the result and
 * fingerprint of another sample (the first two decisions) kept with the assertion she made.
 */
function tamperedApprovals({ plan, review, approval, result }: Awaited<ReturnType<typeof approvedScene>>) {
  const otherResult = sampleResult({ ...review, decisions: review.decisions.slice(0, 2) }, plan);
  return {
    edited: { ...approval, result: { ...result, total: { ...result.total, rejected: 0 } } },
    swapped: { ...approval, signer: { name: 'Dana Reyes', role: 'reviewer' as const, id: 'RN-204' } },
    another: { ...approval, result: otherResult, resultSha256: sampleResultFingerprint(otherResult) },
  };
}

describe('signatures made on the team server, kept with the review', () => {
  it("keeps the lead's server signature as a sign-off signature that names its server entry and verifies", async () => {
    const { plan, review, entries, signature } = await serverSignedScene();
    expect(signature.reauthentication).toMatchObject({
      method: 'webauthn',
      server: { project: PROJECT, projectSeq: 12, nonce: 'nonce-12' },
    });
    expect(await verifySignature(review, signature, entries, [plan])).toMatchObject({ ok: true });
    // the nonce is part of what the key signed: another one does not verify
    const other = {
      ...signature,
      reauthentication: {
        ...signature.reauthentication,
        server: { project: PROJECT, projectSeq: 12, entryHash: 'e'.repeat(64), nonce: 'nonce-13' },
      },
    } as typeof signature;
    expect(await verifySignature(review, other, entries, [plan])).toMatchObject({
      ok: false,
      reason: 'webauthn',
    });
  });

  it('refuses a server record that signs something else than the prepared sign-off', async () => {
    const { review } = await serverSignedScene();
    const prepared = prepareSignature({
      id: 'sig2',
      review,
      signer: { name: 'Sam Okafor', role: 'Lead', id: 'sub-lead' },
      signedAt: '2025-03-02T18:00:00+01:00',
      meaning: SIGNING_MEANINGS.confirmation,
      chain: { head: '0'.repeat(64), length: 0 },
    });
    const view = await signedOnServer(await softAuthenticator(), 'f'.repeat(64), {
      projectSeq: 13,
      kind: 'confirmation',
      role: 'lead',
      meaning: SIGNING_MEANINGS.confirmation,
    });
    expect(() => signatureSignedOnServer(prepared, view, PROJECT)).toThrow(/signs something else/);
  });

  it("verifies a reviewer's server signature over her own decisions, and says how far it reaches", async () => {
    const { review } = await serverSignedScene();
    const [kept] = review.serverSignatures ?? [];
    if (!kept) throw new Error('no server signature kept');
    expect(kept).toMatchObject({
      kind: 'review',
      signer: { name: 'Dana Reyes', role: 'reviewer', id: 'RN-204' },
      signedAt: '2025-03-02T16:00:00.000Z',
      meaning: SIGNING_MEANINGS.review,
      reauthentication: { server: { projectSeq: 9 } },
    });
    expect(await verifyServerReviewSignature(review, kept)).toEqual({
      ok: true,
      signatureId: kept.id,
      covered: 3,
      of: 3,
    });
    // a decision of hers after signing is not covered; it does not break the signature
    const later = withFourthDecision(review, 'accept');
    expect(serverSignatureCoverage(later, kept)).toMatchObject({ covered: 3, of: 4 });
    // a changed decision of hers: the signature is not over her decisions as the file holds them
    const changed: Review = {
      ...review,
      decisions: review.decisions.map((d) => (d.id === 'd2' ? { ...d, outcome: 'accept', findings: [] } : d)),
    };
    expect(await verifyServerReviewSignature(changed, kept)).toMatchObject({
      ok: false,
      message: expect.stringContaining('server entry 9'),
    });
    // the key signed the decisions: its assertion moved onto another set of them does not verify
    const moved = {
      ...kept,
      decisionsSha256: reviewedDecisionsHash(review.id, review.decisions.slice(0, 2)),
    };
    expect(await verifyServerReviewSignature(review, moved)).toMatchObject({
      ok: false,
      message: expect.stringContaining('WebAuthn'),
    });
  });

  it("refuses to keep a reviewer's signature over decisions the review does not hold, or with a meaning not hers", async () => {
    const { review } = await serverSignedScene();
    const key = await softAuthenticator();
    const before = { ...review, serverSignatures: [] };
    const notHers = await signedOnServer(key, 'f'.repeat(64), {
      projectSeq: 20,
      kind: 'review',
      role: 'reviewer',
      meaning: SIGNING_MEANINGS.review,
      review: review.id,
      member: 'RN-204',
    });
    expect(() => addServerSignature(before, serverReviewSignatureOf(notHers, PROJECT, review.id))).toThrow(
      /read the team server’s record of the review again/,
    );
    const approval = { ...notHers, kind: 'review', meaning: SIGNING_MEANINGS.approval };
    expect(() => serverReviewSignatureOf(approval, PROJECT, review.id)).toThrow(/meaning fixed/);
    expect(() => serverReviewSignatureOf(notHers, PROJECT, 'another-review')).toThrow(/another review/);
    const { assertion: _assertion, ...bare } = notHers;
    expect(() => serverReviewSignatureOf(bare, PROJECT, review.id)).toThrow(
      /did not send the identity check/,
    );
  });

  it("gives a reviewer's signature brought in an entry of the local chain naming its server entry", async () => {
    const { review, entries } = await serverSignedScene();
    const [kept] = review.serverSignatures ?? [];
    if (!kept) throw new Error('no server signature kept');
    const at = entries.findIndex((e) => e.event === 'server-signature');
    expect(at, 'after her decisions, before the lead signs').toBe(3);
    expect(entries[at]).toMatchObject({
      event: 'server-signature',
      at: '2025-03-02T17:00:00.000Z',
      subjectId: kept.id,
      reviewId: review.id,
      staffId: 'RN-204',
      meaning: SIGNING_MEANINGS.review,
      serverProject: PROJECT,
      serverEntry: 9,
      serverEntryHash: String(9).padStart(64, 'e'),
      by: 'sub-lead',
    });
    expect(verifyAuditChain(entries, [review])).toMatchObject({ ok: true });
    // the kept signature edited, or dropped from the file: its entry names it
    const edited = { ...review, serverSignatures: [{ ...kept, meaning: SIGNING_MEANINGS.adjudication }] };
    expect(verifyAuditChain(entries, [edited])).toMatchObject({
      ok: false,
      entry: at + 1,
      reason: 'step-changed',
    });
    expect(verifyAuditChain(entries, [{ ...review, serverSignatures: [] }])).toMatchObject({
      ok: false,
      entry: at + 1,
      reason: 'step-missing',
      message: expect.stringContaining('signature kept from the team server'),
    });
    // a file from before keptAt: the entry is dated by the signing
    const { keptAt: _keptAt, ...before } = kept;
    const [older] = trailSubjects({ reviews: [{ ...review, serverSignatures: [before] }] }).filter(
      (s) => s.event === 'server-signature',
    );
    expect(older?.at).toBe(kept.signedAt);
  });

  it('refuses a review/put that drops or edits a kept server signature, and lets one that keeps them', async () => {
    const { review } = await serverSignedScene();
    const [kept] = review.serverSignatures ?? [];
    if (!kept) throw new Error('no server signature kept');
    const project = { ...fixtureProject(), reviews: [review] };
    const put = (next: Review) => () => applyChange(project, { type: 'review/put', review: next }, NOW);
    const { serverSignatures: _dropped, ...withoutAny } = review;
    for (const next of [
      withoutAny as Review,
      { ...review, serverSignatures: [] },
      { ...review, serverSignatures: [{ ...kept, meaning: SIGNING_MEANINGS.approval }] },
    ])
      expect(put(next)).toThrow(
        expect.objectContaining({
          code: 'locked-document',
          message: expect.stringMatching(/signature kept from the team server, which cannot change/),
        }),
      );
    // the same signatures, a copy of them, or a packet remembered beside them: stored
    expect(put({ ...review, serverSignatures: [{ ...kept }] })).not.toThrow();
    expect(put({ ...review, packets: [] })().reviews?.[0]?.serverSignatures).toEqual([kept]);
  });

  it('prints both with their manifestation in the sign-off report', async () => {
    const html = await reportOf(await serverSignedScene());
    const server = html.slice(html.indexOf('data-signature="server"'));
    for (const text of [
      'Dana Reyes',
      '2025-03-02T16:00:00.000Z',
      'I reviewed',
      'entry 9 of team project team-1',
      'Covers all 3 review decisions',
    ])
      expect(server).toContain(text);
    const lead = html.slice(
      html.indexOf('data-signature="current"'),
      html.indexOf('data-signature="server"'),
    );
    for (const text of ['Sam Okafor', '2025-03-02T17:30:00+01:00', 'entry 12 of team project team-1'])
      expect(lead).toContain(text);
    expect(lead).toContain(escapeHtml(SIGNING_MEANINGS.confirmation));
    expect(server).toContain(escapeHtml(SIGNING_MEANINGS.review));
  });

  it('carries both in the FHIR Bundle, which verifies, and names the entry of an edited one', async () => {
    const { plan, review, entries } = await serverSignedScene();
    const bundle = signoffBundle({ plan, review, now: NOW, entries });
    const verified = await verifySignoffBundle(bundle);
    expect(verified).toMatchObject({ ok: true, serverSignatures: [{ signer: { name: 'Dana Reyes' } }] });
    if (!verified.ok) return;
    expect(verified.signatures[0]?.signature.reauthentication).toMatchObject({ server: { projectSeq: 12 } });
    const at = bundle.entry.findIndex((e) =>
      String((e.resource.activity as { text?: string })?.text).startsWith('Signed on the team server'),
    );
    expect(at).toBeGreaterThan(0);
    const edited = structuredClone(bundle);
    const provenance = edited.entry[at]?.resource as { signature: { when: string }[] } | undefined;
    if (!provenance?.signature[0]) throw new Error('no server signature Provenance');
    provenance.signature[0].when = '2025-03-01T16:00:00.000Z';
    expect(await verifySignoffBundle(edited)).toMatchObject({
      ok: false,
      reason: 'server-signature',
      entry: at + 1,
    });
    const dropped = structuredClone(bundle);
    dropped.entry.splice(at, 1);
    expect(await verifySignoffBundle(dropped)).toMatchObject({ ok: false, reason: 'entry-removed' });
  });
});

describe("the data lead's approval of the sample's result, made on the team server", () => {
  it('is brought in with the result she signed, and verifies offline against the review', async () => {
    const { review, approval, result } = await approvedScene();
    expect(approval).toMatchObject({
      kind: 'approval',
      signer: { name: 'Ada Lind', role: 'data', id: 'DL-7' },
      signedAt: '2025-03-02T17:00:00.000Z',
      meaning: SIGNING_MEANINGS.approval,
      resultSha256: sampleResultFingerprint(result),
      result: { reviewId: review.id, decisions: 3 },
      reauthentication: { server: { project: PROJECT, projectSeq: 13 } },
    });
    expect('decisionsSha256' in approval).toBe(false);
    expect(await verifyServerReviewSignature(review, approval)).toEqual({
      ok: true,
      signatureId: approval.id,
      covered: 3,
      of: 3,
    });
    // a decision after she approved does not break it: it is over the first three
    const later = withFourthDecision(review, 'reject');
    expect(await verifyServerReviewSignature(later, approval)).toMatchObject({ ok: true, covered: 3, of: 4 });
  });

  it('is found over the decisions the server held when she signed, and refused over any other', async () => {
    const { plan, review, view } = await approvedScene();
    // brought in after a fourth decision came in: it is still over the first three
    const fourth: Review = { ...withFourthDecision(review, 'reject'), serverSignatures: [] };
    expect(serverReviewSignatureOf(view, PROJECT, review.id, { review: fourth, plan })).toMatchObject({
      result: { decisions: 3 },
    });
    // a review whose decisions differ from the server's holds no result with her fingerprint
    const changed: Review = {
      ...review,
      serverSignatures: [],
      decisions: review.decisions.map((d) => (d.id === 'd2' ? { ...d, outcome: 'accept', findings: [] } : d)),
    };
    expect(() => serverReviewSignatureOf(view, PROJECT, review.id, { review: changed, plan })).toThrow(
      /approval of Ada Lind .* read the team server’s record of the review again/,
    );
    expect(() => serverReviewSignatureOf(view, PROJECT, review.id)).toThrow(/read the team server’s record/);
  });

  it('is refused by the reducer, and fails offline naming her, when tampered with', async () => {
    const scene = await approvedScene();
    const { plan, review, approval, result } = scene;
    const before: Review = { ...review, serverSignatures: review.serverSignatures?.slice(0, 1) ?? [] };
    const { edited, swapped, another } = tamperedApprovals(scene);
    // the result of another review, re-fingerprinted
    const elsewhere = { ...result, reviewId: 'another-review' };
    const foreign = { ...approval, result: elsewhere, resultSha256: sampleResultFingerprint(elsewhere) };
    const cases = [
      [edited, /the result was edited/],
      [swapped, /role \(reviewer\) cannot approve .* the signer was changed/],
      [foreign, /not this review’s as it holds its decisions/],
    ] as const;
    for (const [tampered, why] of cases) {
      expect(() => addServerSignature(before, tampered)).toThrow(why);
      const checked = await verifyServerReviewSignature(review, tampered);
      expect(checked).toMatchObject({ ok: false, signatureId: approval.id });
      if (checked.ok) continue;
      expect(checked.message).toMatch(why);
      expect(checked.message).toContain('server entry 13');
    }
    // a result over this review's decisions that the core does not give (another verdict),
    // re-fingerprinted: the reducer, which holds the plan, refuses it
    const misstated = { ...result, pass: !result.pass };
    const notCore = { ...approval, result: misstated, resultSha256: sampleResultFingerprint(misstated) };
    expect(() => addServerSignature(before, notCore, plan)).toThrow(
      /Ada Lind .* not the one this review’s decisions give under its plan/,
    );
    expect(addServerSignature(before, approval, plan).serverSignatures).toHaveLength(2);
    // another result's fingerprint is a result of this review: only her key's assertion tells
    expect(addServerSignature(before, another).serverSignatures).toHaveLength(2);
    expect(await verifyServerReviewSignature(review, another)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Ada Lind.*WebAuthn assertion does not verify/),
    });
    // and a review whose decision changed after she approved no longer holds her result
    const changed: Review = {
      ...review,
      decisions: review.decisions.map((d) => (d.id === 'd2' ? { ...d, outcome: 'accept', findings: [] } : d)),
    };
    expect(await verifyServerReviewSignature(changed, approval)).toMatchObject({
      ok: false,
      message: expect.stringContaining('a decision was changed or removed'),
    });
  });

  it('is printed in the sign-off report with its manifestation and the result she signed', async () => {
    const html = await reportOf(await approvedScene());
    const block = html.slice(html.indexOf('data-kind="approval"'));
    for (const text of [
      'I approve the result of this sample',
      'Ada Lind',
      'data',
      '2025-03-02T17:00:00.000Z',
      'The sample’s result over all 3 decisions of this review',
      'entry 13 of team project team-1',
      'Verified',
      'Result fingerprint',
    ])
      expect(block).toContain(escapeHtml(text));
  });

  it('is carried in the FHIR Bundle, which verifies, and names the entry of a tampered one', async () => {
    const scene = await approvedScene();
    const { plan, review, entries, approval } = scene;
    const bundle = signoffBundle({ plan, review, now: NOW, entries });
    const verified = await verifySignoffBundle(bundle);
    expect(verified).toMatchObject({
      ok: true,
      serverSignatures: [{ kind: 'review' }, { kind: 'approval', signer: { name: 'Ada Lind' } }],
    });
    // over all the Bundle's decisions: its results hash is checked here, no warning defers it
    if (verified.ok) expect(verified.warnings.join(' ')).not.toContain('approval');
    const at = bundle.entry.findIndex((e) =>
      String((e.resource.activity as { text?: string })?.text).endsWith(SIGNING_MEANINGS.approval),
    );
    expect(at).toBeGreaterThan(0);
    // its Provenance names the decisions whose result she signed
    expect(bundle.entry[at]?.resource.target).toHaveLength(3);
    const tamper = (signature: typeof approval) => ({
      ...review,
      serverSignatures: [...(review.serverSignatures ?? []).slice(0, 1), signature],
    });
    const { edited, swapped, another } = tamperedApprovals(scene);
    for (const [tampered, reason, why] of [
      [edited, 'server-signature', /the result was edited/],
      [swapped, 'server-signature', /the signer was changed/],
      [another, 'webauthn', /WebAuthn assertion does not verify/],
    ] as const) {
      const checked = await verifySignoffBundle(
        signoffBundle({ plan, review: tamper(tampered), now: NOW, entries }),
      );
      expect(checked).toMatchObject({ ok: false, reason, entry: at + 1 });
      if (!checked.ok) expect(checked.message).toMatch(why);
    }
  });
});

describe("a sign-off export against the team server's record of it", () => {
  async function exported() {
    const { review, entries } = await serverSignedScene();
    const record = exportRecord(review, entries);
    const file = { entries, reviews: [review], serverRecords: [record] };
    const server = serverKnows([
      { hash: record.hash, projectSeq: 14 },
      { hash: String(9).padStart(64, 'e'), projectSeq: 9 },
      { hash: String(12).padStart(64, 'e'), projectSeq: 12 },
    ]);
    return { review, entries, record, file, server };
  }
  const against = (
    file: Parameters<typeof signoffAnchorQuestions>[0],
    server: ReturnType<typeof serverKnows>,
  ) => {
    const questions = signoffAnchorQuestions(file);
    return checkSignoffAgainstServer(questions, server(questions.map((q) => q.hash)));
  };

  it('passes as exported, offline and against the server', async () => {
    const { file, server } = await exported();
    expect(signoffAnchorQuestions(file).map((q) => q.projectSeq)).toEqual([14, 12, 9]);
    expect(checkSignoffExportRecords(file)).toBeUndefined();
    expect(against(file, server)).toBeUndefined();
  });

  it('names the entry a cut tail was cut after, and a re-recorded record the server does not hold', async () => {
    const { review, entries, file, server } = await exported();
    // the lead's signature and its chain entry cut off, the review re-sealed without it
    const cut = { ...review, signatures: [] };
    const shorter = entries.slice(0, -1);
    expect(checkSignoffExportRecords({ ...file, entries: shorter, reviews: [cut] })).toEqual({
      entry: shorter.length,
      message: expect.stringContaining(`ends at entry ${shorter.length}`),
    });
    // and the record made again to match (its hash recomputed): only the server can tell
    const forged = exportRecord(cut, shorter);
    const refiled = { entries: shorter, reviews: [cut], serverRecords: [forged] };
    expect(checkSignoffExportRecords(refiled)).toBeUndefined();
    expect(against(refiled, server)?.message).toMatch(
      /record of this export \(its entry 14\) is not the team server's entry 14/,
    );
  });

  it('names the signature a rewrite without signatures dropped, and an edited record', async () => {
    const { review, file } = await exported();
    const unsigned = { ...review, signatures: [], serverSignatures: [] };
    expect(checkSignoffExportRecords({ ...file, reviews: [unsigned] })?.message).toMatch(
      /signature sig1, which the team server's record of this export \(its entry 14\) holds, is not in the file/,
    );
    const [record] = file.serverRecords;
    if (!record) throw new Error('no record');
    const edited = {
      ...record,
      detail: { ...record.detail, chainLength: String(Number(record.detail.chainLength) - 1) },
    };
    expect(checkSignoffExportRecords({ ...file, serverRecords: [edited] })?.message).toMatch(
      /record of this export \(its entry 14\) was edited/,
    );
  });

  it("names a signature whose server entry is not the server's", async () => {
    const { file } = await exported();
    const server = serverKnows([{ hash: file.serverRecords[0]?.hash ?? '', projectSeq: 14 }]);
    expect(against(file, server)?.message).toMatch(
      /signature sig1 of Sam Okafor is not the team server's entry 12/,
    );
  });
});
