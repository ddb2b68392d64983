/**
 * Which signatures speak for a review now, and the FHIR Bundle carrying every current one: each
 * verifies, the Task rests on the approval, superseded ones are said in the Task's notes.
 */
import { describe, expect, it } from 'vitest';
import { createAuditLogFile } from '../../../formats/auditLog.ts';
import type { Review } from '../../../formats/review.ts';
import { fixtureDecision } from '../../../formats/testing/fixtures.ts';
import { verifySignoffBundle } from '../exports/bundleVerify.ts';
import { signoffBundle } from '../exports/signoffBundle.ts';
import { pendingAuditEntries } from './auditChain.ts';
import { currentSignatures, signatureStandings } from './currentSignatures.ts';
import { GO_LIVE_MEANING, REVIEWED_MEANING } from './signature.ts';
import { APPROVAL_MEANING, signingStanding } from './signingMeaning.ts';
import { lockedReview, signedAgain, signedExport, signedThenDecided } from './testing/signedExport.ts';

const NOW = '2025-03-04T09:00:00+01:00';
const APPROVER = { name: 'Sam Okafor', role: 'Clinical lead', id: 'CL-7' };
const REVIEWER = { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' };

/** A review every record of which is accepted (it approves go-live), logged, not yet signed. */
function passingUnsigned() {
  const { plan, review } = lockedReview(
    ['MRN-1', 'MRN-2', 'MRN-3'].map((key, i) => fixtureDecision(`d${i + 1}`, key, 'accept')),
  );
  const file = createAuditLogFile({
    projectId: 'proj1',
    exportedAt: '2025-03-02T18:00:00Z',
    entries: pendingAuditEntries(undefined, [review], new Set()),
    reviews: [review],
    plans: [plan],
  });
  return { file, plan, review };
}

/** The scenarios: what was signed, in order, and what stands now. */
const scenarios = {
  'one signature over the results': async () => signedExport(),
  'signed, then a decision logged after it': async () =>
    signedThenDecided([fixtureDecision('late', 'MRN-4', 'accept')]),
  'signed again by the same signer over the same results': async () =>
    signedAgain(await signedExport(), '2025-03-03T17:30:00+01:00'),
  'approved, then a reviewer signs the same results': async () =>
    signedAgain(
      signedAgain(passingUnsigned(), '2025-03-03T10:00:00+01:00', {
        signer: APPROVER,
        meaning: GO_LIVE_MEANING,
      }),
      '2025-03-03T11:00:00+01:00',
      { signer: REVIEWER, meaning: REVIEWED_MEANING },
    ),
  'signed, decided, then signed by another signer': async () =>
    signedAgain(await signedThenDecided([fixtureDecision('late', 'MRN-4', 'accept')]), undefined, {
      signer: REVIEWER,
      meaning: REVIEWED_MEANING,
    }),
} as const;

const ids = (review: Review) =>
  signatureStandings(review).map((s) =>
    s.current
      ? `${s.signature.id} current`
      : `${s.signature.id} ${s.replacedBy ? `replaced by ${s.replacedBy.id}` : 'outdated'}`,
  );

describe('signatureStandings', () => {
  it.each<{ scenario: keyof typeof scenarios; standings: string[]; recorded: string | undefined }>([
    { scenario: 'one signature over the results', standings: ['sig1 current'], recorded: 'sig1' },
    {
      scenario: 'signed, then a decision logged after it',
      standings: ['sig1 outdated'],
      recorded: undefined,
    },
    {
      scenario: 'signed again by the same signer over the same results',
      standings: ['sig1 replaced by sig2', 'sig2 current'],
      recorded: 'sig2',
    },
    {
      scenario: 'approved, then a reviewer signs the same results',
      standings: ['sig1 current', 'sig2 current'],
      // the later "reviewed" signature does not undo the approval
      recorded: 'sig1',
    },
    {
      scenario: 'signed, decided, then signed by another signer',
      standings: ['sig1 outdated', 'sig2 current'],
      recorded: 'sig2',
    },
  ])('$scenario', async ({ scenario, standings, recorded }) => {
    const { plan, review } = await scenarios[scenario]();
    expect(ids(review)).toEqual(standings);
    expect(currentSignatures(review, plan).recorded?.id).toBe(recorded);
  });
});

describe('the sign-off Bundle with several signatures', () => {
  it.each<{
    scenario: keyof typeof scenarios;
    carried: string[];
    task: string;
    notes: RegExp[];
  }>([
    {
      scenario: 'approved, then a reviewer signs the same results',
      // every current signature, the one the Task rests on last
      carried: ['sig2', 'sig1'],
      task: 'completed',
      notes: [
        new RegExp(`^${GO_LIVE_MEANING.slice(0, 20)}`),
        /^Also signed by Dana Reyes \(Registered nurse\) on 2025-03-03 over the same results: “/,
      ],
    },
    {
      scenario: 'signed again by the same signer over the same results',
      carried: ['sig2'],
      task: 'failed',
      notes: [
        new RegExp(`^${APPROVAL_MEANING.slice(0, 20)}`),
        /^Signature of 2025-03-02 was replaced by the same signer's signature of 2025-03-03\. It read: “/,
      ],
    },
    {
      scenario: 'signed, decided, then signed by another signer',
      carried: ['sig2'],
      task: 'failed',
      notes: [
        new RegExp(`^${REVIEWED_MEANING.slice(0, 20)}`),
        /^Signature of 2025-03-02 no longer covers the results: review decisions were logged after it\. It read: “.*” The current signatures of this sign-off are those on the results as they are now\.$/,
      ],
    },
  ])('$scenario', async ({ scenario, carried, task, notes }) => {
    const { file, plan, review } = await scenarios[scenario]();
    const bundle = signoffBundle({ plan, review, now: NOW, entries: file.entries });
    const signoff = bundle.entry[bundle.entry.length - 2]?.resource as unknown as {
      signature: { data: string }[];
    };
    const signed = signoff.signature.map(
      (s) => (JSON.parse(Buffer.from(s.data, 'base64').toString('utf8')) as { id: string }).id,
    );
    expect(signed).toEqual(carried);
    const taskResource = bundle.entry.find((e) => e.resource.resourceType === 'Task')
      ?.resource as unknown as {
      status: string;
      note: { text: string }[];
    };
    expect(taskResource.status).toBe(task);
    expect(taskResource.note).toHaveLength(notes.length);
    for (const [i, n] of taskResource.note.entries()) expect(n.text).toMatch(notes[i] as RegExp);
    const verdict = await verifySignoffBundle(bundle);
    expect(verdict.ok && verdict.signatures.map((s) => s.signature.id)).toEqual(carried);
  });

  it('the passing fixture stands as a go-live approval (so the Task can complete)', () => {
    const { plan, review } = passingUnsigned();
    expect(signingStanding(review, plan).approval).toBe(true);
  });

  it.each<{
    name: string;
    scenario: keyof typeof scenarios;
    edit: (signatures: unknown[], replaced: unknown) => unknown[];
    reason: string;
  }>([
    {
      name: 'a co-signature removed',
      scenario: 'approved, then a reviewer signs the same results',
      edit: (signatures) => signatures.slice(1),
      reason: 'signature-missing',
    },
    {
      name: 'a replaced signature carried as current',
      scenario: 'signed again by the same signer over the same results',
      edit: (signatures, replaced) => [replaced, ...signatures],
      reason: 'signature-superseded',
    },
    {
      name: 'a signature carried twice',
      scenario: 'one signature over the results',
      edit: (signatures) => [...signatures, ...signatures],
      reason: 'signature-duplicate',
    },
  ])('refuses a sign-off Provenance with $name, naming it', async ({ scenario, edit, reason }) => {
    const { file, plan, review } = await scenarios[scenario]();
    const bundle = signoffBundle({ plan, review, now: NOW, entries: file.entries });
    const at = bundle.entry.length - 2;
    const signoff = bundle.entry[at]?.resource as unknown as { signature: unknown[] };
    // the first signature as the Bundle would carry it on its own
    const first = review.signatures?.[0];
    const alone = signoffBundle({
      plan,
      review,
      now: NOW,
      entries: file.entries,
      ...(first ? { signature: first } : {}),
    });
    const replaced = (
      alone.entry[alone.entry.length - 2]?.resource as unknown as { signature: unknown[] } | undefined
    )?.signature[0];
    signoff.signature = edit(signoff.signature, replaced);
    expect(await verifySignoffBundle(bundle)).toMatchObject({ ok: false, reason, entry: at + 1 });
  });
});
