/**
 * What binds an audit entry to the member it names. Whoever holds the server's runtime database
 * login can call `audit_log_append` and write an entry in any member's name, dated now: the log's
 * chain and its Merkle tree prove the entry was not changed after it was written, not that the
 * member made it. So every entry the server writes for a signed-in member carries the evidence of
 * that sign-in: `session`, a reference to the session the request came in on (a hash of the
 * session's database key, never the key or the cookie), and `signedInAt`, when that session's
 * sign-in was made. The sign-in entry itself carries the same `session`, so an action names the
 * sign-in it was made under. A signature entry carries the WebAuthn assertion as well (its
 * credential, authenticator data, client data and signature), which nobody but the key's holder
 * can make.
 *
 * {@link entriesWithoutEvidence} is the check: an entry in a member's name without a session, a
 * signature without its assertion, or a session no sign-in in the log started is reported. The
 * server runs it over its whole log at start (transparencyLog.ts `checkWholeLog`).
 *
 * Constraint: the reference is SHA-256 over a fixed prefix and the session's key hash: changing
 * the prefix breaks every reference already written. A forger who copies a real session's
 * reference from an earlier entry passes this check; only a signature's assertion cannot be
 * copied onto other content (its challenge covers what was signed).
 */
import { sha256Hex } from '../core/hash/index.ts';
import type { AuditActor } from './auditLog.ts';

/** The prefix of a session's reference in the log (see the constraint above). */
const SESSION_REFERENCE_PREFIX = 'preflight.audit-session/v1:';

/** The reference to the session of key hash `idHash`, as entries carry it. */
export const sessionReference = (idHash: string): string => sha256Hex(SESSION_REFERENCE_PREFIX + idHash);

/** What a signed-in session gives an audit entry as evidence of who made it. */
export interface SessionEvidenceSource {
  idHash: string;
  /** when the session's sign-in was made (milliseconds since the epoch), where known */
  signedInAt?: number;
}

/** The evidence fields an entry made in `session` carries. */
export function sessionEvidence(session: SessionEvidenceSource): Record<string, string> {
  return {
    session: sessionReference(session.idHash),
    ...(session.signedInAt === undefined ? {} : { signedInAt: new Date(session.signedInAt).toISOString() }),
  };
}

/** The fields of a WebAuthn assertion a signature entry must carry. */
const ASSERTION_FIELDS = ['credential', 'authenticatorData', 'clientDataJSON', 'signature'] as const;

/** An entry as the check reads it. */
export interface EvidenceEntry {
  seq: number;
  kind: string;
  actor: AuditActor | null;
  detail: Readonly<Record<string, string>>;
}

/** Why an entry is not bound to the member it names. */
export type MissingEvidence =
  /** in a member's name, without the session it was made in */
  | 'no-session'
  /** a session that no sign-in entry of that member started */
  | 'unknown-session'
  /** a signature without its WebAuthn assertion */
  | 'no-assertion';

/** An entry the check reports. */
export interface UnboundEntry {
  seq: number;
  kind: string;
  subject: string;
  missing: MissingEvidence;
}

/**
 * The entries of `entries` (the server's whole log, in order) in a member's name that carry no
 * evidence binding them to her: no session, a session none of her sign-ins started, or (a
 * signature) no assertion. Entries the server writes in nobody's name (`actor` null) are not
 * member actions. With `signIns: 'not-given'` (a project's entries alone: sign-ins are not in a
 * project's chain) a session is not matched to a sign-in.
 */
export function entriesWithoutEvidence(
  entries: Iterable<EvidenceEntry>,
  signIns: 'in-entries' | 'not-given' = 'in-entries',
): UnboundEntry[] {
  const all = [...entries];
  const who = (actor: AuditActor, session: string) => JSON.stringify([actor.issuer, actor.subject, session]);
  // a sign-in's entry may follow the entries it made (a role claim's membership is recorded as
  // the sign-in's session starts): every sign-in of the log counts, wherever it stands
  const started = new Set(
    all.flatMap((e) =>
      e.kind === 'sign-in' && e.actor !== null && e.detail.session !== undefined
        ? [who(e.actor, e.detail.session)]
        : [],
    ),
  );
  const unbound: UnboundEntry[] = [];
  for (const entry of all) {
    const { actor, detail } = entry;
    if (actor === null) continue;
    const report = (missing: MissingEvidence) =>
      unbound.push({ seq: entry.seq, kind: entry.kind, subject: actor.subject, missing });
    const session = detail.session;
    if (session === undefined) report('no-session');
    else if (entry.kind === 'sign-in') continue;
    else if (signIns === 'in-entries' && !started.has(who(actor, session))) report('unknown-session');
    else if (entry.kind === 'signature' && ASSERTION_FIELDS.some((f) => !detail[f])) report('no-assertion');
  }
  return unbound;
}

/** The check's finding in words for the clinic's IT (kinds and entry numbers only). */
export function unboundWords(unbound: readonly UnboundEntry[]): string {
  const first = unbound.slice(0, 5).map((u) => `entry ${u.seq} (${u.kind}, ${missingWords[u.missing]})`);
  return `${unbound.length} audit ${unbound.length === 1 ? 'entry names a member' : 'entries name a member'} without evidence that she made ${unbound.length === 1 ? 'it' : 'them'}: ${first.join('; ')}${unbound.length > first.length ? '; …' : ''}. Entries written before this version carry none; a later one was written by whoever holds the server's database login, not through a member's request.`;
}

const missingWords: Readonly<Record<MissingEvidence, string>> = {
  'no-session': 'no session',
  'unknown-session': 'a session no sign-in in the log started',
  'no-assertion': 'a signature without its WebAuthn assertion',
};
