/**
 * The session's routes (contracts: src/core/teamApi/session.ts). What the app asks first when it
 * may be served by a team server: `GET /api/session`, answered to anyone (signed in or not) with
 * 200, so the app learns in one quiet request whether it is served by `preflight serve`, whether
 * sign-in is set up, and who is signed in. Under `npm start` the same address is the app's own
 * page (HTML, not this JSON), which is how the app tells the two apart without a failed request
 * in the browser's console. Also: who is signed in (`/api/me`), signing out, and the health check.
 *
 * Constraint: the answer names the person and their session's CSRF token only to the session's
 * own cookie holder; it carries no project or record content.
 */
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyPluginAsync } from 'fastify';
import { healthRoute, meRoute, SESSION_FORMAT, sessionRoute, signOutRoute } from '../core/teamApi/index.ts';
import { sessionEvidence } from './auditEvidence.ts';
import { appendAudit } from './auditLog.ts';
import { type RouteServices, serveServerRoute } from './contractRoute.ts';
import { DatabaseSilent, databaseAnswers } from './database.ts';
import { probeWrites } from './healthProbe.ts';
import { clockApart, readClocks } from './serverClock.ts';
import { endSession, SESSION_COOKIE, type Session } from './sessions.ts';
import { ignoredHeadsMessage, type LogHealth } from './transparencyLog.ts';
import {
  clockFault,
  type DatabasePlace,
  unreachableFault,
  type WriteRefusal,
  type WriteWatch,
  writeFault,
} from './writeRefusals.ts';

/** How long the health check waits for the database to answer before it says it does not. */
export const HEALTH_DATABASE_MS = 5_000;

/** What the session routes need of the server. */
export interface SessionRouteServices extends RouteServices {
  /** an identity provider is configured */
  signInAvailable: boolean;
  /** the session cookie's attributes, to clear it with */
  cookie: CookieSerializeOptions;
  /** what is not set up safely (e.g. a database role that owns its tables), told by the health check */
  warnings?: readonly string[];
  /** the server's own check of its audit log, as it stands now (absent: not told in the health check) */
  auditLog?: () => LogHealth;
  /** the last write refused for a cause that refuses every write (absent: not told in the health check) */
  writes?: WriteWatch;
  /** the database, as a refusal's words for IT name it */
  place?: DatabasePlace;
  /** how long the health check waits for the database; default {@link HEALTH_DATABASE_MS} */
  databaseAnswerMs?: number;
}

/** The session routes, a fastify plugin: reads of the session without a transaction; signing out in one. */
export const sessionRoutes: FastifyPluginAsync<SessionRouteServices> = async (app, services) => {
  const { db, signInAvailable } = services;

  serveServerRoute(app, services, {
    contract: sessionRoute,
    transaction: 'none',
    handler: async ({ request }) => {
      const session: Session | undefined = request.session;
      if (session === undefined) return { format: SESSION_FORMAT, signInAvailable, user: null };
      const { issuer, subject, name, email } = session.user;
      return {
        format: SESSION_FORMAT,
        signInAvailable,
        user: { issuer, subject, name, email },
        csrfToken: session.csrfToken,
      };
    },
  });

  serveServerRoute(app, services, {
    contract: meRoute,
    transaction: 'none',
    handler: async ({ request }) => {
      const session = request.session as Session;
      return { ...session.user, csrfToken: session.csrfToken };
    },
  });

  serveServerRoute(app, services, {
    contract: signOutRoute,
    transaction: 'change',
    handler: async ({ tx, request, reply, clock }) => {
      const token = request.cookies[SESSION_COOKIE];
      const { user } = request.session as Session;
      if (token) {
        await endSession(tx, token);
        await appendAudit(tx, {
          at: clock(),
          kind: 'sign-out',
          actor: { issuer: user.issuer, subject: user.subject, name: user.name },
          detail: sessionEvidence(request.session as Session),
        });
      }
      reply.clearCookie(SESSION_COOKIE, services.cookie);
      return undefined;
    },
  });

  serveServerRoute(app, services, {
    contract: healthRoute,
    transaction: 'none',
    handler: async ({ tx, clock, refuse }) => {
      const place = services.place ?? { engine: db.engine };
      const writes = services.writes;
      const refused = (refusal: WriteRefusal, extra: object = {}) =>
        refuse(503, {
          status: 'writes-refused',
          database: db.engine,
          ...extra,
          error: refusal.it,
          writesRefused: {
            code: refusal.code,
            message: refusal.it,
            since: new Date(refusal.since).toISOString(),
          },
        });
      try {
        await databaseAnswers(tx, services.databaseAnswerMs ?? HEALTH_DATABASE_MS);
      } catch (error) {
        // a database that does not answer takes no write either: out of service until it does
        const fault =
          writeFault(error, place) ??
          unreachableFault(place, undefined, error instanceof DatabaseSilent ? error.withinMs : undefined);
        const now = clock();
        writes?.refused(fault, now);
        return refused(writes?.current() ?? { ...fault, since: now, lastSeen: now });
      }
      // it answers: whatever said it could not be reached is gone (a write's proof is the probe's)
      writes?.gone('database-unreachable');
      // read at every check: a clock that drifts after the start is said before changes fail
      const apart = clockApart(await readClocks(tx, clock));
      if (writes !== undefined) {
        if (apart?.changesRefused) writes.refused(clockFault(place, apart.message), clock());
        else writes.gone('server-clock-ahead');
        await probeWrites(db, writes, services.place ?? { engine: db.engine }, services.clock);
      }
      const log = services.auditLog?.();
      const warnings = [
        ...(services.warnings ?? []),
        ...(log?.ignored === undefined
          ? []
          : [`audit-log-heads-ignored: ${ignoredHeadsMessage(log.ignored)}`]),
        ...(apart === undefined ? [] : [`server-clock-apart: ${apart.message}`]),
      ];
      const said = {
        ...(warnings.length > 0 ? { warnings } : {}),
        ...(apart === undefined
          ? {}
          : {
              clock: {
                server: new Date(apart.server).toISOString(),
                database: new Date(apart.database).toISOString(),
                aheadMs: apart.aheadMs,
                changesRefused: apart.changesRefused,
              },
            }),
      };
      const refusal = writes?.current();
      if (refusal !== undefined) return refused(refusal, said);
      if (log === undefined) return { status: 'ok', database: db.engine, ...said };
      // a changed log is the administrator's to act on: said, with the projects and after which entry
      return log.status === 'ok'
        ? { status: 'ok', database: db.engine, ...said, auditLog: { status: 'ok', checkedAt: log.checkedAt } }
        : {
            status: 'audit-log-changed',
            database: db.engine,
            ...said,
            auditLog: {
              status: 'changed',
              checkedAt: log.checkedAt,
              changed: log.changed.map((c) => ({ project: c.project, after: c.after, message: c.message })),
            },
          };
    },
  });
};
