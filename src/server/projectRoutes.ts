/**
 * The project routes: create and list projects, open one, rename it, and manage its roster
 * (add, change, remove members), and read its audit log. Each route names its action in the
 * role × action table (src/core/teamRoles) and asks it before doing anything; a person who is not a
 * current member gets 404, as if the project did not exist, marked `project-not-open` (projects.ts).
 *
 * Constraints: the caller's membership is read in the same transaction as the change it allows,
 * after locking the project's row, so a member removed a moment ago cannot slip a change in; each
 * change and its audit entry commit together or not at all. Each route is registered from its
 * contract (src/core/teamApi/projects.ts), whose schemas fastify checks before the route runs
 * (unknown fields refused, strings bounded).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  actionsOf,
  addMemberRoute,
  changeMemberRoute,
  createProjectRoute,
  listProjectsRoute,
  openProjectRoute,
  type ProjectAction,
  projectAuditRoute,
  removeMemberRoute,
  renameProjectRoute,
} from '../core/teamApi/index.ts';
import { proofsOfRecords } from '../core/transparency/index.ts';
import {
  firstBrokenProjectEntry,
  PROJECT_AUDIT_FORMAT,
  type ProjectAuditFile,
} from '../formats/projectAudit.ts';
import { actorOf, personOf, projectAudit, requireAction } from './access.ts';
import { readAudit, type ServerAuditKind } from './auditLog.ts';
import { serveRoute } from './contractRoute.ts';
import type { Database, Queryable } from './database.ts';
import type { TransparencyLog } from './logService.ts';
import {
  addMember,
  changeMember,
  createProject,
  type Member,
  type Membership,
  memberOf,
  membersOf,
  type Person,
  ProjectRefusal,
  personByEmail,
  projectOf,
  projectsOf,
  removeMember,
  renameProject,
  today,
} from './projects.ts';
import { exportedLogKey } from './transparencyLog.ts';

/** Who asks and whether they may, where route files have long imported them from. */
export { actorOf, personOf, projectAudit, requireAction };

/**
 * Why an e-mail cannot add someone, in a lead's words, each with what to do instead. An e-mail
 * binds a seat only when the clinic's sign-in service vouched for it: otherwise whoever typed it
 * into their account first would get the seat meant for the person.
 */
export const EMAIL_REFUSALS = {
  nobody:
    'nobody with this e-mail has signed in to this server yet: use “Invite someone” and send them the link, or ask them to sign in once and add them again',
  unverified:
    'the clinic’s sign-in service has not confirmed that this e-mail belongs to the person who signed in with it, so it cannot show who they are: use “Invite someone” and send the link to the person you mean',
  several:
    'more than one person signed in with this e-mail: use “Invite someone” and send the link to the person you mean',
} as const;

/**
 * The member's name as they last signed in, for an audit entry about them: the log then reads as
 * people, also once they have left the roster. Absent for someone who has not signed in yet.
 */
const nameDetail = (member: Member): { memberName?: string } =>
  member.name === null ? {} : { memberName: member.name };

/** A project name as kept: trimmed, with something in it and no control characters. */
function projectName(raw: string): string {
  const name = raw.trim();
  if (name === '' || CONTROL.test(name))
    throw new ProjectRefusal(400, 'a project’s name must have letters in it and fit on one line');
  return name;
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * An end date as kept: a real calendar day after today, or null for none. `instead` ends the
 * refusal of a day already past: what the person can do instead.
 */
export function endDate(
  raw: string | null | undefined,
  now: number,
  instead = 'give a later date, or remove the member',
): string | null {
  if (raw === undefined || raw === null) return null;
  const day = new Date(`${raw}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== raw)
    throw new ProjectRefusal(400, 'expiresOn must be a calendar date, YYYY-MM-DD');
  if (raw <= today(now))
    throw new ProjectRefusal(422, `an end date today or earlier would end this access at once: ${instead}`);
  return raw;
}

/** The project routes on `app`, over `db`, with the server's clock (contracts: src/core/teamApi/projects.ts). */
export function registerProjectRoutes(
  app: FastifyInstance,
  db: Database,
  clock: () => number,
  log: TransparencyLog,
): void {
  const allowed = (
    q: Queryable,
    request: FastifyRequest,
    projectId: string,
    action: ProjectAction,
    lock: boolean,
  ): Promise<Membership> => requireAction(q, request, projectId, action, clock(), lock);

  /** Runs a change the caller's role must allow in `projectId`, and its audit entry, in one transaction. */
  function change<T>(
    request: FastifyRequest,
    projectId: string,
    action: ProjectAction,
    work: (tx: Queryable) => Promise<{ result: T; kind: ServerAuditKind; detail: Record<string, string> }>,
  ): Promise<T> {
    return db.transaction(async (tx) => {
      await allowed(tx, request, projectId, action, true);
      const { result, kind, detail } = await work(tx);
      await projectAudit(tx, request, clock(), kind, detail, projectId);
      return result;
    });
  }

  const memberView = async (q: Queryable, projectId: string, memberId: string): Promise<Member> => {
    const found = (await membersOf(q, projectId, clock())).find((m) => m.id === memberId);
    if (found === undefined) throw new ProjectRefusal(404, 'no such member of this project');
    return found;
  };

  serveRoute(app, listProjectsRoute, async (request) => ({
    projects: await projectsOf(db, personOf(request), clock()),
  }));

  serveRoute(app, createProjectRoute, async (request) => {
    const name = projectName(request.body.name);
    const user = personOf(request);
    const id = await db.transaction(async (tx) => {
      const created = await createProject(tx, user, name, clock());
      await projectAudit(tx, request, clock(), 'project-created', { name }, created);
      return created;
    });
    return { project: { id, name, role: 'lead', expiresOn: null } };
  });

  serveRoute(app, openProjectRoute, async (request) => {
    const { projectId } = request.params;
    const me = await allowed(db, request, projectId, 'read-project', false);
    const [project, members] = await Promise.all([
      projectOf(db, projectId),
      membersOf(db, projectId, clock()),
    ]);
    return {
      id: projectId,
      ...project,
      role: me.role,
      expiresOn: me.expiresOn,
      can: actionsOf(me.role),
      members,
    };
  });

  serveRoute(app, renameProjectRoute, async (request) => {
    const { projectId } = request.params;
    const name = projectName(request.body.name);
    await change(request, projectId, 'rename-project', async (tx) => {
      const previousName = await renameProject(tx, projectId, name);
      return { result: undefined, kind: 'project-renamed', detail: { name, previousName } };
    });
    return { id: projectId, name };
  });

  serveRoute(app, addMemberRoute, async (request) => {
    const { subject, email, role } = request.body;
    if ((subject === undefined) === (email === undefined))
      throw new ProjectRefusal(
        400,
        'name the person to add by one of subject (their id at the identity provider) or email',
      );
    const expiresOn = endDate(request.body.expiresOn, clock());
    const { projectId } = request.params;
    const member = await change(request, projectId, 'add-member', async (tx) => {
      const { issuer } = personOf(request);
      let person: Person;
      if (subject !== undefined) person = { issuer, subject };
      else {
        const match = await personByEmail(tx, issuer, email as string);
        if (match.found === undefined) throw new ProjectRefusal(422, EMAIL_REFUSALS[match.reason]);
        person = match.found;
      }
      const id = await addMember(tx, projectId, person, role, expiresOn, clock());
      const added = await memberView(tx, projectId, id);
      return {
        result: added,
        kind: 'member-added',
        detail: {
          member: id,
          subject: person.subject,
          ...nameDetail(added),
          role,
          expiresOn: expiresOn ?? 'none',
        },
      };
    });
    return { member };
  });

  serveRoute(app, changeMemberRoute, async (request) => {
    const { projectId, memberId } = request.params;
    const newEnd = request.body.expiresOn;
    const checkedEnd = newEnd === undefined ? undefined : endDate(newEnd, clock());
    const member = await change(request, projectId, 'change-member', async (tx) => {
      const before = await memberOf(tx, projectId, memberId);
      const named = nameDetail(await memberView(tx, projectId, memberId));
      const after = {
        role: request.body.role ?? before.role,
        expiresOn: checkedEnd === undefined ? before.expiresOn : checkedEnd,
      };
      await changeMember(tx, projectId, memberId, after);
      return {
        result: await memberView(tx, projectId, memberId),
        kind: 'member-changed',
        detail: {
          member: memberId,
          subject: before.subject,
          ...named,
          role: after.role,
          previousRole: before.role,
          expiresOn: after.expiresOn ?? 'none',
          previousExpiresOn: before.expiresOn ?? 'none',
        },
      };
    });
    return { member };
  });

  serveRoute(app, removeMemberRoute, async (request) => {
    const { projectId, memberId } = request.params;
    await change(request, projectId, 'remove-member', async (tx) => {
      const before = await memberOf(tx, projectId, memberId);
      const named = nameDetail(await memberView(tx, projectId, memberId));
      await removeMember(tx, projectId, memberId);
      return {
        result: undefined,
        kind: 'member-removed',
        detail: { member: memberId, subject: before.subject, ...named, role: before.role },
      };
    });
    return undefined;
  });

  serveRoute(app, projectAuditRoute, async (request) => {
    const { projectId } = request.params;
    // reading the log is itself recorded, and the export ends with that record: it is how a
    // project's history leaves the server, and how a verifier asking the server (its anchor)
    // knows the export was not cut short. The log is checked first, and the file carries the
    // head the server signs over it (transparencyLog.ts)
    const { entries, head } = await db.transaction(async (tx) => {
      await allowed(tx, request, projectId, 'read-audit', true);
      await projectAudit(tx, request, clock(), 'audit-exported', {}, projectId);
      const entries = await readAudit(tx, { project: projectId });
      const broken = firstBrokenProjectEntry(projectId, entries);
      if (broken !== undefined) {
        request.log.error({ project: projectId, entry: broken.index + 1 }, 'audit log chain broken');
        throw new ProjectRefusal(
          409,
          `the team server's audit log of this project is broken at entry ${broken.index + 1} (${broken.problem}): the server refuses to export it. Tell the clinic's administrator.`,
        );
      }
      return { entries, head: (await log.headOf(tx, projectId, request.log)).head };
    });
    const kept = await log.kept(db, head, request.log);
    const last = entries[entries.length - 1] as (typeof entries)[number];
    const file: ProjectAuditFile = {
      format: PROJECT_AUDIT_FORMAT,
      project: projectId,
      entries,
      head: { projectSeq: last.projectSeq as number, hash: last.hash, at: last.at },
      treeHead: kept,
      logKey: exportedLogKey(log.signer),
      inclusionProofs: proofsOfRecords(entries),
    };
    return file;
  });
}
