/**
 * The project roster (`meta.roster` of `preflight.project/v1`, `#/$defs/roster` of
 * project.schema.json): who may take part in a sign-off, in which roles, and which WebAuthn key
 * each holds. The data lead keeps it. It is a list of changes, oldest first (add or edit a member,
 * remove one, bind a key, revoke a key); the roster now is what they leave (src/core/signoff/signing/roster.ts),
 * and each change has its own entry in the sign-off audit chain.
 *
 * It holds staff names, staff ids, roles and public keys — never record content. What it proves is
 * the lead's attestation of who holds which key, not an identity from an identity provider.
 */
import type { WebAuthnAssertion } from './review.ts';

/** Roles on the roster (public codes: add, never rename). */
export const ROSTER_ROLES = ['reviewer', 'second-reviewer', 'adjudicator', 'approver', 'lead'] as const;
/** A roster role. */
export type RosterRole = (typeof ROSTER_ROLES)[number];

/** One person on the roster. */
export interface RosterMember {
  /** the clinic's staff id: unique on the roster */
  staffId: string;
  name: string;
  /** job title, as signed */
  title: string;
  roles: RosterRole[];
}

/** A WebAuthn credential's public part, as bound to a member. */
export interface BoundCredential {
  /** base64url credential id */
  id: string;
  /** COSE algorithm: -7 (ES256) or -257 (RS256) */
  algorithm: number;
  publicKeyJwk: WebAuthnAssertion['publicKeyJwk'];
}

/**
 * The lead's confirmation of a key registration: a WebAuthn assertion, with the lead's own bound
 * key, whose challenge is the registration hash (src/core/signoff/signing/roster.ts). For the first key of
 * a lead the assertion is made with the new key itself.
 */
export interface LeadConfirmation {
  /** the confirming lead's staff id */
  leadId: string;
  assertion: WebAuthnAssertion;
}

interface ChangeBase {
  /** unique among the roster's changes */
  id: string;
  /** RFC 3339 date-time with zone */
  at: string;
  /** staff id of the lead who made the change */
  by: string;
  /**
   * the lead's WebAuthn confirmation of this change, over its hash without this field: present on
   * every change a lead makes once they hold a bound key (and on every key binding)
   */
  confirmation?: LeadConfirmation;
}

/** Adds a member, or replaces the one with the same staff id. */
export interface MemberPut extends ChangeBase {
  kind: 'member';
  member: RosterMember;
}

/** Removes a member (their keys stop counting). */
export interface MemberRemoved extends ChangeBase {
  kind: 'member-removed';
  staffId: string;
}

/** Binds a key to a member, confirmed by a lead; `replaces` revokes the member's earlier key. */
export interface KeyBound extends ChangeBase {
  kind: 'key-bound';
  staffId: string;
  credential: BoundCredential;
  /** the credential id this key replaces (revoked by this change) */
  replaces?: string;
  confirmation: LeadConfirmation;
}

/** Revokes a member's key (lost, or the person left): it no longer signs. */
export interface KeyRevoked extends ChangeBase {
  kind: 'key-revoked';
  staffId: string;
  credentialId: string;
  /** why, as the lead wrote it */
  reason: string;
}

/** One change to the roster. */
export type RosterChange = MemberPut | MemberRemoved | KeyBound | KeyRevoked;

/** The roster: its changes, oldest first (append-only). */
export interface Roster {
  changes: RosterChange[];
}
