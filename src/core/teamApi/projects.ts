/**
 * A team project and its roster on the team server: the signed-in person's projects, making one,
 * opening one (what their role may do in it and who is on it), renaming it, adding, changing and
 * removing members, and its audit log as the file `preflight check` verifies.
 *
 * Constraints: the server checks every change against the role × action table (src/core/teamRoles)
 * after these schemas; a name is trimmed and refused with control characters there, an end date
 * refused when not a calendar day after today. The schemas keep the keywords the routes always had
 * (`enum` for a role, `anyOf` for a date or null), so a refusal reads as it always did. These
 * routes carry project names, people and roles only, never record content.
 */
import { type Static, Type } from 'typebox';
import type { ProjectAuditFile, ServerAuditRecord } from '../../formats/projectAudit.ts';
import { ROLES } from '../teamRoles/index.ts';
import { MAX_PROJECT_ID, ProjectParams } from './common.ts';
import { defineRoute } from './route.ts';

/** The longest project name accepted. */
export const MAX_PROJECT_NAME = 200;
/** The longest subject or e-mail accepted when adding a member. */
const MAX_IDENTIFIER = 320;

/** A role of a go-live team, as a request names it. */
export const RoleSchema = Type.Enum(ROLES, { type: 'string' });
/** A day (YYYY-MM-DD) access ends on, or null for none; the server checks it is a real day after today. */
export const EndDateSchema = Type.Union([
  Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
  Type.Null(),
]);
/** A member named in a path: the membership's own id. */
const MemberParams = Type.Object({
  ...ProjectParams.properties,
  memberId: Type.String({ maxLength: MAX_PROJECT_ID }),
});
const NameBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: MAX_PROJECT_NAME }) },
  { additionalProperties: false },
);
const Nullable = Type.Union([Type.String(), Type.Null()]);

/** A project as one of its members sees it in their list. */
export const ProjectSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  /** the last day of the person's access (YYYY-MM-DD), or null */
  expiresOn: Nullable,
});
/** A project as one of its members sees it in their list. */
export type ProjectSummary = Static<typeof ProjectSummarySchema>;

/** One member of a project, as the roster shows them. */
export const ProjectMemberSchema = Type.Object({
  /** the membership's own id (routes name a member by it, never by e-mail) */
  id: Type.String(),
  subject: Type.String(),
  /** as they last signed in; null until they first sign in here */
  name: Nullable,
  email: Nullable,
  role: RoleSchema,
  /** the first day they no longer have access (YYYY-MM-DD), or null for no end date */
  expiresOn: Nullable,
  /** past the end date: kept on the roster so the lead can renew or remove them */
  expired: Type.Boolean(),
});
/** One member of a project, as the roster shows them. */
export type ProjectMember = Static<typeof ProjectMemberSchema>;

/** A project as a member opens it: what their role may do in it (`can`) and its roster. */
export const OpenProjectSchema = Type.Object({
  ...ProjectSummarySchema.properties,
  createdAt: Type.String(),
  /**
   * the actions of the role × action table the person's role may take (`ProjectAction`s; read as
   * words, so an app older than its server passes over one it does not know)
   */
  can: Type.Array(Type.String()),
  members: Type.Array(ProjectMemberSchema),
});
/** A project as a member opens it. */
export type OpenProject = Static<typeof OpenProjectSchema>;

/** `GET /api/projects`: the projects the signed-in person is a current member of. */
export const listProjectsRoute = defineRoute({
  method: 'GET',
  path: '/api/projects',
  answer: Type.Object({ projects: Type.Array(ProjectSummarySchema) }),
});

/** `POST /api/projects`: makes a project; its maker is its lead. */
export const createProjectRoute = defineRoute({
  method: 'POST',
  path: '/api/projects',
  status: 201,
  body: NameBody,
  answer: Type.Object({ project: ProjectSummarySchema }),
});

/** `GET /api/projects/:projectId`: the project, what the person may do in it, and its roster. */
export const openProjectRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId',
  params: ProjectParams,
  answer: OpenProjectSchema,
});

/** `PATCH /api/projects/:projectId`: renames it; the answer's name is as kept (trimmed). */
export const renameProjectRoute = defineRoute({
  method: 'PATCH',
  path: '/api/projects/:projectId',
  params: ProjectParams,
  body: NameBody,
  answer: Type.Object({ id: Type.String(), name: Type.String() }),
});

/** `POST /api/projects/:projectId/members`: adds someone by exactly one of subject or e-mail. */
export const addMemberRoute = defineRoute({
  method: 'POST',
  path: '/api/projects/:projectId/members',
  status: 201,
  params: ProjectParams,
  body: Type.Object(
    {
      subject: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_IDENTIFIER })),
      email: Type.Optional(Type.String({ minLength: 3, maxLength: MAX_IDENTIFIER })),
      role: RoleSchema,
      expiresOn: Type.Optional(EndDateSchema),
    },
    { additionalProperties: false },
  ),
  answer: Type.Object({ member: ProjectMemberSchema }),
});

/** `PATCH /api/projects/:projectId/members/:memberId`: a member's role or end date (or both). */
export const changeMemberRoute = defineRoute({
  method: 'PATCH',
  path: '/api/projects/:projectId/members/:memberId',
  params: MemberParams,
  body: Type.Object(
    { role: Type.Optional(RoleSchema), expiresOn: Type.Optional(EndDateSchema) },
    { additionalProperties: false, minProperties: 1 },
  ),
  answer: Type.Object({ member: ProjectMemberSchema }),
});

/** `DELETE /api/projects/:projectId/members/:memberId`: removes a member. */
export const removeMemberRoute = defineRoute({
  method: 'DELETE',
  path: '/api/projects/:projectId/members/:memberId',
  status: 204,
  params: MemberParams,
  answer: Type.Undefined(),
});

/** The longest value of one filter of the audit log's read (a kind, a subject, a record). */
const MAX_AUDIT_FILTER = 320;

/**
 * The lead's filters of the audit log's read, each optional: entries of one `kind`; by or about
 * one `person` (the identity provider's subject: the one who acted, or the member an entry is
 * about); about one `record` (its position in a review, or its key).
 */
export const AuditFilterQuery = Type.Object(
  {
    kind: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    person: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_AUDIT_FILTER })),
    record: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_AUDIT_FILTER })),
  },
  { additionalProperties: false },
);
/** The lead's filters of the audit log's read. */
export type AuditFilter = Static<typeof AuditFilterQuery>;

/**
 * Whether `entry` passes `filter` (each filter given must hold): its kind; the person who acted
 * or the member it is about (`detail.subject`); the record by its position in a review
 * (`detail.record`) or its key (`detail.recordKey`).
 */
export function matchesAuditFilter(entry: ServerAuditRecord, filter: AuditFilter): boolean {
  const d = entry.detail;
  return (
    (filter.kind === undefined || entry.kind === filter.kind) &&
    (filter.person === undefined || entry.actor?.subject === filter.person || d.subject === filter.person) &&
    (filter.record === undefined || d.record === filter.record || d.recordKey === filter.record)
  );
}

/**
 * A filtered read: the filters as the server applied them and how many entries the whole log
 * holds. Such an answer is a view for the lead, not an export: it carries no head, signed tree
 * head or proofs (the entries are not a whole chain), and the app never saves it as the log.
 */
export interface FilteredAudit {
  filter: AuditFilter & { total: number };
}

/**
 * `GET /api/projects/:projectId/audit`: the project's audit log (the read is recorded in it
 * first); with any filter of {@link AuditFilterQuery}, only the entries that match, in order.
 */
export const projectAuditRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/audit',
  params: ProjectParams,
  query: AuditFilterQuery,
  answer: Type.Unsafe<ProjectAuditFile & Partial<FilteredAudit>>({ type: 'object' }),
});
