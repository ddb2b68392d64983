/**
 * Who signed, as far as a sign-off file can show it (docs/decisions/0033-roster-and-key-binding.md):
 * each signature checked against the roster as the chain had it when the signature was logged.
 * With a roster, a signer must be on it, a WebAuthn signature must use the key the lead bound to
 * that signer (confirmed with the lead's own key, not revoked), and a signer who holds a bound key
 * cannot sign without it — so a signature re-made without WebAuthn and re-hashed is found. Without
 * a roster, and for signatures made without WebAuthn, the result carries warnings, not failures:
 * such files are valid, only weaker. A signature made through the team server's ceremony names
 * the person signed in there (the server's record, checked with `signoff verify --server`), so
 * a file without a roster gets no typed-name warning for it.
 *
 * Constraint: pure except WebCrypto (the lead's confirmations are assertions). Never throws.
 */
import type { ChainEntry } from '../../../formats/auditLog.ts';
import type { Review } from '../../../formats/review.ts';
import type { Roster } from '../../../formats/roster.ts';
import {
  activeKeyOf,
  addRosterChange,
  keyStanding,
  RosterError,
  rosterDecisionRefusal,
  rosterState,
  verifyLeadConfirmation,
} from './roster.ts';
import { publicKeyFingerprint } from './webauthn.ts';

/** Why an identity check fails (public codes: add, never rename). */
type IdentityBreak =
  | 'roster-invalid'
  | 'key-confirmation'
  | 'reviewer-not-on-roster'
  | 'signer-not-on-roster'
  | 'key-not-bound'
  | 'webauthn-missing';

/** What {@link verifySignerIdentities} finds. */
type IdentityVerification =
  | { ok: true; warnings: string[] }
  | {
      ok: false;
      /** 1-based chain entry of the broken roster change or signature */
      entry: number;
      signature?: string;
      reason: IdentityBreak;
      message: string;
    };

/**
 * Replays `entries` (an already verified chain whose roster entries match `roster`) in order: each
 * roster change must be one a lead could make and each key binding confirmed by a lead's key; each
 * decision's reviewer on the roster in the stage's role (once a roster is in use); each signature
 * checked as the file header says.
 */
export async function verifySignerIdentities(
  entries: readonly ChainEntry[],
  reviews: readonly Review[],
  roster: Roster | undefined,
): Promise<IdentityVerification> {
  const warnings: string[] = [];
  const changes = new Map((roster?.changes ?? []).map((c) => [c.id, c]));
  const decisions = new Map(
    reviews.flatMap((r) => r.decisions.map((d) => [`${r.id}\u001f${d.id}`, d] as const)),
  );
  const signatures = new Map(
    reviews.flatMap((r) => (r.signatures ?? []).map((s) => [`${r.id}\u001f${s.id}`, s] as const)),
  );
  // the roster as the chain had it, replayed entry by entry with the rules a lead's changes obey
  let replayed: Roster = { changes: [] };
  let anyRoster = false;
  let anySignature = false;
  // the chain entry of each roster change replayed, so a revoked key's refusal names it
  const changeEntry = new Map<string, number>();
  for (const [index, entry] of entries.entries()) {
    const at = index + 1;
    if (entry.event === 'roster') {
      const change = changes.get(entry.subjectId);
      if (!change) continue; // the chain check names a missing change when the file has a roster
      changeEntry.set(change.id, at);
      const before = rosterState(replayed);
      try {
        replayed = addRosterChange(replayed, change);
      } catch (error) {
        const message = error instanceof RosterError ? error.message : 'it cannot be applied';
        return {
          ok: false,
          entry: at,
          reason: 'roster-invalid',
          message: `entry ${at}: a roster change no lead could have made: ${message}`,
        };
      }
      const checked = await verifyLeadConfirmation(before, change);
      if (!checked.ok)
        return {
          ok: false,
          entry: at,
          reason: 'key-confirmation',
          message:
            change.kind === 'key-bound'
              ? `entry ${at}: the key bound to staff id ${change.staffId}: ${checked.message}`
              : `entry ${at}: a roster change by staff id ${change.by}: ${checked.message}`,
        };
      continue;
    }
    if (entry.event === 'decision') {
      const decision = decisions.get(`${entry.reviewId}\u001f${entry.decisionId}`);
      if (!decision) continue;
      const refused = rosterDecisionRefusal(replayed, decision.reviewer.id, decision.stage);
      if (refused)
        return {
          ok: false,
          entry: at,
          reason: 'reviewer-not-on-roster',
          message: `entry ${at}: decision ${decision.id}: its reviewer was not on the roster in that role when it was recorded`,
        };
      continue;
    }
    if (entry.event !== 'signature') continue;
    const signature = signatures.get(`${entry.reviewId}\u001f${entry.signatureId}`);
    if (!signature) continue;
    const state = rosterState(replayed);
    const reauth = signature.reauthentication;
    // made through the team server's ceremony: its signer is the person signed in there, whose
    // key a lead or the data lead confirmed on the server — never a typed name
    const onServer = reauth.method === 'webauthn' && reauth.server !== undefined;
    if (!onServer) anySignature = true;
    const name = `signature ${signature.id} (entry ${at})`;
    if (state.members.size === 0) {
      if (reauth.method === 'none')
        warnings.push(`${name} was made without WebAuthn: nothing but the typed name says who signed.`);
      continue;
    }
    anyRoster = true;
    const broken = (reason: IdentityBreak, message: string): IdentityVerification => ({
      ok: false,
      entry: at,
      signature: signature.id,
      reason,
      message: `entry ${at}: signature ${signature.id}: ${message}`,
    });
    if (!state.members.has(signature.signer.id))
      return broken('signer-not-on-roster', 'its signer was not on the roster when it was signed');
    if (reauth.method === 'none') {
      if (activeKeyOf(state, signature.signer.id))
        return broken(
          'webauthn-missing',
          'its signer holds a key the lead bound, yet it carries no WebAuthn assertion: it was re-made without the key',
        );
      warnings.push(`${name} was made without WebAuthn: its signer had no key bound on the roster.`);
      continue;
    }
    const standing = keyStanding(state, signature.signer.id, reauth.credentialId);
    if (standing.kind === 'not-bound')
      return broken('key-not-bound', 'its key was never bound to anyone on the roster by a lead');
    if (standing.kind === 'revoked') {
      // the right reason, with who revoked it and when: never "nobody bound it"
      const revokedIn = state.keys.get(reauth.credentialId)?.revokedIn;
      const change = revokedIn ? changes.get(revokedIn) : undefined;
      const where = change ? changeEntry.get(change.id) : undefined;
      const how =
        change?.kind === 'member-removed'
          ? `its holder was removed from the roster by staff id ${change.by} on ${change.at}`
          : change?.kind === 'key-bound'
            ? `its key was replaced by a new key staff id ${change.by} bound on ${change.at}`
            : change
              ? `its key was revoked by staff id ${change.by} on ${change.at}`
              : 'its key had been revoked';
      return broken(
        'key-not-bound',
        `${how}${where ? ` (entry ${where})` : ''}, before it was signed: a revoked key no longer signs`,
      );
    }
    if (standing.kind === 'other-member')
      return broken('key-not-bound', 'its key is bound to another person on the roster, not to its signer');
    let sameKey = false;
    try {
      sameKey =
        publicKeyFingerprint(reauth.publicKeyJwk) ===
        publicKeyFingerprint(standing.key.boundBy.credential.publicKeyJwk);
    } catch {
      sameKey = false;
    }
    if (!sameKey)
      return broken('key-not-bound', 'its public key is not the one the lead bound under that key id');
  }
  if (anySignature && !anyRoster)
    warnings.push(
      'The file has no roster for its signatures: who signed rests on typed names and, where present, keys no lead confirmed.',
    );
  return { ok: true, warnings };
}
