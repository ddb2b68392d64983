/**
 * The transparency log's routes: the server's log keys (public: anyone holding an export checks
 * a head with them, and follows a rotation from an earlier key), and per project its signed tree head now, a consistency proof from an earlier
 * size to it (what a member's browser asks at each sync, from the head it kept) and an inclusion
 * proof of one entry. The project routes are reads of every member (`read-project`), refused as
 * the other project reads are; they reveal sizes and hashes, never an entry. Each member's
 * browser reports the head it witnessed, and a new browser reads the latest each member's
 * reported, so that it checks the server's head against what the team saw instead of trusting
 * the first head it is shown.
 *
 * Constraint: a project whose log no longer matches a head the server signed gets no head, no
 * proof and no export (409), and the server's log and `/api/health` say so: the server never
 * signs over a rewritten log.
 */
import type { FastifyPluginAsync } from 'fastify';
import {
  logConsistencyRoute,
  logHeadRoute,
  logInclusionRoute,
  logKeyRoute,
  logWitnessesRoute,
  reportWitnessRoute,
} from '../core/teamApi/index.ts';
import {
  auditLeaves,
  consistencyProof,
  inclusionProofs,
  type SignedTreeHead,
} from '../core/transparency/index.ts';
import { personOf } from './access.ts';
import { type RouteServices, serveProjectRoute, serveServerRoute } from './contractRoute.ts';
import { keepWitnessedHead, witnessedHeads } from './data/logWitnesses.ts';
import type { TransparencyLog } from './logService.ts';
import { ProjectRefusal } from './projects.ts';
import { headSignatureProblem, logKeysOf } from './transparencyLog.ts';

/** The public route of the server's log key. */
export const LOG_KEY_PATH = logKeyRoute.path;

/** What the log routes need of the server: its database, clock and transparency log. */
export interface LogRouteServices extends RouteServices {
  log: TransparencyLog;
}

/**
 * The log routes, a fastify plugin (contracts: src/core/teamApi/log.ts). A project's head and its
 * proofs are `read-project`, read in one transaction; a new head is stamped and kept after the
 * transaction that made it (logService.ts), so the answer is finished after the commit.
 */
export const logRoutes: FastifyPluginAsync<LogRouteServices> = async (app, services) => {
  const { db, log } = services;

  serveServerRoute(app, services, {
    contract: logKeyRoute,
    transaction: 'none',
    handler: async ({ tx }) => {
      // every key, newest first, each rotation with the earlier key's signature of the handover: a
      // witness holding a head signed by an earlier key follows them to the key that signs now
      const keys = await logKeysOf(tx);
      return { keyId: log.signer.keyId, publicKey: log.signer.publicKey, algorithm: 'Ed25519', keys };
    },
  });

  const read = { action: 'read-project', transaction: 'read' } as const;

  serveProjectRoute(app, services, {
    contract: logHeadRoute,
    ...read,
    handler: async ({ tx, projectId, request, afterCommit }) => {
      const { head } = await log.headOf(tx, projectId, request.log);
      return afterCommit(() => log.kept(db, head, request.log));
    },
  });

  serveProjectRoute(app, services, {
    contract: logConsistencyRoute,
    ...read,
    handler: async ({ tx, projectId, query, request, afterCommit }) => {
      const made = await log.headOf(tx, projectId, request.log);
      return afterCommit(async () => {
        const head = await log.kept(db, made.head, request.log);
        const from = Number(query.from);
        // a log now shorter than what the asker holds has no proof to give: its head says so, and
        // the asker (a member's browser) calls the log changed with both heads
        if (from > head.size) return { head, from, proof: [] };
        return { head, from, proof: consistencyProof(auditLeaves(made.hashes), from) };
      });
    },
  });

  serveProjectRoute(app, services, {
    contract: reportWitnessRoute,
    action: 'read-project',
    transaction: 'change',
    handler: async ({ tx, projectId, body, request, clock }) => {
      const head: SignedTreeHead = body.head;
      if (head.project !== projectId)
        throw new ProjectRefusal(400, 'the head reported is of another project than the one named');
      // only the server's own signed word is kept for others to check against
      if ((await headSignatureProblem(head, await logKeysOf(tx))) !== undefined)
        throw new ProjectRefusal(400, "the head reported is not signed by one of this server's log keys");
      await keepWitnessedHead(tx, projectId, personOf(request), head, new Date(clock()).toISOString());
      return undefined;
    },
  });

  serveProjectRoute(app, services, {
    contract: logWitnessesRoute,
    ...read,
    handler: async ({ tx, projectId, request }) => ({
      witnesses: await witnessedHeads(tx, projectId, personOf(request)),
    }),
  });

  serveProjectRoute(app, services, {
    contract: logInclusionRoute,
    ...read,
    handler: async ({ tx, projectId, query, request, afterCommit }) => {
      const made = await log.headOf(tx, projectId, request.log);
      return afterCommit(async () => {
        const head = await log.kept(db, made.head, request.log);
        const entry = Number(query.entry);
        if (entry < 1 || entry > head.size)
          throw new ProjectRefusal(404, `this project's log has no entry ${entry}`);
        const [proof] = inclusionProofs(auditLeaves(made.hashes), [entry - 1]);
        return { head, entry, entryHash: made.hashes[entry - 1] as string, proof: proof as string[] };
      });
    },
  });
};
