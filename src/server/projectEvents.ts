/**
 * A shared project's changes, told to its members' open browsers as they happen: the stream
 * `GET /api/projects/:projectId/events` (server-sent events) carries `{ kind, at }` for every
 * successful change under the project, as the change bus (changeBus.ts) hears it, and `change`,
 * the id the page gave it, on the streams of the person who made it only.
 *
 * Constraints:
 * - An event carries no record content, names or ids; a browser reloads what it shows through the
 *   routes it already reads, where its role is checked again.
 * - Opening a stream is a project route like any other, run by the contract's runner: a live
 *   session and `read-project`; a stranger gets the same 404 as for the project. Each heartbeat
 *   checks the session (without moving its idle clock, so an open tab does not keep an unattended
 *   browser signed in) and the membership; a roster change checks them at once. Either gone: the
 *   stream ends.
 * - Streams are bounded per member and in all (bounds.ts), under the connection cap, and a stop
 *   ends every stream first, so the bounded stop still holds.
 */
import type { FastifyPluginAsync } from 'fastify';
import { projectEventsRoute } from '../core/teamApi/index.ts';
import { personOf } from './access.ts';
import {
  type ConnectionLimits,
  EVENT_HEARTBEAT_MS,
  EVENT_STREAMS_PER_MEMBER,
  eventStreamLimit,
} from './bounds.ts';
import { type ChangeBus, memberKeyOf } from './changeBus.ts';
import { type RouteServices, serveProjectRoute } from './contractRoute.ts';
import { membershipOf } from './projects.ts';
import { type Session, sessionStillLive } from './sessions.ts';

/** How long a browser waits before it reconnects a dropped stream (the `retry:` field). */
const RECONNECT_MS = 5_000;

/** What the change stream needs of the server. */
interface ChangeEventServices extends RouteServices {
  /** the changes of this process's projects (changeBus.ts `tellChanges`) */
  changes: ChangeBus;
  limits: ConnectionLimits;
  /** the session idle limit the server runs with */
  sessionIdleMs: number;
  /** default {@link EVENT_HEARTBEAT_MS} */
  heartbeatMs?: number;
}

/** The change stream route, and the stop that ends every stream. */
export const changeEventRoutes: FastifyPluginAsync<ChangeEventServices> = async (app, services) => {
  const { db, clock, changes } = services;
  const heartbeatMs = services.heartbeatMs ?? EVENT_HEARTBEAT_MS;
  const maxStreams = eventStreamLimit(services.limits);
  /** every open stream's end, by member (issuer and subject) */
  const open = new Map<string, Set<() => Promise<void>>>();
  let total = 0;

  // a stop ends the streams before the server waits for its requests: they never end on their own
  // (each end resolves once its response is finished: the connection is then idle, and the
  // server's close closes idle connections at once instead of waiting for their keep-alive)
  app.addHook('preClose', async () => {
    await Promise.all([...open.values()].flatMap((ends) => [...ends].map((end) => end())));
  });

  serveProjectRoute(app, services, {
    contract: projectEventsRoute,
    action: 'read-project',
    transaction: 'none',
    handler: async ({ projectId, request, stream }) => {
      const person = personOf(request);
      const member = memberKeyOf(person);
      const mine = open.get(member) ?? new Set<() => Promise<void>>();
      if (mine.size >= EVENT_STREAMS_PER_MEMBER)
        throw tooMany(
          `you have ${EVENT_STREAMS_PER_MEMBER} live views of team projects open already: close some tabs of Preflight, then reload this one`,
        );
      if (total >= maxStreams)
        throw tooMany(
          'the team server holds as many live views as it can just now: changes reach this page when it reloads or syncs',
        );
      const { idHash } = request.session as Session;
      return stream((sink) => {
        /** the session still live (its idle clock untouched) and the person still a member */
        const check = async (): Promise<boolean> => {
          try {
            const now = clock();
            const live =
              (await sessionStillLive(db, idHash, now, services.sessionIdleMs)) &&
              (await membershipOf(db, person, projectId, now)) !== undefined;
            if (!live) void sink.end();
            return live;
          } catch {
            // the database could not be asked: the browser reconnects and is checked afresh
            void sink.end();
            return false;
          }
        };
        const unsubscribe = changes.subscribe(projectId, (change) => {
          const { kind, at, by } = change;
          // her own change's id goes back to her browsers only: to others it would say nothing
          sink.event(by?.member === member ? { kind, at, change: by.change } : { kind, at });
          if (change.kind === 'members') void check();
        });
        const heartbeat = setInterval(() => {
          void check().then((live) => {
            if (live) sink.comment('heartbeat');
          });
        }, heartbeatMs);
        mine.add(sink.end);
        open.set(member, mine);
        total += 1;
        return () => {
          clearInterval(heartbeat);
          unsubscribe();
          mine.delete(sink.end);
          if (mine.size === 0 && open.get(member) === mine) open.delete(member);
          total -= 1;
        };
      }, RECONNECT_MS);
    },
  });
};

/** A refusal for a stream over its bound (429: try later). */
function tooMany(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 429 });
}
