/**
 * The sign-off FHIR transaction Bundle (src/core/signoff/exports/signoffBundle.ts) checked by Preflight's own
 * FHIR validator (src/core/fhir/). Here, not beside the core file: the layering lint keeps
 * src/core/signoff from importing a path under a fhir folder.
 */
import { describe, expect, it } from 'vitest';
import { createFhirSession, generatedModules } from '../../src/core/fhir/index.ts';
import {
  APPROVE_TASK_CODE,
  clientId,
  signoffBundle,
  VERIFICATION_SIGNATURE,
  VERIFIER_AGENT,
} from '../../src/core/signoff/exports/index.ts';
import {
  lockedReview,
  REVIEWED_MEANING,
  rosteredExport,
  signedAgain,
  signedExport,
  signedThenDecided,
  softAuthenticator,
} from '../../src/core/signoff/signing/index.ts';
import { fixtureDecision, fixtureMapping } from '../../src/formats/testing/fixtures.ts';

async function validate(bundle: unknown) {
  const session = await createFhirSession(generatedModules);
  return (await session.validate(bundle)).issues;
}

const NOW = '2025-03-02T18:00:00+01:00';

describe('signoffBundle', () => {
  it('makes a transaction Bundle the FHIR validator accepts with zero errors', async () => {
    const { plan, review } = await signedExport(await softAuthenticator());
    const bundle = signoffBundle({ plan, review, now: NOW });
    const issues = await validate(bundle);
    expect(issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
    expect(issues.map((i) => `${i.severity} ${i.rule} @ ${i.location}`)).toEqual([]);
  });

  it('a signed Bundle with its evidence (sign-off Provenance, Binary) still has zero validator issues', async () => {
    const { file, review, signature } = await rosteredExport();
    const plan = file.plans?.[0];
    if (!plan) throw new Error('the fixture has no plan');
    const bundle = signoffBundle({ plan, review, now: NOW, entries: file.entries, roster: file.roster });
    const issues = await validate(bundle);
    expect(issues.map((i) => `${i.severity} ${i.rule} @ ${i.location}`)).toEqual([]);
    const types = bundle.entry.map((e) => e.resource.resourceType);
    expect(types.slice(-2)).toEqual(['Provenance', 'Binary']);
    const signoff = bundle.entry[bundle.entry.length - 2]?.resource;
    const task = bundle.entry.find((e) => e.resource.resourceType === 'Task');
    expect(signoff).toMatchObject({
      target: [{ reference: task?.fullUrl }],
      signature: [
        { type: [VERIFICATION_SIGNATURE], when: signature.signedAt, sigFormat: 'application/json' },
      ],
    });
    const data = (signoff?.signature as { data: string }[] | undefined)?.[0]?.data ?? '';
    expect(JSON.parse(Buffer.from(data, 'base64').toString('utf8'))).toEqual(signature);
    // the evidence holds ids, hashes, outcomes and counts: no record key, no comment
    const binary = bundle.entry[bundle.entry.length - 1]?.resource as unknown as { data: string };
    const evidence = Buffer.from(binary.data, 'base64').toString('utf8');
    expect(evidence).toContain(signature.chainHead);
    for (const d of review.decisions) expect(evidence).not.toContain(d.recordKey);
  });

  it('carries no evidence without the chain, nor when the signature no longer covers the results', async () => {
    const { plan, review } = await signedExport();
    expect(
      signoffBundle({ plan, review, now: NOW }).entry.some((e) => e.resource.resourceType === 'Binary'),
    ).toBe(false);
    const later = await signedThenDecided([fixtureDecision('d4', 'MRN-4', 'accept')]);
    const bundle = signoffBundle({
      plan: later.plan,
      review: later.review,
      now: NOW,
      entries: later.file.entries,
    });
    expect(bundle.entry.some((e) => e.resource.resourceType === 'Binary')).toBe(false);
  });

  it('one Provenance per decision, a Task (approve), a VerificationResult per stratum, every entry a PUT', async () => {
    const { plan, review, signature } = await signedExport();
    const bundle = signoffBundle({ plan, review, now: NOW });
    const types = bundle.entry.map((e) => e.resource.resourceType);
    expect(types.filter((t) => t === 'Provenance')).toHaveLength(review.decisions.length);
    expect(types.filter((t) => t === 'Task')).toHaveLength(1);
    expect(types.filter((t) => t === 'VerificationResult')).toHaveLength(review.sample.strata.length);
    for (const e of bundle.entry) {
      expect(e.request).toEqual({ method: 'PUT', url: `${e.resource.resourceType}/${e.resource.id}` });
      expect(e.resource.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    }
    const provenance = bundle.entry.find((e) => e.resource.resourceType === 'Provenance')?.resource;
    expect(provenance).toMatchObject({
      agent: [{ type: { coding: [VERIFIER_AGENT] } }],
      signature: [{ type: [VERIFICATION_SIGNATURE] }],
      target: [{ identifier: { value: 'MRN-1' } }],
    });
    const task = bundle.entry.find((e) => e.resource.resourceType === 'Task')?.resource;
    expect(task).toMatchObject({
      code: { coding: [APPROVE_TASK_CODE] },
      note: [{ text: signature.meaning }],
    });
  });

  it('is the same Bundle on every export (client ids from the plan hash): a retry updates, never duplicates', async () => {
    const { plan, review } = await signedExport();
    const once = signoffBundle({ plan, review, now: NOW });
    const again = signoffBundle({ plan, review, now: '2030-01-01T00:00:00Z' });
    expect(again.entry.map((e) => e.request.url)).toEqual(once.entry.map((e) => e.request.url));
    expect(once.entry.find((e) => e.resource.resourceType === 'Task')?.resource.id).toBe(
      clientId(review.plan.hash, 'Task', review.id),
    );
    expect(new Set(once.entry.map((e) => e.fullUrl)).size).toBe(once.entry.length);
  });

  it('targets the reviewed record with a versioned reference where known, typed by the mapping', async () => {
    const { plan, review } = await signedExport();
    const mapping = fixtureMapping('m1');
    const bundle = signoffBundle({
      plan,
      review,
      now: NOW,
      mapping,
      targetFor: (d) => (d.recordKey === 'MRN-2' ? { reference: 'Patient/p2/_history/3' } : undefined),
    });
    const targets = bundle.entry
      .filter((e) => e.resource.resourceType === 'Provenance')
      .map((e) => (e.resource.target as unknown[])[0]);
    expect(targets).toContainEqual({ reference: 'Patient/p2/_history/3' });
    const issues = await validate(bundle);
    expect(issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
  });

  it('an unsigned review gives a Task that is ready, not completed; a failing stratum val-fail', async () => {
    const { plan, review } = lockedReview([fixtureDecision('d1', 'MRN-1', 'reject')]);
    const bundle = signoffBundle({ plan, review, now: NOW });
    expect(bundle.entry.find((e) => e.resource.resourceType === 'Task')?.resource.status).toBe('ready');
    expect(
      bundle.entry
        .filter((e) => e.resource.resourceType === 'VerificationResult')
        .map((e) => e.resource.status),
    ).toContain('val-fail');
    const issues = await validate(bundle);
    expect(issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
  });

  it.each([
    { description: 'the signature covers the results', after: 0, status: 'failed', attested: true },
    {
      description: 'a decision was recorded after the signature',
      after: 1,
      status: 'ready',
      attested: false,
    },
  ])('a signature attests only the results it binds: $description', async ({ after, status, attested }) => {
    const { plan, review, signature } = await signedThenDecided(
      Array.from({ length: after }, (_, i) => fixtureDecision(`late${i}`, 'MRN-3', 'accept')),
    );
    const bundle = signoffBundle({ plan, review, now: NOW });
    const task = bundle.entry.find((e) => e.resource.resourceType === 'Task')?.resource;
    // the fixture's review fails a stratum: signed over it, the Task failed; over later decisions, to sign again
    expect(task?.status).toBe(status);
    expect('owner' in (task ?? {})).toBe(attested);
    const note = ((task?.note ?? []) as { text: string }[])[0]?.text ?? '';
    // a superseded signature's note says so first: it must not read as the approval it quotes
    expect(
      note.startsWith(attested ? signature.meaning : 'Signature of 2025-03-02 no longer covers the results:'),
    ).toBe(true);
    expect(note.includes(`“${signature.meaning}”`)).toBe(!attested);
    for (const result of bundle.entry.filter((e) => e.resource.resourceType === 'VerificationResult'))
      expect('attestation' in result.resource).toBe(attested);
    const issues = await validate(bundle);
    expect(issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
  });

  it('a Bundle carrying two current signatures (two signers, notes for each) has zero validator issues', async () => {
    const signed = await signedThenDecided([fixtureDecision('late', 'MRN-4', 'accept')]);
    const first = signedAgain(signed, '2025-03-03T10:00:00+01:00');
    const { file, plan, review } = signedAgain(first, '2025-03-03T11:00:00+01:00', {
      signer: { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' },
      meaning: REVIEWED_MEANING,
    });
    const bundle = signoffBundle({ plan, review, now: NOW, entries: file.entries });
    const signoff = bundle.entry[bundle.entry.length - 2]?.resource;
    expect(signoff?.signature).toHaveLength(2);
    expect(signoff?.agent).toHaveLength(2);
    const task = bundle.entry.find((e) => e.resource.resourceType === 'Task')?.resource;
    // the recorded signature, the co-signature, the superseded first one
    expect(task?.note).toHaveLength(3);
    const issues = await validate(bundle);
    expect(issues.map((i) => `${i.severity} ${i.rule} @ ${i.location}`)).toEqual([]);
  });

  it('holds no comment or field value, only the record key', async () => {
    const { plan, review } = lockedReview([
      { ...fixtureDecision('d1', 'MRN-1', 'reject'), comment: 'DOB 1931-02-03 wrong' },
    ]);
    const text = JSON.stringify(signoffBundle({ plan, review, now: NOW }));
    expect(text).not.toContain('1931');
  });
});
