/**
 * A review with decisions of one reviewer's own on the server, for tests whose signer signs
 * "I reviewed these records": the lead assigns the fixture sample's three records to her (one
 * pass), sends them, and she accepts each; what she signs is {@link reviewedDecisionsHash} over her
 * decisions as the server holds them. reviewAssignments.test.ts proves the rules; this only sets
 * the scene. Test-only: imported by *.test.ts files.
 */
import { type ShownRecord, shownHash } from '../../core/signoff/review/index.ts';
import { reviewedDecisionsHash } from '../../core/signoff/signing/index.ts';
import type { Decision } from '../../formats/review.ts';
import { FIXTURE_PLAN_HASH, fixtureReview } from '../../formats/testing/fixtures.ts';

/** One request as a signed-in person, answered as status and parsed body. */
export type Ask = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: Record<string, unknown> | undefined }>;

const KEYS = ['MRN-1', 'MRN-2', 'MRN-3'];
const shownOf = (key: string, row: number): ShownRecord => ({
  planHash: FIXTURE_PLAN_HASH,
  stratum: 'patients',
  recordKey: key,
  source: { file: 'patients.csv', row, header: ['mrn', 'dob'], cells: [key, `1970-01-0${row}`] },
  mapping: { id: 'm1', version: 1 },
  target: { identifier: key, birthDate: `1970-01-0${row}` },
  alignment: [
    { target: 'identifier', columns: ['mrn'], value: key },
    { target: 'birthDate', columns: ['dob'], value: `1970-01-0${row}` },
  ],
});

/**
 * Review `reviewId` of project `project`, every record decided by `reviewer` (her membership id
 * `memberId`, her name `name`); returns the hash her review signature signs.
 */
export async function reviewedBy(
  project: string,
  reviewId: string,
  asLead: Ask,
  asReviewer: Ask,
  reviewer: { memberId: string; name: string },
): Promise<{ review: string; hash: string }> {
  const { format: _format, decisions: _decisions, ...review } = fixtureReview(reviewId);
  const path = `/api/projects/${project}/reviews`;
  const assigned = await asLead('POST', path, {
    review,
    assignments: KEYS.map((recordKey) => ({ stratum: 'patients', recordKey, first: reviewer.memberId })),
  });
  if (assigned.status !== 201) throw new Error(`assigning the review: ${JSON.stringify(assigned.body)}`);
  const shown = KEYS.map((k, i) => shownOf(k, i + 1));
  await asLead('POST', `${path}/${reviewId}/records`, { records: shown.map((s) => ({ shown: s })) });
  const decisions: Decision[] = KEYS.map((recordKey, i) => ({
    id: `${reviewId}-d${i + 1}`,
    planHash: FIXTURE_PLAN_HASH,
    stratum: 'patients',
    recordKey,
    reviewer: { name: reviewer.name, role: 'Physician', id: reviewer.memberId },
    decidedAt: '2026-03-02T09:15:00+01:00',
    outcome: 'accept',
    findings: [],
    stage: 'first',
    mapping: { id: 'm1', version: 1 },
    shownSha256: shownHash(shown[i] as ShownRecord),
  }));
  const posted = await asReviewer('POST', `${path}/${reviewId}/decisions`, { decisions });
  if (posted.status >= 300) throw new Error(`posting the decisions: ${JSON.stringify(posted.body)}`);
  const held = (await asReviewer('GET', `${path}/${reviewId}/decisions`)).body?.decisions as {
    decision: Decision;
  }[];
  const mine = held.map((d) => d.decision).filter((d) => d.reviewer.id === reviewer.memberId);
  return { review: reviewId, hash: reviewedDecisionsHash(reviewId, mine) };
}
