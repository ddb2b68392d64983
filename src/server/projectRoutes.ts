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
import type { FastifyPluginAsync } from 'fastify';
import {
  type AuditFilter,
  actionsOf,
  addMemberRoute,
  changeMemberRoute,
  createProjectRoute,
  type FilteredAudit,
  listProjectsRoute,
  matchesAuditFilter,
  openProjectRoute,
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
import { personOf, projectAudit } from './access.ts';
import { readAudit } from './auditLog.ts';
import { type RouteServices, serveProjectRoute, serveServerRoute } from './contractRoute.ts';
import { decisionsByEntry } from './data/auditDecisions.ts';
import type { Queryable } from './database.ts';
import type { TransparencyLog } from './logService.ts';
import {
  addMember,
  changeMember,
  createProject,
  type Member,
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

/** What the project routes need of the server: its database, clock and transparency log. */
export interface ProjectRouteServices extends RouteServices {
  log: TransparencyLog;
}

/**
 * The project routes, a fastify plugin (contracts: src/core/teamApi/projects.ts): each names its
 * action in the role × action table; a change runs in one transaction that locks the project's row
 * first, with its audit entry; a name's, an end date's and a person's checks of the request alone
 * run before the membership check (the route's prepare step), so their refusals come first.
 */
export const projectRoutes: FastifyPluginAsync<ProjectRouteServices> = async (app, services) => {
  const { db, clock, log } = services;

  const memberView = async (q: Queryable, projectId: string, memberId: string): Promise<Member> => {
    const found = (await membersOf(q, projectId, clock())).find((m) => m.id === memberId);
    if (found === undefined) throw new ProjectRefusal(404, 'no such member of this project');
    return found;
  };

  serveServerRoute(app, services, {
    contract: listProjectsRoute,
    transaction: 'none',
    handler: async ({ tx, request }) => ({ projects: await projectsOf(tx, personOf(request), clock()) }),
  });

  serveServerRoute(app, services, {
    contract: createProjectRoute,
    transaction: 'change',
    handler: async ({ tx, body, request }) => {
      const name = projectName(body.name);
      const id = await createProject(tx, personOf(request), name, clock());
      await projectAudit(tx, request, clock(), 'project-created', { name }, id);
      return { project: { id, name, role: 'lead', expiresOn: null } };
    },
  });

  serveProjectRoute(app, services, {
    contract: openProjectRoute,
    action: 'read-project',
    transaction: 'none',
    handler: async ({ tx, projectId, me }) => {
      const [project, members] = await Promise.all([
        projectOf(tx, projectId),
        membersOf(tx, projectId, clock()),
      ]);
      return {
        id: projectId,
        ...project,
        role: me.role,
        expiresOn: me.expiresOn,
        can: actionsOf(me.role),
        members,
      };
    },
  });

  serveProjectRoute(app, services, {
    contract: renameProjectRoute,
    action: 'rename-project',
    transaction: 'change',
    prepare: (request) => projectName(request.body.name),
    handler: async ({ tx, projectId, audit, prepared: name }) => {
      const previousName = await renameProject(tx, projectId, name);
      await audit('project-renamed', { name, previousName });
      return { id: projectId, name };
    },
  });

  serveProjectRoute(app, services, {
    contract: addMemberRoute,
    refusalsRecorded: { about: 'role' },
    action: 'add-member',
    transaction: 'change',
    prepare: (request) => {
      const { subject, email } = request.body;
      if ((subject === undefined) === (email === undefined))
        throw new ProjectRefusal(
          400,
          'name the person to add by one of subject (their id at the identity provider) or email',
        );
      return endDate(request.body.expiresOn, clock());
    },
    handler: async ({ tx, projectId, body, request, audit, prepared: expiresOn }) => {
      const { subject, email, role } = body;
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
      await audit('member-added', {
        member: id,
        subject: person.subject,
        ...nameDetail(added),
        role,
        expiresOn: expiresOn ?? 'none',
      });
      return { member: added };
    },
  });

  serveProjectRoute(app, services, {
    contract: changeMemberRoute,
    refusalsRecorded: { about: 'role' },
    action: 'change-member',
    transaction: 'change',
    prepare: (request) => {
      const newEnd = request.body.expiresOn;
      return newEnd === undefined ? undefined : endDate(newEnd, clock());
    },
    handler: async ({ tx, projectId, params, body, audit, prepared: checkedEnd }) => {
      const { memberId } = params;
      const before = await memberOf(tx, projectId, memberId);
      const named = nameDetail(await memberView(tx, projectId, memberId));
      const after = {
        role: body.role ?? before.role,
        expiresOn: checkedEnd === undefined ? before.expiresOn : checkedEnd,
      };
      await changeMember(tx, projectId, memberId, after);
      const member = await memberView(tx, projectId, memberId);
      await audit('member-changed', {
        member: memberId,
        subject: before.subject,
        ...named,
        role: after.role,
        previousRole: before.role,
        expiresOn: after.expiresOn ?? 'none',
        previousExpiresOn: before.expiresOn ?? 'none',
      });
      return { member };
    },
  });

  serveProjectRoute(app, services, {
    contract: removeMemberRoute,
    refusalsRecorded: { about: 'role' },
    action: 'remove-member',
    transaction: 'change',
    handler: async ({ tx, projectId, params, audit }) => {
      const { memberId } = params;
      const before = await memberOf(tx, projectId, memberId);
      const named = nameDetail(await memberView(tx, projectId, memberId));
      await removeMember(tx, projectId, memberId);
      await audit('member-removed', {
        member: memberId,
        subject: before.subject,
        ...named,
        role: before.role,
      });
      return undefined;
    },
  });

  serveProjectRoute(app, services, {
    contract: projectAuditRoute,
    action: 'read-audit',
    transaction: 'change',
    // reading the log is itself recorded, and the export ends with that record: it is how a
    // project's history leaves the server, and how a verifier asking the server (its anchor)
    // knows the export was not cut short. The log is checked first, and the file carries the
    // head the server signs over it (transparencyLog.ts), stamped and kept after the commit
    handler: async ({ tx, projectId, query, request, audit, afterCommit }) => {
      const filter = Object.fromEntries(
        Object.entries(query).filter(([, v]) => v !== undefined),
      ) as AuditFilter;
      // the read names its filters (never their values: a subject or a record key is the lead's own search)
      await audit(
        'audit-exported',
        Object.keys(filter).length === 0 ? {} : { filteredBy: Object.keys(filter).join(',') },
      );
      const entries = await readAudit(tx, { project: projectId });
      const broken = firstBrokenProjectEntry(projectId, entries);
      if (broken !== undefined) {
        request.log.error({ project: projectId, entry: broken.index + 1 }, 'audit log chain broken');
        throw new ProjectRefusal(
          409,
          `the team server's audit log of this project is broken at entry ${broken.index + 1} (${broken.problem}): the server refuses to export it. Tell the clinic's administrator.`,
        );
      }
      // a filtered read is the lead's view of the checked log: the matching entries, no head or proofs
      if (Object.keys(filter).length > 0) {
        const view: ProjectAuditFile & FilteredAudit = {
          format: PROJECT_AUDIT_FORMAT,
          project: projectId,
          entries: entries.filter((e) => matchesAuditFilter(e, filter)),
          filter: { ...filter, total: entries.length },
        };
        return view;
      }
      // each decision beside the entry that records it: what the entry holds only as a hash
      const seqOf = new Map(entries.map((e) => [e.hash, e.projectSeq as number]));
      const decisions = (await decisionsByEntry(tx, projectId))
        .flatMap(({ auditHash, decision }) => {
          const projectSeq = seqOf.get(auditHash);
          return projectSeq === undefined ? [] : [{ projectSeq, decision }];
        })
        .sort((a, b) => a.projectSeq - b.projectSeq);
      const { head } = await log.headOf(tx, projectId, request.log);
      return afterCommit(async () => {
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
          ...(decisions.length === 0 ? {} : { decisions }),
        };
        return file;
      });
    },
  });
};
