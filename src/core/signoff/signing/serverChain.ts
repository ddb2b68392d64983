/**
 * Signatures made on the team server, as a project's exported audit log holds them, verified
 * anywhere: what each signature means (fixed by what is signed), the challenge its WebAuthn
 * assertion was made over, and the checks a verifier runs on the export — offline (each signature's
 * key registered, confirmed by the lead and not revoked before it, in its signer's name; each
 * assertion verified; no assertion used twice) and against the server (every entry is in the
 * server's log, and the export ends at the server's own export entry, so a cut, re-sealed or
 * rewritten export is caught without anyone having kept a printed head).
 *
 * Constraint: {@link signingChallenge} and {@link SIGNING_MEANINGS} are what the server signs by;
 * changing either breaks every signature made before.
 */

import { canonicalSha256Hex } from '../../hash/index.ts';
import type { Role } from '../../teamRoles/index.ts';
import {
  ADJUDICATOR_MEANING,
  APPROVAL_MEANING,
  RESULT_CONFIRMED_MEANING,
  REVIEWER_MEANING,
  STEERING_GO_MEANING,
  STEERING_NO_GO_MEANING,
} from './signingMeaning.ts';
import { COSE_ES256, COSE_RS256, type PublicKeyJwk, verifyAssertion } from './webauthn.ts';

/** What a signature says, by what is signed: the meaning is fixed here, never typed by the signer. */
export const SIGNING_MEANINGS = {
  review: REVIEWER_MEANING,
  adjudication: ADJUDICATOR_MEANING,
  approval: APPROVAL_MEANING,
  confirmation: RESULT_CONFIRMED_MEANING,
  go: STEERING_GO_MEANING,
  'no-go': STEERING_NO_GO_MEANING,
} as const;
/** What one signs. */
export type SigningKind = keyof typeof SIGNING_MEANINGS;

/**
 * What each role of a go-live team may sign (§11.50(a)(3): a meaning true of its signer): a
 * reviewer her review or adjudication, the lead and the data lead the sample's result, the steering
 * committee go or no-go. The lead may also take a pass or adjudicate, so she signs those too; a
 * review or adjudication signature is refused unless it covers the signer's own decisions. The
 * server refuses by this table and the app says by it who signs what: one table for both.
 */
export const SIGNING_KINDS_BY_ROLE = {
  lead: ['approval', 'confirmation', 'review', 'adjudication'],
  data: ['approval', 'confirmation'],
  reviewer: ['review', 'adjudication'],
  steering: ['go', 'no-go'],
  analyst: [],
  viewer: [],
} as const satisfies Readonly<Record<Role, readonly SigningKind[]>>;
/** A role of the team, as {@link SIGNING_KINDS_BY_ROLE} names it. */
type SigningRole = keyof typeof SIGNING_KINDS_BY_ROLE;

/** Whether `role` may sign `kind`. */
export function maySign(role: SigningRole, kind: SigningKind): boolean {
  return (SIGNING_KINDS_BY_ROLE[role] as readonly SigningKind[]).includes(kind);
}

import { auditKindLabel } from '../../../formats/auditKinds.ts';
import { signingChallenge } from './signingChallenge.ts';

export { signingChallenge };

/**
 * What a reviewer's (or adjudicator's) signature on the server signs: her own decisions of one
 * review there, in the server's order, each by the SHA-256 of its canonical JSON. The server signs
 * "I reviewed these records" only over exactly this, so the meaning is true of its signer.
 * Constraint: changing it breaks every such signature made before.
 */
export function reviewedDecisionsHash(reviewId: string, decisions: readonly unknown[]): string {
  return reviewedDecisionHashesHash(
    reviewId,
    decisions.map((d) => canonicalSha256Hex(d)),
  );
}

/** {@link reviewedDecisionsHash} from the decisions' own SHA-256s (as an audit chain logs them). */
export function reviewedDecisionHashesHash(reviewId: string, decisionSha256s: readonly string[]): string {
  return canonicalSha256Hex({ review: reviewId, decisions: decisionSha256s });
}

/** A steering committee's go/no-go decision as a signature on the server binds it (no signatures). */
export interface SteeringDecisionContent {
  id: string;
  decision: 'go' | 'no-go';
  /** the go/no-go Preflight computed when the decision was taken */
  readiness: 'go' | 'no-go';
  /** SHA-256 of the readiness result the decision was taken on: the evidence it binds */
  resultSha256: string;
  rationale: string;
  /** RFC 3339 with zone */
  recordedAt: string;
}

/**
 * What a steering signature on the server signs: the decision, its rationale and the hash of the
 * evidence it was taken on, so a signature is over the rationale too and goes stale with the
 * evidence. Constraint: changing it breaks every such signature made before.
 */
export function steeringDecisionHash(content: SteeringDecisionContent): string {
  const { id, decision, readiness, resultSha256, rationale, recordedAt } = content;
  return canonicalSha256Hex({
    steeringDecision: { id, decision, readiness, resultSha256, rationale, recordedAt },
  });
}

/** A go/no-go decision signed on the team server, with its signatures in the order they were made. */
export interface ServerSteeringDecision extends SteeringDecisionContent {
  /** what its signatures sign ({@link steeringDecisionHash}) */
  hash: string;
  signatures: {
    /** its entry's place in the project's log */
    projectSeq: number;
    signer: { subject: string; name: string };
    role: string;
    meaning: string;
    /** RFC 3339, as the server recorded it */
    signedAt: string;
  }[];
}

/**
 * The latest of the decisions signed on the server against the readiness result now: current
 * while the result hashes as it did when the decision was taken, stale once any evidence changed.
 */
export function serverSteeringState(
  decisions: readonly ServerSteeringDecision[],
  resultSha256: string,
): { latest?: ServerSteeringDecision & { state: 'current' | 'stale' }; earlier: number } {
  const latest = decisions.at(-1);
  if (latest === undefined) return { earlier: 0 };
  return {
    latest: { ...latest, state: latest.resultSha256 === resultSha256 ? 'current' : 'stale' },
    earlier: decisions.length - 1,
  };
}

/**
 * How a signer on the team server was identified, in the words of the screen and the printouts:
 * the identity provider confirmed her at a fresh sign-in, and her own key, confirmed by the lead,
 * made the assertion the server verified.
 */
export const SERVER_SIGNER_CONFIRMED =
  'signed in afresh at the organisation’s sign-in page and confirmed with their own key, which the lead confirmed; verified by the team server';

/** The decision a steering signature entry carries, when it names one (older entries do not). */
export function steeringDecisionOfEntry(
  detail: Readonly<Record<string, string>>,
): SteeringDecisionContent | undefined {
  const { steeringDecision: id, kind, readiness, resultSha256, rationale, recordedAt } = detail;
  if (id === undefined || (kind !== 'go' && kind !== 'no-go')) return undefined;
  return {
    id,
    decision: kind,
    readiness: readiness === 'go' ? 'go' : 'no-go',
    resultSha256: resultSha256 ?? '',
    rationale: rationale ?? '',
    recordedAt: recordedAt ?? '',
  };
}

/** One entry of a project's exported log, as far as these checks read it. */
export interface ProjectChainEntry {
  kind: string;
  at: string;
  actor: { issuer: string; subject: string; name: string } | null;
  detail: Record<string, string>;
  projectSeq?: number;
  hash: string;
}

/** A signature found good, as a verifier prints it. */
export interface ServerSignature {
  projectSeq: number;
  signer: { subject: string; name: string };
  role: string;
  meaning: string;
  hash: string;
  signedAt: string;
  /** a go or no-go's rationale, signed with it */
  rationale?: string;
}

/** The first entry that is not what it should be, by its place among the project's entries. */
interface ChainFinding {
  projectSeq: number;
  message: string;
}

interface KeyState {
  subject: string;
  publicKeyJwk: PublicKeyJwk | undefined;
  confirmed: boolean;
  revoked: string | undefined;
}

const place = (entry: ProjectChainEntry, index: number) => entry.projectSeq ?? index + 1;

/**
 * Checks every signature entry of a project's log in order (and that no credential is registered
 * to two people): its key was registered by its signer,
 * confirmed and not revoked before it; its meaning is the one fixed for what it signs; its nonce
 * was not used before (a replay); and its assertion verifies over {@link signingChallenge}.
 * Returns the signatures, or the first entry that fails.
 */
export async function verifyServerSignatures(
  entries: readonly ProjectChainEntry[],
): Promise<{ ok: true; signatures: ServerSignature[] } | ({ ok: false } & ChainFinding)> {
  const keys = new Map<string, KeyState>();
  const owners = new Map<string, { subject: string; at: number }>();
  const nonces = new Map<string, number>();
  const signatures: ServerSignature[] = [];
  for (const [index, entry] of entries.entries()) {
    const at = place(entry, index);
    const d = entry.detail;
    const key = d.key === undefined ? undefined : keys.get(d.key);
    if (entry.kind === 'signing-key-registered' && d.key !== undefined) {
      // one authenticator credential serves one person (the server refuses a second)
      const owner = d.credential === undefined ? undefined : owners.get(d.credential);
      if (owner !== undefined && owner.subject !== d.subject)
        return {
          ok: false,
          projectSeq: at,
          message: `entry ${at} registers to "${d.subject ?? 'nobody'}" a key already registered to "${owner.subject}" at entry ${owner.at}: one key serves one person`,
        };
      if (d.credential !== undefined && owner === undefined)
        owners.set(d.credential, { subject: d.subject ?? '', at });
      let publicKeyJwk: PublicKeyJwk | undefined;
      try {
        publicKeyJwk =
          d.publicKeyJwk === undefined ? undefined : (JSON.parse(d.publicKeyJwk) as PublicKeyJwk);
      } catch {
        publicKeyJwk = undefined;
      }
      keys.set(d.key, { subject: d.subject ?? '', publicKeyJwk, confirmed: false, revoked: undefined });
    } else if (entry.kind === 'signing-key-confirmed' && key !== undefined) key.confirmed = true;
    else if (entry.kind === 'signing-key-revoked' && key !== undefined) key.revoked = d.reason ?? 'revoked';
    if (entry.kind !== 'signature') continue;
    const no = (message: string) => ({ ok: false as const, projectSeq: at, message });
    if (key === undefined) return no(`signature entry ${at} names a key this log never registered`);
    if (entry.actor?.subject !== key.subject || d.subject !== key.subject)
      return no(
        `signature entry ${at} is signed with the key of "${key.subject}" but names "${entry.actor?.subject ?? 'nobody'}" as its signer`,
      );
    if (!key.confirmed) return no(`signature entry ${at} was made with a key the lead had not confirmed`);
    if (key.revoked !== undefined)
      return no(`signature entry ${at} was made with a key revoked before it (${key.revoked})`);
    const kind = d.kind as SigningKind | undefined;
    if (kind === undefined || !(kind in SIGNING_MEANINGS) || d.meaning !== SIGNING_MEANINGS[kind])
      return no(`signature entry ${at} does not carry the meaning fixed for what it signs`);
    if (d.nonce === undefined || d.hash === undefined)
      return no(`signature entry ${at} has no hash or nonce to verify`);
    const steering = steeringDecisionOfEntry(d);
    if (steering !== undefined && steeringDecisionHash(steering) !== d.hash)
      return no(
        `signature entry ${at} does not sign the go/no-go decision it names: its decision, rationale or evidence was changed`,
      );
    const first = nonces.get(d.nonce);
    if (first !== undefined)
      return no(`signature entry ${at} replays the identity check of signature entry ${first}`);
    nonces.set(d.nonce, at);
    if (key.publicKeyJwk === undefined)
      return no(`signature entry ${at} names a key whose public key the log does not hold`);
    const checked = await verifyAssertion(
      {
        credentialId: d.credential ?? '',
        algorithm: key.publicKeyJwk.kty === 'EC' ? COSE_ES256 : COSE_RS256,
        publicKeyJwk: key.publicKeyJwk,
        authenticatorData: d.authenticatorData ?? '',
        clientDataJSON: d.clientDataJSON ?? '',
        signature: d.signature ?? '',
      },
      signingChallenge(d.hash, d.nonce),
    );
    if (!checked.ok) return no(`signature entry ${at}: ${checked.message}`);
    signatures.push({
      projectSeq: at,
      signer: { subject: key.subject, name: entry.actor?.name ?? '' },
      role: d.role ?? '',
      meaning: d.meaning,
      hash: d.hash,
      signedAt: entry.at,
      ...(steering === undefined ? {} : { rationale: steering.rationale }),
    });
  }
  return { ok: true, signatures };
}

/** What the server says of one hash: the entry it is in its log, or unknown. */
export interface AnchorAnswer {
  hash: string;
  known: boolean;
  projectSeq?: number;
  kind?: string;
}

/** What the server answers for an export's hashes, and how many entries the project has now. */
export interface AnchorReply {
  entries: AnchorAnswer[];
  projectEntries?: number;
}

/**
 * The export against the server's log: every entry's hash must be one the server wrote, at the
 * same place, and the export must end at the server's own export entry (an export is recorded,
 * and the file ends with that record). Returns the first entry that fails, or how many entries
 * the server has written for the project since (a later export holds them).
 */
export function checkAgainstServer(
  entries: readonly ProjectChainEntry[],
  reply: AnchorReply,
): { ok: true; laterEntries: number } | ({ ok: false } & ChainFinding) {
  const answers = new Map(reply.entries.map((a) => [a.hash, a]));
  for (const [index, entry] of entries.entries()) {
    const at = place(entry, index);
    const answer = answers.get(entry.hash);
    if (answer?.known !== true || answer.projectSeq !== at)
      return {
        ok: false,
        projectSeq: at,
        message: `entry ${at} (“${auditKindLabel(entry.kind)}”) is not the server's entry ${at}: the export was rewritten after it left the server`,
      };
  }
  const last = entries.at(-1);
  if (last === undefined || last.kind !== 'audit-exported')
    return {
      ok: false,
      projectSeq: last === undefined ? 0 : place(last, entries.length - 1),
      message: `the export ends at entry ${last === undefined ? 0 : place(last, entries.length - 1)}, not at the server's record of the export: entries after it were cut`,
    };
  return { ok: true, laterEntries: Math.max(0, (reply.projectEntries ?? entries.length) - entries.length) };
}
