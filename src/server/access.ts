/**
 * Who asks, and whether they may: the signed-in person of a request, their membership of a
 * project checked against the role × action table (src/core/teamRoles), and the audit entry a
 * change leaves in that project's chain. Every project route reaches these through its contract
 * (contractRoute.ts `serveProjectRoute`), the change stream's (projectEvents.ts) among them.
 *
 * Constraint: a person who is not a current member gets the same 404 as for a project that does
 * not exist (`project-not-open`), so a project's existence is not given away.
 */
import type { FastifyRequest } from 'fastify';
import { ACTION_WORDS, mayDo, type ProjectAction } from '../core/teamRoles/index.ts';
import { sessionEvidence } from './auditEvidence.ts';
import { type AuditActor, appendAudit, type ServerAuditEntry, type ServerAuditKind } from './auditLog.ts';
import type { Queryable } from './database.ts';
import { type Membership, membershipOf, ProjectRefusal, projectNotOpen } from './projects.ts';
import type { Session } from './sessions.ts';

interface ProjectParams {
  projectId: string;
}

/** The signed-in person of a request past the session check (every project route). */
export const personOf = (request: FastifyRequest): Session['user'] => (request.session as Session).user;
/** The person as an audit entry names them. */
export const actorOf = (request: FastifyRequest): AuditActor => {
  const { issuer, subject, name } = personOf(request);
  return { issuer, subject, name };
};

/** The evidence an entry made for the request's signed-in person carries (auditEvidence.ts). */
export const evidenceOf = (request: FastifyRequest): Record<string, string> =>
  sessionEvidence(request.session as Session);

/**
 * The one way a route records what it did: an entry of `kind` in the project's chain of the
 * audit log, by the request's signed-in person at `at` (the server's clock), with `detail` after
 * the project's id. It runs in `tx`, the transaction of the change it records, so both commit or
 * neither does. The project is the route's `:projectId` unless named (a project just created).
 */
export function projectAudit(
  tx: Queryable,
  request: FastifyRequest,
  at: number,
  kind: ServerAuditKind,
  detail: Record<string, string> = {},
  project: string | undefined = (request.params as Partial<ProjectParams> | undefined)?.projectId,
): Promise<ServerAuditEntry> {
  if (project === undefined) throw new Error(`an audit entry (${kind}) names no project`);
  return appendAudit(tx, {
    at,
    kind,
    actor: actorOf(request),
    detail: { project, ...detail, ...evidenceOf(request) },
  });
}

/**
 * The caller's current membership of `projectId`, or the refusal the role × action table gives:
 * 404 to anyone who is not a current member, 403 to a role without `action`. With `lock`, the
 * project's row is locked for the rest of the transaction first.
 */
export async function requireAction(
  q: Queryable,
  request: FastifyRequest,
  projectId: string,
  action: ProjectAction,
  now: number,
  lock: boolean,
): Promise<Membership> {
  const membership = await membershipOf(q, personOf(request), projectId, now, { lock });
  if (membership === undefined) throw projectNotOpen();
  if (!mayDo(membership.role, action))
    throw new ProjectRefusal(
      403,
      `your role on this project (${membership.role}) cannot ${ACTION_WORDS[action]}: ask the project’s lead`,
    );
  return membership;
}
