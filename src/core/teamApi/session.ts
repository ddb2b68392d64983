/**
 * The session's routes: whether a team server serves the app and who is signed in
 * (`GET /api/session`, answered to anyone), who the signed-in person is (`GET /api/me`), signing
 * out, and the health check the clinic's monitors ask.
 *
 * Constraint: the session answer names the person and their CSRF token only to the holder of the
 * session's cookie; the app believes it only when it carries {@link SESSION_FORMAT} (a web server
 * other than the team server answers the same address with the app's page).
 */
import { type Static, Type } from 'typebox';
import { defineRoute } from './route.ts';

/** The format tag of the session answer, which the app checks before believing it. */
export const SESSION_FORMAT = 'preflight.session/v1';

/** Who is signed in, as the clinic's identity provider named them. */
export const TeamUserSchema = Type.Object({
  issuer: Type.String(),
  subject: Type.String(),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
});
/** Who is signed in (the server's session user, the app's signed-in person). */
export type TeamUser = Static<typeof TeamUserSchema>;

/** `GET /api/session`: served by a team server? sign-in set up? who is signed in? */
export const sessionRoute = defineRoute({
  method: 'GET',
  path: '/api/session',
  answer: Type.Object({
    format: Type.Literal(SESSION_FORMAT),
    signInAvailable: Type.Boolean(),
    user: Type.Union([TeamUserSchema, Type.Null()]),
    /** present when someone is signed in */
    csrfToken: Type.Optional(Type.String()),
  }),
});

/** `GET /api/me`: the signed-in person and their session's CSRF token. */
export const meRoute = defineRoute({
  method: 'GET',
  path: '/api/me',
  answer: Type.Object({ ...TeamUserSchema.properties, csrfToken: Type.String() }),
});

/** `POST /api/logout`: ends the session (its cookie is cleared). */
export const signOutRoute = defineRoute({
  method: 'POST',
  path: '/api/logout',
  status: 204,
  answer: Type.Undefined(),
});

/**
 * The marks of the causes that refuse every change on the server (its clock past the audit log's
 * bound, its database's disk full, its database read-only or out of reach): the `code` of a 503
 * refusal and of `/api/health`'s `writesRefused`. The app keeps a change refused so and sends it
 * again; nothing about the change itself was wrong.
 */
export const WRITE_REFUSAL_CODES = [
  'server-clock-ahead',
  'disk-full',
  'database-read-only',
  'database-unreachable',
] as const;
/** One of {@link WRITE_REFUSAL_CODES}. */
export type WriteRefusalCode = (typeof WRITE_REFUSAL_CODES)[number];

/** Why the server cannot save now, as `/api/health` tells it with its 503. */
const WritesRefusedSchema = Type.Object({
  /** a stable mark: `server-clock-ahead`, `disk-full`, `database-read-only`, `database-unreachable` */
  code: Type.String(),
  /** in words for the clinic's IT: the cause, the database, and what to do */
  message: Type.String(),
  /** when writes were first refused for this cause (ISO time) */
  since: Type.String(),
});

/** What `/api/health` answers, in service (200) or out of it (503). */
const HealthSchema = Type.Object({
  /**
   * `audit-log-changed`: the server's own check found a project's log changed after it signed it;
   * `writes-refused`: every change would be refused now (answered with 503, see `writesRefused`)
   */
  status: Type.Enum(['ok', 'audit-log-changed', 'writes-refused']),
  /** the storage engine: the embedded database or PostgreSQL */
  database: Type.Enum(['embedded', 'postgres']),
  /** what is not set up safely, in words for the clinic's IT; absent when all is */
  warnings: Type.Optional(Type.Array(Type.String())),
  /**
   * the server's clock and its database's, when more than a minute apart (also said in
   * `warnings` as `server-clock-apart`): ISO times and the server's lead in milliseconds
   * (negative: behind); `changesRefused` when past the audit log's bound, so every change fails
   */
  clock: Type.Optional(
    Type.Object({
      server: Type.String(),
      database: Type.String(),
      aheadMs: Type.Number(),
      changesRefused: Type.Boolean(),
    }),
  ),
  /** the server's last check of its audit log: when, and each project changed after which entry */
  auditLog: Type.Optional(
    Type.Object({
      status: Type.Enum(['ok', 'changed']),
      checkedAt: Type.String(),
      changed: Type.Optional(
        Type.Array(Type.Object({ project: Type.String(), after: Type.Number(), message: Type.String() })),
      ),
    }),
  ),
  /** why every change is refused now (with status `writes-refused` and HTTP 503); absent while writes succeed */
  writesRefused: Type.Optional(WritesRefusedSchema),
});

/**
 * `GET /api/health`: the server and its database answer (asked under any host name). 200 while
 * the server can save; 503 while every change would be refused (its clock past the audit log's
 * bound, its database's disk full, its database read-only or out of reach), the same body with
 * `error` in words for IT, so a load balancer takes the process out of service until it can.
 */
export const healthRoute = defineRoute({
  method: 'GET',
  path: '/api/health',
  answer: HealthSchema,
  refusals: {
    503: Type.Object({ ...HealthSchema.properties, error: Type.String() }),
  },
});
