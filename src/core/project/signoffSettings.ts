/**
 * What the sign-off remembers in the project's settings (`settings.signoff`): the reviewer last
 * named on this project (so a reload does not ask again) and the WebAuthn credentials registered
 * for signing — each a credential id and public key, never record content.
 *
 * Constraint: project settings are open JSON (formats/project.schema.json keeps unknown fields),
 * so they are read defensively here: anything malformed reads as absent, never throws.
 */

import type { Reviewer } from '../../formats/review.ts';
import type { Roster } from '../../formats/roster.ts';
import { type PublicKeyJwk, rosterState } from '../signoff/signing/index.ts';
import type { ProjectChange } from './changes.ts';

/** The key under `settings`. */
const SIGNOFF_SETTINGS_KEY = 'signoff';

/** A WebAuthn credential registered on this project for signing. */
export interface SigningCredential {
  /** base64url credential id */
  id: string;
  /** COSE algorithm (-7 ES256, -257 RS256) */
  algorithm: number;
  publicKeyJwk: PublicKeyJwk;
  /** the staff id of the reviewer it was registered for */
  signerId: string;
  /** RFC 3339 with zone */
  registeredAt: string;
}

/** `settings.signoff`. */
interface SignoffSettings {
  reviewer?: Reviewer;
  credentials?: SigningCredential[];
}

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

function readReviewer(value: unknown): Reviewer | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const r = value as Record<string, unknown>;
  return isText(r.name) && isText(r.role) && isText(r.id)
    ? { name: r.name, role: r.role, id: r.id }
    : undefined;
}

function readKey(value: unknown): PublicKeyJwk | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const k = value as Record<string, unknown>;
  if (k.kty === 'EC' && k.crv === 'P-256' && isText(k.x) && isText(k.y))
    return { kty: 'EC', crv: 'P-256', x: k.x, y: k.y };
  if (k.kty === 'RSA' && isText(k.n) && isText(k.e)) return { kty: 'RSA', n: k.n, e: k.e };
  return undefined;
}

function readCredential(value: unknown): SigningCredential | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const c = value as Record<string, unknown>;
  const publicKeyJwk = readKey(c.publicKeyJwk);
  if (
    !isText(c.id) ||
    typeof c.algorithm !== 'number' ||
    !isText(c.signerId) ||
    !isText(c.registeredAt) ||
    !publicKeyJwk
  )
    return undefined;
  return {
    id: c.id,
    algorithm: c.algorithm,
    publicKeyJwk,
    signerId: c.signerId,
    registeredAt: c.registeredAt,
  };
}

/** Reads `settings.signoff`; malformed parts read as absent. */
export function readSignoffSettings(settings: Record<string, unknown>): SignoffSettings {
  const raw = settings[SIGNOFF_SETTINGS_KEY];
  if (raw === null || typeof raw !== 'object') return {};
  const s = raw as Record<string, unknown>;
  const reviewer = readReviewer(s.reviewer);
  const credentials = Array.isArray(s.credentials)
    ? s.credentials.map(readCredential).filter((c): c is SigningCredential => c !== undefined)
    : undefined;
  return { ...(reviewer ? { reviewer } : {}), ...(credentials ? { credentials } : {}) };
}

/** The credential registered for `signerId`, the latest first. */
export function credentialFor(settings: SignoffSettings, signerId: string): SigningCredential | undefined {
  return [...(settings.credentials ?? [])].reverse().find((c) => c.signerId === signerId);
}

function withSignoff(settings: Record<string, unknown>, patch: SignoffSettings): ProjectChange {
  const current = settings[SIGNOFF_SETTINGS_KEY];
  const base = current !== null && typeof current === 'object' ? (current as Record<string, unknown>) : {};
  return {
    type: 'project/settings',
    settings: { ...settings, [SIGNOFF_SETTINGS_KEY]: { ...base, ...patch } },
  };
}

/**
 * The change that remembers `reviewer` (trimmed) on the project, or null when it is already the
 * one remembered (so typing the same name again writes nothing).
 */
export function rememberReviewer(
  settings: Record<string, unknown>,
  reviewer: Reviewer,
): ProjectChange | null {
  const next = { name: reviewer.name.trim(), role: reviewer.role.trim(), id: reviewer.id.trim() };
  const known = readSignoffSettings(settings).reviewer;
  if (known && known.name === next.name && known.role === next.role && known.id === next.id) return null;
  return withSignoff(settings, { reviewer: next });
}

/** The change that adds a registered credential to the project. */
export function addSigningCredential(
  settings: Record<string, unknown>,
  credential: SigningCredential,
): ProjectChange {
  const credentials = readSignoffSettings(settings).credentials ?? [];
  return withSignoff(settings, {
    credentials: [...credentials.filter((c) => c.id !== credential.id), credential],
  });
}

/**
 * The staff id recorded as who did a step of the sign-off on this computer (locked a plan, drew a
 * sample, exported a review packet, merged results): with a roster, the person remembered on this
 * project when they are one of its leads, else its only lead; without one, the person remembered
 * on this project. Undefined when nobody is known: then nothing is recorded. It is what this
 * computer attests, not an identity an identity provider confirmed.
 */
export function actingStaffId(
  settings: Record<string, unknown>,
  roster: Roster | undefined,
): string | undefined {
  const remembered = readSignoffSettings(settings).reviewer?.id;
  const state = rosterState(roster);
  if (state.members.size === 0) return remembered;
  const leads = [...state.members.values()].filter((m) => m.roles.includes('lead')).map((m) => m.staffId);
  if (remembered !== undefined && leads.includes(remembered)) return remembered;
  return leads.length === 1 ? leads[0] : undefined;
}
