/**
 * The sign-off roster (src/formats/roster.ts): who may review, adjudicate, approve and lead, and
 * which WebAuthn key each holds — kept by the data lead as a list of changes, each with its own
 * audit-chain entry. This module folds the changes into the roster as it stands, refuses changes a
 * lead may not make, computes the hash a lead confirms a key registration over, and says who may
 * decide or sign (segregation of duties by roster identity, not by typed ids).
 *
 * What a bound key proves: that the lead attested, with their own key, that this person holds this
 * key. It is not an identity from an identity provider.
 *
 * Constraints:
 * - Pure; no clock, no ids made here. Verifying a lead's confirmation is async (WebCrypto): the
 *   reducer checks structure only and the caller runs {@link verifyKeyBinding} before committing.
 * - The registration hash = SHA-256 of the RFC 8785 canonical JSON of the key-bound change without
 *   `confirmation`: changing what goes into it breaks every confirmed registration.
 * - Messages name staff ids and change ids, never record content.
 */
import type { DecisionStage } from '../../../formats/review.ts';
import type { KeyBound, Roster, RosterChange, RosterMember, RosterRole } from '../../../formats/roster.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';
import { formatRecordedTime } from '../review/recordedTime.ts';
import { publicKeyFingerprint, verifyAssertion } from './webauthn.ts';

/** Why a roster change is refused. */
export class RosterError extends Error {
  override name = 'RosterError';
}

/** A key bound to a member, and whether it still signs. */
export interface RosterKey {
  credentialId: string;
  staffId: string;
  /** the key-bound change */
  boundBy: KeyBound;
  /** the change that revoked it (a revocation, or a replacement) */
  revokedIn?: string;
}

/** The roster as its changes leave it. */
export interface RosterState {
  members: Map<string, RosterMember>;
  /** every key ever bound, by credential id */
  keys: Map<string, RosterKey>;
}

function apply(state: RosterState, change: RosterChange): void {
  switch (change.kind) {
    case 'member':
      state.members.set(change.member.staffId, change.member);
      return;
    case 'member-removed':
      state.members.delete(change.staffId);
      for (const key of state.keys.values())
        if (key.staffId === change.staffId && !key.revokedIn) key.revokedIn = change.id;
      return;
    case 'key-bound': {
      if (change.replaces) {
        const old = state.keys.get(change.replaces);
        if (old && !old.revokedIn) old.revokedIn = change.id;
      }
      state.keys.set(change.credential.id, {
        credentialId: change.credential.id,
        staffId: change.staffId,
        boundBy: change,
      });
      return;
    }
    case 'key-revoked': {
      const key = state.keys.get(change.credentialId);
      if (key && !key.revokedIn) key.revokedIn = change.id;
    }
  }
}

/** The roster after `changes` (all of them, or the first `upTo`). */
export function rosterState(roster: Roster | undefined, upTo?: number): RosterState {
  const state: RosterState = { members: new Map(), keys: new Map() };
  for (const change of (roster?.changes ?? []).slice(0, upTo)) apply(state, change);
  return state;
}

/** True when the roster has at least one member (from then on, identities come from it). */
export function rosterInUse(roster: Roster | undefined): boolean {
  return rosterState(roster).members.size > 0;
}

/** The member's key that signs now (the latest bound and not revoked), if any. */
export function activeKeyOf(state: RosterState, staffId: string): RosterKey | undefined {
  let found: RosterKey | undefined;
  for (const key of state.keys.values()) if (key.staffId === staffId && !key.revokedIn) found = key;
  return found;
}

function isLead(state: RosterState, staffId: string): boolean {
  return state.members.get(staffId)?.roles.includes('lead') ?? false;
}

/**
 * The hash a lead's WebAuthn assertion confirms a roster change over (its challenge): the change
 * without its confirmation. For a key binding, the registration hash.
 */
export function changeHash(change: Omit<RosterChange, 'confirmation'> & { confirmation?: unknown }): string {
  const { confirmation: _ignored, ...rest } = change as RosterChange;
  return canonicalSha256Hex(rest);
}

/** The hash a lead confirms a key registration over: {@link changeHash} of the key-bound change. */
export function registrationHash(
  change: Omit<KeyBound, 'confirmation'> & { confirmation?: unknown },
): string {
  return changeHash(change as KeyBound);
}

/**
 * Appends `change` to `roster` (the reducer of `roster/change`). Refused: a change id already used;
 * a change not made by a lead on the roster (the very first change must add its maker as a lead);
 * removing or keying someone not on the roster; a second member with a staff id (edit the member);
 * a key already bound; a confirmation by someone who is not a lead, or (for anyone but a lead's own
 * first key) not with the confirming lead's active key; revoking a key that does not sign.
 */
export function addRosterChange(roster: Roster | undefined, change: RosterChange): Roster {
  const changes = roster?.changes ?? [];
  if (changes.some((c) => c.id === change.id))
    throw new RosterError(`roster change id ${change.id} is already used`);
  const state = rosterState(roster);
  if (state.members.size === 0 && changes.length === 0) {
    if (
      change.kind !== 'member' ||
      change.member.staffId !== change.by ||
      !change.member.roles.includes('lead')
    )
      throw new RosterError('The roster starts with the data lead adding themselves with the lead role.');
  } else if (!isLead(state, change.by))
    throw new RosterError(`staff id ${change.by} is not a lead on the roster: only a lead changes it`);
  switch (change.kind) {
    case 'member': {
      const m = change.member;
      if (!m.staffId.trim() || !m.name.trim() || !m.title.trim())
        throw new RosterError('A roster member needs a full name, a job title and a staff number.');
      if (m.roles.length === 0) throw new RosterError(`staff id ${m.staffId}: give at least one role`);
      if (change.by === m.staffId && state.members.size > 0 && !m.roles.includes('lead')) {
        const otherLead = [...state.members.values()].some(
          (o) => o.staffId !== m.staffId && o.roles.includes('lead'),
        );
        if (!otherLead) throw new RosterError('The roster would have no lead left: name another lead first.');
      }
      break;
    }
    case 'member-removed': {
      if (!state.members.has(change.staffId))
        throw new RosterError(`staff id ${change.staffId} is not on the roster`);
      const leadsLeft = [...state.members.values()].filter(
        (o) => o.staffId !== change.staffId && o.roles.includes('lead'),
      );
      if (leadsLeft.length === 0)
        throw new RosterError('The roster would have no lead left: name another lead first.');
      break;
    }
    case 'key-bound': {
      const member = state.members.get(change.staffId);
      if (!member) throw new RosterError(`staff id ${change.staffId} is not on the roster`);
      if (state.keys.has(change.credential.id))
        throw new RosterError(
          'This key is already bound on the roster: each person registers their own key.',
        );
      const current = activeKeyOf(state, change.staffId);
      if (current && change.replaces !== current.credentialId)
        throw new RosterError(
          `staff id ${change.staffId} already has a key: replace it (the old one is revoked) or revoke it first`,
        );
      if (change.replaces && !current)
        throw new RosterError(`staff id ${change.staffId} has no key to replace`);
      const { leadId, assertion } = change.confirmation;
      if (leadId !== change.by) throw new RosterError('The lead who confirms a key is the one who binds it.');
      if (!isLead(state, leadId)) throw new RosterError(`staff id ${leadId} is not a lead on the roster`);
      const leadKey = activeKeyOf(state, leadId);
      const ownFirstKey = leadId === change.staffId && !leadKey;
      const confirmingKey = ownFirstKey ? change.credential.id : leadKey?.credentialId;
      if (!confirmingKey)
        throw new RosterError(
          'The lead has no key on the roster yet: register the lead’s own key first, then confirm others.',
        );
      if (assertion.credentialId !== confirmingKey)
        throw new RosterError('The confirmation was not made with the lead’s registered key.');
      break;
    }
    case 'key-revoked': {
      const key = state.keys.get(change.credentialId);
      if (!key || key.staffId !== change.staffId || key.revokedIn)
        throw new RosterError(`staff id ${change.staffId} has no such key in use`);
      if (!change.reason.trim()) throw new RosterError('Say why the key is revoked.');
      break;
    }
  }
  // once a lead holds a bound key, every change they make carries their confirmation with it
  const leadKey = change.kind === 'key-bound' ? undefined : activeKeyOf(state, change.by);
  if (leadKey) {
    const confirmation = change.confirmation;
    if (!confirmation)
      throw new RosterError(
        'The data lead confirms each roster change with their key: this change was not confirmed.',
      );
    if (confirmation.leadId !== change.by || confirmation.assertion.credentialId !== leadKey.credentialId)
      throw new RosterError('The confirmation was not made with the lead’s registered key.');
  }
  return { changes: [...changes, change] };
}

/** Why a key binding does not verify. */
type KeyBindingCheck = { ok: true } | { ok: false; message: string };

/**
 * Verifies the lead's confirmation of any roster change against the roster before it: for a key
 * binding, {@link verifyKeyBinding}; for another change that carries one, that it was made with
 * the active key of the lead who made it, over the change's hash. A change without one is accepted
 * here ({@link addRosterChange} requires it once the lead holds a key). Never throws.
 */
export async function verifyLeadConfirmation(
  before: RosterState,
  change: RosterChange,
): Promise<KeyBindingCheck> {
  if (change.kind === 'key-bound') return verifyKeyBinding(before, change);
  const confirmation = change.confirmation;
  if (!confirmation) return { ok: true };
  const leadKey = activeKeyOf(before, change.by);
  if (!leadKey || confirmation.leadId !== change.by)
    return { ok: false, message: `staff id ${confirmation.leadId} was not the lead with a key who made it` };
  const { assertion } = confirmation;
  try {
    if (
      assertion.credentialId !== leadKey.credentialId ||
      publicKeyFingerprint(assertion.publicKeyJwk) !==
        publicKeyFingerprint(leadKey.boundBy.credential.publicKeyJwk)
    )
      return { ok: false, message: 'it was not confirmed with the lead’s registered key' };
  } catch {
    return { ok: false, message: 'its key is not a valid public key' };
  }
  const checked = await verifyAssertion(assertion, changeHash(change));
  return checked.ok
    ? { ok: true }
    : { ok: false, message: `the lead's confirmation does not verify: ${checked.message}` };
}

/**
 * Verifies a key-bound change's confirmation against the roster before it: the assertion's
 * challenge is the registration hash, and it was made with the confirming lead's active key (for a
 * lead's own first key: the new key, with the same public key). Never throws.
 */
export async function verifyKeyBinding(before: RosterState, change: KeyBound): Promise<KeyBindingCheck> {
  const { leadId, assertion } = change.confirmation;
  const leadKey = activeKeyOf(before, leadId);
  const own = leadId === change.staffId && !leadKey;
  const expected = own ? change.credential : leadKey?.boundBy.credential;
  if (!expected || !isLead(before, leadId))
    return { ok: false, message: `the confirming staff id ${leadId} was not a lead with a key` };
  try {
    if (
      assertion.credentialId !== expected.id ||
      publicKeyFingerprint(assertion.publicKeyJwk) !== publicKeyFingerprint(expected.publicKeyJwk)
    )
      return { ok: false, message: 'it was not confirmed with the lead’s registered key' };
  } catch {
    return { ok: false, message: 'its key is not a valid public key' };
  }
  const checked = await verifyAssertion(assertion, registrationHash(change));
  return checked.ok
    ? { ok: true }
    : { ok: false, message: `the lead's confirmation does not verify: ${checked.message}` };
}

/** The role a decision of `stage` needs. */
function roleForStage(stage: DecisionStage | undefined): RosterRole {
  return stage === 'second' ? 'second-reviewer' : stage === 'adjudication' ? 'adjudicator' : 'reviewer';
}

const ROLE_WORDS: Record<RosterRole, string> = {
  reviewer: 'reviewer',
  'second-reviewer': 'second reviewer',
  adjudicator: 'adjudicator',
  approver: 'approver',
  lead: 'data lead',
};

/** How a role reads on screen. */
export function roleWords(role: RosterRole): string {
  return ROLE_WORDS[role];
}

/**
 * Why `staffId` may not make a decision of `stage` under `roster`, or undefined when they may (or
 * no roster is in use). Which person decided what (both reviewers, the adjudicator) is checked by
 * the dual-review rules on the same staff ids (src/core/signoff/review/dualReview.ts).
 */
export function rosterDecisionRefusal(
  roster: Roster | undefined,
  staffId: string,
  stage: DecisionStage | undefined,
): string | undefined {
  const state = rosterState(roster);
  if (state.members.size === 0) return undefined;
  const member = state.members.get(staffId);
  if (!member) return `Staff number ${staffId} is not on the project roster: ask the data lead to add you.`;
  const role = roleForStage(stage);
  if (!member.roles.includes(role))
    return `${member.name} is not ${role === 'adjudicator' || role === 'approver' ? 'an' : 'a'} ${roleWords(role)} on the roster: ask the data lead to give you that role.`;
  return undefined;
}

/** Who signed what, for {@link signingRefusal}. */
interface SigningCheck {
  roster: Roster | undefined;
  signerId: string;
  /** the signature approves go-live (not only "my review") */
  approval: boolean;
  /** staff ids that decided any record of the review */
  reviewers: ReadonlySet<string>;
  /** the plan lets someone who reviewed also approve */
  reviewerMayApprove?: boolean;
}

/**
 * Why `signerId` may not sign, or undefined. With a roster: the signer must be on it; an approval
 * needs the approver role, and someone who decided records of the review does not approve it
 * (unless the plan allows); signing "my review" needs to have reviewed, or a role that reviews.
 */
export function signingRefusal(check: SigningCheck): string | undefined {
  const state = rosterState(check.roster);
  if (state.members.size === 0) return undefined;
  const member = state.members.get(check.signerId);
  if (!member)
    return 'Only people on the project roster can sign: a name typed here is not enough. Ask the data lead to add you and register your key.';
  if (check.approval) {
    if (!member.roles.includes('approver'))
      return `${member.name} is not an approver on the roster: the approval is signed by an approver.`;
    if (check.reviewers.has(member.staffId) && !check.reviewerMayApprove)
      return `${member.name} decided records of this sample, so someone else approves it (the plan does not let a reviewer approve).`;
  }
  return undefined;
}

/** What a signing key is on the roster at signing. */
type KeyStanding =
  | { kind: 'bound'; member: RosterMember; key: RosterKey }
  | { kind: 'other-member'; member: RosterMember }
  | { kind: 'revoked'; staffId: string }
  | { kind: 'not-bound' };

/** The standing of `credentialId` for `signerId` in `state`. */
export function keyStanding(state: RosterState, signerId: string, credentialId: string): KeyStanding {
  const key = state.keys.get(credentialId);
  if (!key) return { kind: 'not-bound' };
  if (key.revokedIn) return { kind: 'revoked', staffId: key.staffId };
  const member = state.members.get(key.staffId);
  if (!member) return { kind: 'revoked', staffId: key.staffId };
  if (key.staffId !== signerId) return { kind: 'other-member', member };
  return { kind: 'bound', member, key };
}

/**
 * Why `staffId`, on the roster, has no key to sign with now, in words for the sign panels.
 * `registered` is the key this browser made for them, if any. A key the data lead revoked is said
 * to be revoked (by whom, when, why): never "no data lead confirmed it", which would send the
 * person to have a revoked key confirmed. Undefined when they hold a key that signs.
 */
export function noSigningKeyText(
  roster: Roster | undefined,
  staffId: string,
  registered?: string,
): string | undefined {
  const state = rosterState(roster);
  if (activeKeyOf(state, staffId)) return undefined;
  const name = state.members.get(staffId)?.name ?? `Staff id ${staffId}`;
  const theirs = [...state.keys.values()].filter((k) => k.staffId === staffId && k.revokedIn);
  const here = registered === undefined ? undefined : state.keys.get(registered);
  const revoked = here?.staffId === staffId && here.revokedIn ? here : theirs[theirs.length - 1];
  if (registered !== undefined && !here)
    return `${name}'s key was registered, but no data lead confirmed it: a registration nobody confirmed cannot sign. Ask the data lead to confirm it in the roster.`;
  if (revoked) {
    const change = roster?.changes.find((c) => c.id === revoked.revokedIn);
    const lead = change ? (state.members.get(change.by)?.name ?? `staff id ${change.by}`) : 'the data lead';
    const when = change ? ` on ${formatRecordedTime(change.at)}` : '';
    const why = change?.kind === 'key-revoked' && change.reason.trim() ? ` (“${change.reason.trim()}”)` : '';
    return `${name}'s key was revoked by ${lead}${when}${why}: a revoked key no longer signs. Ask the data lead to register and confirm a new key for ${name} in the roster.`;
  }
  return `${name} has no confirmed signing key: ask the data lead to register one in the roster.`;
}

/** What a person whose key is lost or unusable is told (the lead replaces it). */
export const LOST_KEY_ADVICE =
  'If your security key or device is lost or broken, ask the data lead to replace your key in the roster: they revoke the old one and confirm your new one.';
