/**
 * A review sent to a team project, kept in step with the server's record (serverRecord.ts): what
 * is new there is found in the server's order and replayed by the `review/server-record` change
 * (no roster check: the server judged who decides), a decision held here with other content is
 * refused; and the review so kept exports a sign-off file and a FHIR Bundle that verify — the file
 * against the server (`signoff verify --server`, through its core function), the Bundle from what
 * it carries — with the reviewer's signature made on the server and the lead's.
 */
import { describe, expect, it } from 'vitest';
import { createAuditLogFile } from '../../../formats/auditLog.ts';
import type { Project } from '../../../formats/project.ts';
import type { Decision, Review } from '../../../formats/review.ts';
import { fixtureDecision, fixtureProject } from '../../../formats/testing/fixtures.ts';
import { createFhirSession, generatedModules } from '../../fhir/index.ts';
import { applyChange } from '../../project/changes.ts';
import { verifySignoffBundle } from '../exports/bundleVerify.ts';
import { serverEntryDisplay, signoffBundle } from '../exports/signoffBundle.ts';
import { verifySignoffJson } from '../exports/signoffFile.ts';
import { checkServerDecisionEntries } from '../exports/signoffTree.ts';
import { pendingAuditEntries, pendingTrailEntries, signatureEntryFor, trailSubjects } from './auditChain.ts';
import { reviewedDecisionsHash, SIGNING_MEANINGS } from './serverChain.ts';
import {
  ServerRecordError,
  type ServerRecordOfReview,
  serverRecordNews,
  withServerRecord,
} from './serverRecord.ts';
import { signatureSignedOnServer } from './serverSignatures.ts';
import { addSignature, chainHeadOf, prepareSignature } from './signature.ts';
import { decisionEntry, exportRecord, PROJECT, serverKnows, signedOnServer } from './testing/serverSigned.ts';
import { lockedReview, softAuthenticator } from './testing/signedExport.ts';

const NOW = '2025-03-02T17:00:00.000Z';

/** The server's record of three decisions by RN-204 and her signature over them (entry 9). */
async function scene() {
  const { plan, review } = lockedReview([
    fixtureDecision('d1', 'MRN-1', 'accept'),
    fixtureDecision('d2', 'MRN-2', 'reject'),
    fixtureDecision('d3', 'MRN-3', 'accept'),
  ]);
  const hers = await signedOnServer(
    await softAuthenticator(),
    reviewedDecisionsHash(review.id, review.decisions),
    {
      projectSeq: 9,
      kind: 'review',
      role: 'reviewer',
      meaning: SIGNING_MEANINGS.review,
      review: review.id,
      member: 'RN-204',
    },
  );
  const record: ServerRecordOfReview = {
    project: PROJECT,
    // answered out of order: the server's order is its sequence number
    decisions: review.decisions.map((decision, i) => ({ seq: i + 1, decision })).reverse(),
    signatures: [hers],
  };
  const here = (decisions: Decision[]): Review => ({ ...review, decisions });
  return { plan, review, record, here };
}

describe('what the review lacks of the server’s record', () => {
  it.each([
    {
      description: 'nothing held: every decision in the server’s order, then her signature',
      held: 0,
      decisions: ['d1', 'd2', 'd3'],
      signatures: 1,
    },
    { description: 'the first held: the rest', held: 1, decisions: ['d2', 'd3'], signatures: 1 },
    {
      description: 'everything held: nothing but the signature not kept yet',
      held: 3,
      decisions: [],
      signatures: 1,
    },
  ])('$description', async ({ held, decisions, signatures }) => {
    const { plan, review, record, here } = await scene();
    const news = serverRecordNews(here(review.decisions.slice(0, held)), plan, record);
    expect(news.decisions.map((d) => d.id)).toEqual(decisions);
    expect(news.signatures).toHaveLength(signatures);
  });

  it('refuses a review here whose decision differs from the server’s under the same id', async () => {
    const { plan, record, here } = await scene();
    const other = { ...fixtureDecision('d2', 'MRN-2', 'reject'), comment: 'changed here' };
    expect(() => serverRecordNews(here([other]), plan, record)).toThrow(ServerRecordError);
    expect(() => serverRecordNews(here([other]), plan, record)).toThrow(/decision 2 of the team server/);
  });
});

describe('each decision kept with its server entry', () => {
  it('brings in the entry of every decision, held before or new, in the server’s order, and refuses one that does not record its decision', async () => {
    const { plan, review, record, here } = await scene();
    const entries = review.decisions.map((d, i) => decisionEntry(review.id, d, i + 1, i + 2));
    const withEntries = {
      ...record,
      decisions: record.decisions.map((d) => ({ ...d, entry: entries[d.seq - 1] })),
    };
    // d1 was replayed before the review kept entries: its entry comes with the new ones
    const before = here(review.decisions.slice(0, 1));
    const news = serverRecordNews(before, plan, withEntries);
    expect(news.decisions.map((d) => d.id)).toEqual(['d2', 'd3']);
    expect(news.entries?.map((e) => e.detail.decision)).toEqual(['d1', 'd2', 'd3']);
    const kept = withServerRecord(before, news, plan);
    expect(kept.serverDecisionEntries).toEqual(entries);
    expect(checkServerDecisionEntries({ reviews: [kept] })).toBeUndefined();
    expect(serverRecordNews(kept, plan, withEntries).entries, 'nothing new once kept').toBeUndefined();
    // an older server answers without entries: nothing kept, nothing refused
    expect(serverRecordNews(before, plan, record).entries).toBeUndefined();

    const swapped = { ...news, entries: [entries[1], entries[0], entries[2]] as typeof entries };
    const d2AsD1 = {
      ...(entries[1] as (typeof entries)[number]),
      detail: { ...entries[1]?.detail, decision: 'd1' },
    };
    expect(() => withServerRecord(before, { ...news, entries: [d2AsD1] }, plan)).toThrow(
      /the team server's entry 3 was changed/,
    );
    // in the review they are put in the server's order; the file check names an order changed after
    expect(withServerRecord(before, swapped, plan).serverDecisionEntries).toEqual(entries);
    expect(
      checkServerDecisionEntries({ reviews: [{ ...kept, serverDecisionEntries: swapped.entries }] }),
    ).toMatch(/the team server's entry of decision 1 of review rv1 is not in the file/);
    expect(
      checkServerDecisionEntries({
        reviews: [
          {
            ...kept,
            decisions: [...kept.decisions, { ...fixtureDecision('d4', 'MRN-4'), planHash: review.plan.hash }],
          },
        ],
      }),
    ).toMatch(/decision d4 of review rv1 has no entry of the team server's/);
  });
});

describe('the review/server-record change', () => {
  it('refuses a decision the review’s rules refuse, naming it, and changes nothing', async () => {
    const { plan, review, here } = await scene();
    const project: Project = { ...fixtureProject(), samplePlans: [plan], reviews: [here([])] };
    const outside = { ...fixtureDecision('d9', 'MRN-9', 'accept'), planHash: review.plan.hash };
    expect(() =>
      applyChange(
        project,
        { type: 'review/server-record', reviewId: review.id, decisions: [outside], signatures: [] },
        NOW,
      ),
    ).toThrow(/decision 1 of the 1 new on the team server is refused here: .*not in the drawn sample/);
  });
});

describe('a review kept in step with the server, exported', () => {
  it('replays in one change past a roster that does not name the team, and its exports verify', async () => {
    const { plan, review, record: bare, here } = await scene();
    // each decision with the server's entry recording it (entries 2, 3, 4)
    const decisionEntries = review.decisions.map((d, i) => decisionEntry(review.id, d, i + 1, i + 2));
    const record = {
      ...bare,
      decisions: bare.decisions.map((d) => ({ ...d, entry: decisionEntries[d.seq - 1] })),
    };
    const base = fixtureProject();
    const project: Project = {
      ...base,
      meta: {
        ...base.meta,
        roster: {
          changes: [
            {
              id: 'c1',
              kind: 'member',
              at: '2025-03-01T09:00:00Z',
              by: 'CL-7',
              member: { staffId: 'CL-7', name: 'Sam Okafor', title: 'Lead', roles: ['lead'] },
            },
          ],
        },
      },
      samplePlans: [plan],
      reviews: [here([])],
    };
    const news = serverRecordNews(here([]), plan, record);
    const kept = applyChange(
      project,
      {
        type: 'review/server-record',
        reviewId: review.id,
        decisions: news.decisions,
        ...(news.entries ? { entries: news.entries } : {}),
        signatures: news.signatures.map((s) => ({ ...s, keptAt: NOW, keptBy: 'CL-7' })),
      },
      NOW,
    );
    const replayed = kept.reviews?.[0] as Review;
    expect(replayed.decisions.map((d) => d.id)).toEqual(['d1', 'd2', 'd3']);
    expect(replayed.serverDecisionEntries).toEqual(decisionEntries);
    // the chain as storage writes it: each decision, then the signature kept
    const decided = pendingAuditEntries(undefined, [replayed], new Set());
    const entries = [
      ...decided,
      ...pendingTrailEntries(
        decided.at(-1),
        trailSubjects({ reviews: [replayed] }).filter((s) => s.event === 'server-signature'),
        new Set(),
      ),
    ];
    // the lead signs on the server over the review as kept
    const prepared = prepareSignature({
      id: 'sig1',
      review: replayed,
      signer: { name: 'Sam Okafor', role: 'Lead', id: 'CL-7' },
      signedAt: '2025-03-02T17:30:00+01:00',
      meaning: SIGNING_MEANINGS.confirmation,
      chain: chainHeadOf(entries),
    });
    const leads = await signedOnServer(await softAuthenticator(), prepared.signoffSha256, {
      projectSeq: 12,
      kind: 'confirmation',
      role: 'lead',
      meaning: SIGNING_MEANINGS.confirmation,
      signer: { issuer: 'https://idp.example', subject: 'sub-lead', name: 'Sam Okafor' },
    });
    const signature = signatureSignedOnServer(prepared, leads, PROJECT);
    const signed = addSignature(replayed, signature);
    const chain = [...entries, signatureEntryFor(entries.at(-1), signed.id, signature)];
    const exported = exportRecord(signed, chain);
    const file = createAuditLogFile({
      projectId: project.meta.id,
      exportedAt: '2025-03-02T18:00:00Z',
      entries: chain,
      reviews: [signed],
      plans: [plan],
      serverRecords: [exported],
    }) as unknown as Record<string, unknown>;
    const known = serverKnows([
      { hash: exported.hash, projectSeq: 14 },
      { hash: String(9).padStart(64, 'e'), projectSeq: 9 },
      { hash: String(12).padStart(64, 'e'), projectSeq: 12 },
      ...decisionEntries.map((e) => ({ hash: e.hash, projectSeq: e.projectSeq as number })),
    ]);
    const verified = await verifySignoffJson('signoff.json', file, { server: async (h) => known(h) });
    expect(verified).toMatchObject({
      status: 'verified',
      signatures: [{ id: 'sig1', server: { projectSeq: 12 } }],
      serverSignatures: [
        { signer: { name: 'Dana Reyes', id: 'RN-204' }, covered: 3, of: 3, server: { projectSeq: 9 } },
      ],
    });
    // the server is asked about each decision's entry too: one it does not hold is named
    const forgotten = serverKnows([
      { hash: exported.hash, projectSeq: 14 },
      { hash: String(9).padStart(64, 'e'), projectSeq: 9 },
      { hash: String(12).padStart(64, 'e'), projectSeq: 12 },
    ]);
    expect(
      await verifySignoffJson('signoff.json', file, { server: async (h) => forgotten(h) }),
    ).toMatchObject({
      status: 'tampered',
      reason: 'server-anchor',
      message: expect.stringContaining('decision d1'),
    });
    const bundle = signoffBundle({ plan, review: signed, now: NOW, entries: chain });
    expect(await verifySignoffBundle(bundle)).toMatchObject({
      ok: true,
      serverSignatures: [{ signer: { name: 'Dana Reyes' } }],
    });
    // each decision's Provenance names the server's entry that recorded it, and stays valid FHIR R4
    const first = bundle.entry.find((e) =>
      JSON.stringify(e.resource.entity ?? []).includes(decisionEntries[0]?.hash as string),
    );
    expect(first?.resource.entity).toContainEqual({
      role: 'source',
      what: {
        identifier: { system: 'urn:ietf:rfc:3986', value: `urn:sha256:${decisionEntries[0]?.hash}` },
        display: serverEntryDisplay(PROJECT, 2),
      },
    });
    const session = await createFhirSession(generatedModules);
    expect((await session.validate(bundle)).issues.filter((i) => i.severity === 'error')).toEqual([]);
  });
});
