/**
 * Moving people to a new issuer. A person is the provider's (issuer, subject): when a clinic moves
 * its provider to a new address (a new Keycloak host name, ADFS to Entra ID), everyone who signs
 * in afterwards is a new person with no projects. `preflight serve relink` plans, and on request
 * makes, the move of each person of the old issuer to the new one — by the same subject (the same
 * directory at a new address), or by an e-mail both providers vouched for (`email_verified`; a
 * new directory, where each person signs in once first).
 *
 * Constraints: what a person holds moves with them — memberships, signing keys and their
 * credentials, the projects they created, authorship of shared records and workflow changes,
 * invitations — in one transaction, with one `person-relinked` audit entry on the server and one
 * in the chain of each project they are on. The audit log is never rewritten: its entries keep
 * the identity people had when they acted, and the relink entries say which identity became
 * which. Columns that keep only a subject (who shared, named or confirmed something) are history
 * too and stay as they were. Sessions of the old identity end. A person whose new identity is
 * already on one of their projects is not moved (a conflict, said): two memberships cannot be
 * merged without choosing a role, and that is the lead's.
 */
import { appendAudit } from './auditLog.ts';
import type { Database, Queryable } from './database.ts';

/** How an old identity is matched to its new one. */
export const RELINK_MATCHES = ['sub', 'email_verified'] as const;
/** One of {@link RELINK_MATCHES}. */
export type RelinkMatch = (typeof RELINK_MATCHES)[number];

/** What to move. */
export interface RelinkRequest {
  fromIssuer: string;
  toIssuer: string;
  by: RelinkMatch;
}

/** A person the move would take, and where to. */
export interface RelinkMove {
  name: string;
  fromSubject: string;
  toSubject: string;
  /** the new identity has signed in already (its own record is merged into the old one's) */
  signedInThere: boolean;
  /** the projects they are on */
  projects: string[];
}

/** A person the move would leave where they are, and why. */
export interface RelinkSkip {
  name: string;
  fromSubject: string;
  reason: string;
}

/** What a relink does (or would do). */
export interface RelinkPlan extends RelinkRequest {
  moves: RelinkMove[];
  skipped: RelinkSkip[];
}

interface UserRow {
  subject: string;
  name: string;
  email: string | null;
  email_verified: boolean;
  [column: string]: unknown;
}

/** The people of the old issuer and where each would go; changes nothing. */
export async function planRelink(q: Queryable, request: RelinkRequest): Promise<RelinkPlan> {
  const { fromIssuer, toIssuer, by } = request;
  if (fromIssuer === toIssuer) throw new Error('the old and the new issuer are the same: nothing to move');
  const olds = await q.query<UserRow>(
    'SELECT subject, name, email, email_verified FROM users WHERE issuer = $1 ORDER BY name, subject',
    [fromIssuer],
  );
  const news = await q.query<UserRow>(
    'SELECT subject, name, email, email_verified FROM users WHERE issuer = $1',
    [toIssuer],
  );
  const newBySubject = new Set(news.map((n) => n.subject));
  const verifiedByEmail = new Map<string, string[]>();
  for (const n of news)
    if (n.email_verified && n.email !== null) {
      const key = n.email.toLowerCase();
      verifiedByEmail.set(key, [...(verifiedByEmail.get(key) ?? []), n.subject]);
    }
  const moves: RelinkMove[] = [];
  const skipped: RelinkSkip[] = [];
  for (const old of olds) {
    const skip = (reason: string) => skipped.push({ name: old.name, fromSubject: old.subject, reason });
    let toSubject: string;
    if (by === 'sub') toSubject = old.subject;
    else {
      if (!old.email_verified || old.email === null) {
        skip('the old provider did not vouch for an e-mail of theirs at their last sign-in');
        continue;
      }
      const matches = verifiedByEmail.get(old.email.toLowerCase()) ?? [];
      if (matches.length !== 1) {
        skip(
          matches.length === 0
            ? 'has not signed in with the new provider (with an e-mail it vouches for) yet'
            : 'several people of the new provider have this e-mail',
        );
        continue;
      }
      toSubject = matches[0] as string;
    }
    const projects = await projectsOfPerson(q, fromIssuer, old.subject);
    const both = await q.query<{ project_id: string }>(
      `SELECT project_id FROM project_members WHERE issuer = $1 AND subject = $2
       INTERSECT SELECT project_id FROM project_members WHERE issuer = $3 AND subject = $4`,
      [fromIssuer, old.subject, toIssuer, toSubject],
    );
    if (both.length > 0) {
      skip(
        `their new identity is already on ${both.length} of their projects: the lead removes one of the two memberships first`,
      );
      continue;
    }
    moves.push({
      name: old.name,
      fromSubject: old.subject,
      toSubject,
      signedInThere: newBySubject.has(toSubject),
      projects,
    });
  }
  return { ...request, moves, skipped };
}

async function projectsOfPerson(q: Queryable, issuer: string, subject: string): Promise<string[]> {
  const rows = await q.query<{ project_id: string }>(
    'SELECT project_id FROM project_members WHERE issuer = $1 AND subject = $2 ORDER BY project_id',
    [issuer, subject],
  );
  return rows.map((r) => r.project_id);
}

/** The columns that name a person as (issuer, subject), table by table. */
const PERSON_COLUMNS: readonly [table: string, issuer: string, subject: string][] = [
  ['project_members', 'issuer', 'subject'],
  ['projects', 'created_by_issuer', 'created_by_subject'],
  ['shared_workflow_changes', 'author_issuer', 'author_subject'],
  ['shared_records', 'written_by_issuer', 'written_by_subject'],
  ['credential_owners', 'issuer', 'subject'],
  ['signing_keys', 'issuer', 'subject'],
  ['invitations', 'created_by_issuer', 'created_by_subject'],
  ['invitations', 'redeemed_by_issuer', 'redeemed_by_subject'],
];

/**
 * Plans the move again inside one transaction and makes it, with its audit entries; returns what
 * was done. `now`: the server's clock.
 */
export function applyRelink(db: Database, request: RelinkRequest, now: number): Promise<RelinkPlan> {
  const { fromIssuer, toIssuer, by } = request;
  return db.transaction(async (tx) => {
    const plan = await planRelink(tx, request);
    for (const move of plan.moves) {
      const from = [fromIssuer, move.fromSubject];
      const to = [toIssuer, move.toSubject];
      if (move.signedInThere) {
        // the new identity's own record (as it signed in) stays, keeping the earlier first sign-in
        await tx.query(
          `UPDATE users SET first_sign_in_at = least(first_sign_in_at,
             (SELECT first_sign_in_at FROM users WHERE issuer = $3 AND subject = $4))
           WHERE issuer = $1 AND subject = $2`,
          [...to, ...from],
        );
        await tx.query('DELETE FROM users WHERE issuer = $1 AND subject = $2', from);
      } else
        await tx.query('UPDATE users SET issuer = $3, subject = $4 WHERE issuer = $1 AND subject = $2', [
          ...from,
          ...to,
        ]);
      for (const [table, issuer, subject] of PERSON_COLUMNS)
        await tx.query(
          `UPDATE ${table} SET ${issuer} = $3, ${subject} = $4 WHERE ${issuer} = $1 AND ${subject} = $2`,
          [...from, ...to],
        );
      await tx.query('DELETE FROM sessions WHERE issuer = $1 AND subject = $2', from);
      const detail = {
        fromIssuer,
        fromSubject: move.fromSubject,
        toIssuer,
        toSubject: move.toSubject,
        by,
        name: move.name,
      };
      await appendAudit(tx, { at: now, kind: 'person-relinked', actor: null, detail });
      for (const project of move.projects)
        await appendAudit(tx, {
          at: now,
          kind: 'person-relinked',
          actor: null,
          detail: { project, ...detail },
        });
    }
    return plan;
  });
}
