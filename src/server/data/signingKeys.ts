/**
 * The signing keys' tables (`signing_keys`, `credential_owners`, `signing_challenges`) and a
 * project's signing idle time: the SQL the signing routes (signingRoutes.ts) run, each function
 * over the transaction of the route that calls it.
 *
 * Constraints: one authenticator credential serves one person on this server (its owner's row is
 * locked while a registration reads it); who confirmed or revoked a key is read from the audit
 * entry that did it, so the log stays the record; a challenge is used once (taken by deleting it).
 */
import type { PublicKeyJwk } from '../../core/signoff/signing/index.ts';
import type { ServerAuditKind } from '../auditLog.ts';
import type { Queryable } from '../database.ts';

/** How long a registration's or a signing's challenge may wait for the browser's answer. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

/** A project's signing idle time when its lead has set none (minutes). */
export const DEFAULT_SIGNING_IDLE_MINUTES = 15;

/** What a challenge is for: registering a key, or signing with one. */
export type ChallengePurpose = 'register' | 'sign';

/** A person, as the identity provider names them. */
type Person = { issuer: string; subject: string };

/** A signing key as stored, with its owner's name and who confirmed or revoked it. */
export type KeyRow = {
  id: string;
  issuer: string;
  subject: string;
  name: string | null;
  credential_id: string;
  algorithm: number;
  public_key_jwk: PublicKeyJwk;
  public_key_cose: string;
  sign_count: string | number;
  registered_at: Date | string;
  confirmed_at: Date | string | null;
  revoked_at: Date | string | null;
  revoked_reason: string | null;
  confirmed_by: string | null;
  revoked_by: string | null;
};

// who confirmed or revoked a key is read from the audit entry that did it: the log is the record
const changedBy = (kind: ServerAuditKind) =>
  `(SELECT a.actor->>'name' FROM audit_log a WHERE a.project = k.project_id AND a.kind = '${kind}'
    AND a.detail->>'key' = k.id ORDER BY a.seq DESC LIMIT 1)`;
const KEY_COLUMNS = `k.id, k.issuer, k.subject, u.name, k.credential_id, k.algorithm, k.public_key_jwk,
  k.public_key_cose, k.sign_count, k.registered_at, k.confirmed_at, k.revoked_at, k.revoked_reason,
  ${changedBy('signing-key-confirmed')} AS confirmed_by, ${changedBy('signing-key-revoked')} AS revoked_by`;

/** The project's keys that also meet `where` (a fixed fragment over `$2`…, never a request's text). */
function keysWhere(q: Queryable, projectId: string, where = '', args: unknown[] = []): Promise<KeyRow[]> {
  return q.query<KeyRow>(
    `SELECT ${KEY_COLUMNS} FROM signing_keys k
     LEFT JOIN users u ON u.issuer = k.issuer AND u.subject = k.subject
     WHERE k.project_id = $1 ${where} ORDER BY k.registered_at, k.id`,
    [projectId, ...args],
  );
}

/** Every key on the project's roster, oldest first. */
export const keysOf = (q: Queryable, projectId: string): Promise<KeyRow[]> => keysWhere(q, projectId);

/** The keys `person` registered on the project, whatever their state. */
export const keysOfPerson = (q: Queryable, projectId: string, person: Person): Promise<KeyRow[]> =>
  keysWhere(q, projectId, 'AND k.issuer = $2 AND k.subject = $3', [person.issuer, person.subject]);

/** The keys `person` may sign with on the project: confirmed and not revoked. */
export const signingKeysOfPerson = (q: Queryable, projectId: string, person: Person): Promise<KeyRow[]> =>
  keysWhere(
    q,
    projectId,
    'AND k.issuer = $2 AND k.subject = $3 AND k.confirmed_at IS NOT NULL AND k.revoked_at IS NULL',
    [person.issuer, person.subject],
  );

/** The project's keys of authenticator credential `credentialId` (one at most). */
export const keysWithCredential = (
  q: Queryable,
  projectId: string,
  credentialId: string,
): Promise<KeyRow[]> => keysWhere(q, projectId, 'AND k.credential_id = $2', [credentialId]);

/** `person`'s key of credential `credentialId` on the project, if she registered it there. */
export async function personsKeyWithCredential(
  q: Queryable,
  projectId: string,
  credentialId: string,
  person: Person,
): Promise<KeyRow | undefined> {
  const [key] = await keysWhere(
    q,
    projectId,
    'AND k.credential_id = $2 AND k.issuer = $3 AND k.subject = $4',
    [credentialId, person.issuer, person.subject],
  );
  return key;
}

/** Key `keyId` of the project, if there is one. */
export async function keyOf(q: Queryable, projectId: string, keyId: string): Promise<KeyRow | undefined> {
  const [key] = await keysWhere(q, projectId, 'AND k.id = $2', [keyId]);
  return key;
}

/** The public key of signing key `keyId` as its registration stored it. */
export async function publicKeyOf(
  q: Queryable,
  keyId: string | undefined,
): Promise<PublicKeyJwk | undefined> {
  if (keyId === undefined) return undefined;
  const [row] = await q.query<{ public_key_jwk: unknown }>(
    'SELECT public_key_jwk FROM signing_keys WHERE id = $1',
    [keyId],
  );
  if (row === undefined) return undefined;
  const jwk = row.public_key_jwk;
  return (typeof jwk === 'string' ? JSON.parse(jwk) : jwk) as PublicKeyJwk;
}

/**
 * Who owns authenticator credential `credentialId` on this server, her row locked until the
 * transaction ends (two registrations of one credential are decided one after the other).
 */
export async function credentialOwnerForUpdate(
  tx: Queryable,
  credentialId: string,
): Promise<Person | undefined> {
  const owners = await tx.query<Person>(
    'SELECT issuer, subject FROM credential_owners WHERE credential_id = $1 FOR UPDATE',
    [credentialId],
  );
  return owners[0];
}

/** Records `person` as the owner of authenticator credential `credentialId`. */
export async function addCredentialOwner(tx: Queryable, credentialId: string, person: Person): Promise<void> {
  await tx.query('INSERT INTO credential_owners (credential_id, issuer, subject) VALUES ($1, $2, $3)', [
    credentialId,
    person.issuer,
    person.subject,
  ]);
}

/** Adds key `key.id` to the project's roster, awaiting confirmation. */
export async function insertKey(
  tx: Queryable,
  key: {
    id: string;
    projectId: string;
    owner: Person;
    credentialId: string;
    algorithm: number;
    publicKeyJwk: PublicKeyJwk;
    /** the COSE public key, base64url */
    publicKeyCose: string;
    signCount: number;
    registeredAt: string;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO signing_keys (id, project_id, issuer, subject, credential_id, algorithm, public_key_jwk,
         public_key_cose, sign_count, registered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      key.id,
      key.projectId,
      key.owner.issuer,
      key.owner.subject,
      key.credentialId,
      key.algorithm,
      JSON.stringify(key.publicKeyJwk),
      key.publicKeyCose,
      key.signCount,
      key.registeredAt,
    ],
  );
}

/** Marks key `keyId` of the project confirmed at `at` by the person of subject `bySubject`. */
export async function confirmKey(
  tx: Queryable,
  projectId: string,
  keyId: string,
  at: string,
  bySubject: string,
): Promise<void> {
  await tx.query(
    'UPDATE signing_keys SET confirmed_at = $3, confirmed_by_subject = $4 WHERE project_id = $1 AND id = $2',
    [projectId, keyId, at, bySubject],
  );
}

/** Marks key `keyId` of the project revoked at `at`, for `reason`. */
export async function revokeKey(
  tx: Queryable,
  projectId: string,
  keyId: string,
  at: string,
  reason: string | undefined,
): Promise<void> {
  await tx.query(
    'UPDATE signing_keys SET revoked_at = $3, revoked_reason = $4 WHERE project_id = $1 AND id = $2',
    [projectId, keyId, at, reason],
  );
}

/** Keeps the authenticator's signature counter of key `keyId` after a verified assertion. */
export async function setSignCount(tx: Queryable, keyId: string, signCount: number): Promise<void> {
  await tx.query('UPDATE signing_keys SET sign_count = $2 WHERE id = $1', [keyId, signCount]);
}

/** Issues `challenge` to the session for `purpose` on the project, replacing one issued before. */
export async function issueChallenge(
  tx: Queryable,
  to: { sessionHash: string; projectId: string; purpose: ChallengePurpose },
  challenge: string,
  now: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO signing_challenges (session_hash, project_id, purpose, challenge, issued_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (session_hash, project_id, purpose) DO UPDATE SET challenge = $4, issued_at = $5`,
    [to.sessionHash, to.projectId, to.purpose, challenge, new Date(now).toISOString()],
  );
}

/**
 * The session's challenge for `purpose` on the project, used up now; undefined when none was
 * issued or it waited more than {@link CHALLENGE_TTL_MS}.
 */
export async function takeChallenge(
  tx: Queryable,
  of: { sessionHash: string; projectId: string; purpose: ChallengePurpose },
  now: number,
): Promise<string | undefined> {
  const rows = await tx.query<{ challenge: string; issued_at: Date | string }>(
    `DELETE FROM signing_challenges WHERE session_hash = $1 AND project_id = $2 AND purpose = $3
       RETURNING challenge, issued_at`,
    [of.sessionHash, of.projectId, of.purpose],
  );
  const row = rows[0];
  if (row === undefined || now - new Date(row.issued_at).getTime() > CHALLENGE_TTL_MS) return undefined;
  return row.challenge;
}

/** The project's signing idle time in minutes ({@link DEFAULT_SIGNING_IDLE_MINUTES} when unset). */
export async function signingIdleMinutes(q: Queryable, projectId: string): Promise<number> {
  const rows = await q.query<{ m: number }>('SELECT signing_idle_minutes AS m FROM projects WHERE id = $1', [
    projectId,
  ]);
  return rows[0]?.m ?? DEFAULT_SIGNING_IDLE_MINUTES;
}

/** Sets the project's signing idle time (minutes). */
export async function setSigningIdleMinutes(
  tx: Queryable,
  projectId: string,
  minutes: number,
): Promise<void> {
  await tx.query('UPDATE projects SET signing_idle_minutes = $2 WHERE id = $1', [projectId, minutes]);
}
