/**
 * The transparency log's routes: the server's log key (public: anyone holding an export checks
 * a head with it), and per project its signed tree head now, a consistency proof from an earlier
 * size to it (what a member's browser asks at each sync, from the head it kept) and an inclusion
 * proof of one entry. The project routes are reads of every member (`read-project`), refused as
 * the other project reads are; they reveal sizes and hashes, never an entry.
 *
 * Constraint: a project whose log no longer matches a head the server signed gets no head, no
 * proof and no export (409), and the server's log and `/api/health` say so: the server never
 * signs over a rewritten log.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { logConsistencyRoute, logHeadRoute, logKeyRoute } from '../core/teamApi/index.ts';
import { auditLeaves, consistencyProof, inclusionProofs } from '../core/transparency/index.ts';
import type { Database, Queryable } from './database.ts';
import type { TransparencyLog } from './logService.ts';
import { requireAction } from './projectRoutes.ts';
import { ProjectRefusal } from './projects.ts';
import { logKeysOf } from './transparencyLog.ts';

/** The public route of the server's log key. */
export const LOG_KEY_PATH = logKeyRoute.path;

interface ProjectParams {
  projectId: string;
}
const params = {
  type: 'object',
  required: ['projectId'],
  properties: { projectId: { type: 'string', maxLength: 64 } },
};
const sizeQuery = (name: string) => ({
  type: 'object',
  required: [name],
  additionalProperties: false,
  properties: { [name]: { type: 'string', pattern: '^[0-9]{1,12}$' } },
});

/** The log routes on `app`. */
export function registerLogRoutes(
  app: FastifyInstance,
  db: Database,
  clock: () => number,
  log: TransparencyLog,
): void {
  app.get(LOG_KEY_PATH, async () => {
    const keys = await logKeysOf(db);
    return { keyId: log.signer.keyId, publicKey: log.signer.publicKey, algorithm: 'Ed25519', keys };
  });

  const headFor = (tx: Queryable, request: FastifyRequest<{ Params: ProjectParams }>) =>
    requireAction(tx, request, request.params.projectId, 'read-project', clock(), false).then(() =>
      log.headOf(tx, request.params.projectId, request.log),
    );

  app.get<{ Params: ProjectParams }>(
    logHeadRoute.path,
    { schema: { params } },
    async (request) => (await db.transaction((tx) => headFor(tx, request))).head,
  );

  app.get<{ Params: ProjectParams; Querystring: { from: string } }>(
    logConsistencyRoute.path,
    { schema: { params, querystring: sizeQuery('from') } },
    async (request) => {
      const { head, hashes } = await db.transaction((tx) => headFor(tx, request));
      const from = Number(request.query.from);
      // a log now shorter than what the asker holds has no proof to give: its head says so, and
      // the asker (a member's browser) calls the log changed with both heads
      if (from > head.size) return { head, from, proof: [] };
      return { head, from, proof: consistencyProof(auditLeaves(hashes), from) };
    },
  );

  app.get<{ Params: ProjectParams; Querystring: { entry: string } }>(
    '/api/projects/:projectId/log/inclusion',
    { schema: { params, querystring: sizeQuery('entry') } },
    async (request) => {
      const { head, hashes } = await db.transaction((tx) => headFor(tx, request));
      const entry = Number(request.query.entry);
      if (entry < 1 || entry > head.size)
        throw new ProjectRefusal(404, `this project's log has no entry ${entry}`);
      const [proof] = inclusionProofs(auditLeaves(hashes), [entry - 1]);
      return { head, entry, entryHash: hashes[entry - 1], proof };
    },
  );
}
