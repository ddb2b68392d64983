/**
 * Test fixtures: a roster kept by a data lead (Sam Okafor, CL-7) — the lead's own key, a reviewer
 * (Dana Reyes, RN-204) whose key the lead confirmed — and a sign-off export built the way the app
 * builds one: roster changes, plan lock and draw logged, decisions logged, then a signature by the
 * lead with the bound key.
 */
import { type AuditLogFile, createAuditLogFile } from '../../../../formats/auditLog.ts';
import type { Decision, Review, Signature } from '../../../../formats/review.ts';
import type { KeyBound, Roster, RosterChange, RosterMember } from '../../../../formats/roster.ts';
import { fixtureDecision } from '../../../../formats/testing/fixtures.ts';
import { pendingAuditEntries, pendingTrailEntries, signatureEntryFor, trailSubjects } from '../auditChain.ts';
import { addRosterChange, changeHash, registrationHash } from '../roster.ts';
import { chainHeadOf, prepareSignature } from '../signature.ts';
import { APPROVAL_MEANING } from '../signingMeaning.ts';
import { challengeFor } from '../webauthn.ts';
import { lockedReview, type SoftAuthenticator, softAuthenticator } from './signedExport.ts';

export const LEAD: RosterMember = {
  staffId: 'CL-7',
  name: 'Sam Okafor',
  title: 'Clinical lead',
  roles: ['lead', 'approver'],
};
export const REVIEWER: RosterMember = {
  staffId: 'RN-204',
  name: 'Dana Reyes',
  title: 'Charge nurse',
  roles: ['reviewer'],
};

/** A key-bound change for `staffId`'s `key`, confirmed by `confirmer` (the lead's key) as `leadId`. */
export async function boundKey(
  id: string,
  staffId: string,
  key: SoftAuthenticator,
  confirmer: SoftAuthenticator,
  options: { leadId?: string; replaces?: string; at?: string } = {},
): Promise<KeyBound> {
  const leadId = options.leadId ?? LEAD.staffId;
  const body: Omit<KeyBound, 'confirmation'> = {
    id,
    at: options.at ?? '2025-03-01T09:00:00Z',
    by: leadId,
    kind: 'key-bound',
    staffId,
    credential: { id: key.credentialId, algorithm: key.algorithm, publicKeyJwk: key.publicKeyJwk },
    ...(options.replaces ? { replaces: options.replaces } : {}),
  };
  const assertion = await confirmer.assert(challengeFor(registrationHash(body)));
  return { ...body, confirmation: { leadId, assertion: { method: 'webauthn', ...assertion } } };
}

/** `change` with the lead's confirmation made with `lead` (the lead's bound key) over its hash. */
export async function confirmedBy<C extends RosterChange>(
  change: C,
  lead: SoftAuthenticator,
  leadId = LEAD.staffId,
): Promise<C> {
  const assertion = await lead.assert(challengeFor(changeHash(change)));
  return { ...change, confirmation: { leadId, assertion: { method: 'webauthn', ...assertion } } };
}

/** The lead, their own key, the reviewer and the reviewer's key (confirmed by the lead). */
export async function keptRoster(): Promise<{
  roster: Roster;
  lead: SoftAuthenticator;
  reviewer: SoftAuthenticator;
}> {
  const lead = await softAuthenticator();
  const reviewer = await softAuthenticator();
  const at = '2025-03-01T08:00:00Z';
  const changes: RosterChange[] = [
    { id: 'r1', at, by: LEAD.staffId, kind: 'member', member: LEAD },
    await boundKey('r2', LEAD.staffId, lead, lead),
    await confirmedBy({ id: 'r3', at, by: LEAD.staffId, kind: 'member', member: REVIEWER }, lead),
    await boundKey('r4', REVIEWER.staffId, reviewer, lead),
  ];
  let roster: Roster = { changes: [] };
  for (const change of changes) roster = addRosterChange(roster, change);
  return { roster, lead, reviewer };
}

/**
 * A signed export with a roster: roster changes, plan lock and draw, three decisions by the
 * reviewer, then the lead's signature with `signWith` (default: the lead's bound key; `reviewer`:
 * the key bound to the reviewer; `none`: without WebAuthn). `change` adds roster changes after the
 * kept roster (e.g. a revocation), before anything is drawn or signed.
 */
export async function rosteredExport(
  options: {
    signWith?: SoftAuthenticator | 'none' | 'reviewer';
    decisions?: Decision[];
    change?: (kept: { lead: SoftAuthenticator; reviewer: SoftAuthenticator }) => Promise<RosterChange[]>;
  } = {},
): Promise<{
  file: AuditLogFile;
  review: Review;
  signature: Signature;
  roster: Roster;
  lead: SoftAuthenticator;
  reviewer: SoftAuthenticator;
}> {
  const kept = await keptRoster();
  const { lead, reviewer } = kept;
  let roster = kept.roster;
  for (const change of (await options.change?.({ lead, reviewer })) ?? [])
    roster = addRosterChange(roster, change);
  const by = { name: REVIEWER.name, role: REVIEWER.title, id: REVIEWER.staffId };
  const { plan, review } = lockedReview(
    options.decisions ?? [
      { ...fixtureDecision('d1', 'MRN-1', 'accept'), reviewer: by },
      { ...fixtureDecision('d2', 'MRN-2', 'reject'), reviewer: by },
      { ...fixtureDecision('d3', 'MRN-3', 'accept'), reviewer: by },
    ],
  );
  const trail = pendingTrailEntries(
    undefined,
    trailSubjects({ roster, samplePlans: [plan], reviews: [review] }),
    new Set(),
  );
  const entries = [...trail, ...pendingAuditEntries(trail[trail.length - 1], [review], new Set())];
  const prepared = prepareSignature({
    id: 'sig1',
    review,
    signer: { name: LEAD.name, role: LEAD.title, id: LEAD.staffId },
    signedAt: '2025-03-02T17:30:00+01:00',
    meaning: APPROVAL_MEANING,
    chain: chainHeadOf(entries),
  });
  const signWith = options.signWith === 'reviewer' ? reviewer : (options.signWith ?? lead);
  const signature = {
    ...prepared,
    reauthentication:
      signWith === 'none'
        ? { method: 'none', reason: 'This browser offers no WebAuthn.' }
        : { method: 'webauthn', ...(await signWith.assert(challengeFor(prepared.signoffSha256))) },
  } as Signature;
  const signedReview: Review = { ...review, signatures: [signature] };
  const file = createAuditLogFile({
    projectId: 'proj1',
    exportedAt: '2025-03-02T18:00:00Z',
    entries: [...entries, signatureEntryFor(entries[entries.length - 1], review.id, signature)],
    reviews: [signedReview],
    plans: [plan],
    roster,
  });
  return { file, review: signedReview, signature, roster, lead, reviewer };
}
