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
import type { FastifyInstance, FastifyRequest } from 'fastify';
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
import { serveRoute } from './contractRoute.ts';
import { keepWitnessedHead, witnessedHeads } from './data/logWitnesses.ts';
import type { Database } from './database.ts';
import type { TransparencyLog } from './logService.ts';
import { requireAction } from './projectRoutes.ts';
import { ProjectRefusal } from './projects.ts';
import { headSignatureProblem, logKeysOf } from './transparencyLog.ts';

/** The public route of the server's log key. */
export const LOG_KEY_PATH = logKeyRoute.path;

/** The log routes on `app` (contracts: src/core/teamApi/log.ts). */
export function registerLogRoutes(
  app: FastifyInstance,
  db: Database,
  clock: () => number,
  log: TransparencyLog,
): void {
  serveRoute(app, logKeyRoute, async () => {
    // every key, newest first, each rotation with the earlier key's signature of the handover: a
    // witness holding a head signed by an earlier key follows them to the key that signs now
    const keys = await logKeysOf(db);
    return { keyId: log.signer.keyId, publicKey: log.signer.publicKey, algorithm: 'Ed25519', keys };
  });

  // a new head is stamped and kept after the transaction that made it (logService.ts)
  const headFor = async (request: FastifyRequest, projectId: string) => {
    const { head, hashes } = await db.transaction((tx) =>
      requireAction(tx, request, projectId, 'read-project', clock(), false).then(() =>
        log.headOf(tx, projectId, request.log),
      ),
    );
    return { head: await log.kept(db, head, request.log), hashes };
  };

  serveRoute(app, logHeadRoute, async (request) => (await headFor(request, request.params.projectId)).head);

  serveRoute(app, logConsistencyRoute, async (request) => {
    const { head, hashes } = await headFor(request, request.params.projectId);
    const from = Number(request.query.from);
    // a log now shorter than what the asker holds has no proof to give: its head says so, and
    // the asker (a member's browser) calls the log changed with both heads
    if (from > head.size) return { head, from, proof: [] };
    return { head, from, proof: consistencyProof(auditLeaves(hashes), from) };
  });

  serveRoute(app, reportWitnessRoute, async (request) => {
    const { projectId } = request.params;
    const head: SignedTreeHead = request.body.head;
    const person = personOf(request);
    await db.transaction(async (tx) => {
      await requireAction(tx, request, projectId, 'read-project', clock(), false);
      if (head.project !== projectId)
        throw new ProjectRefusal(400, 'the head reported is of another project than the one named');
      // only the server's own signed word is kept for others to check against
      if ((await headSignatureProblem(head, await logKeysOf(tx))) !== undefined)
        throw new ProjectRefusal(400, "the head reported is not signed by one of this server's log keys");
      await keepWitnessedHead(tx, projectId, person, head, new Date(clock()).toISOString());
    });
  });

  serveRoute(app, logWitnessesRoute, async (request) => {
    const { projectId } = request.params;
    const witnesses = await db.transaction(async (tx) => {
      await requireAction(tx, request, projectId, 'read-project', clock(), false);
      return witnessedHeads(tx, projectId);
    });
    return { witnesses };
  });

  serveRoute(app, logInclusionRoute, async (request) => {
    const { head, hashes } = await headFor(request, request.params.projectId);
    const entry = Number(request.query.entry);
    if (entry < 1 || entry > head.size)
      throw new ProjectRefusal(404, `this project's log has no entry ${entry}`);
    const [proof] = inclusionProofs(auditLeaves(hashes), [entry - 1]);
    return { head, entry, entryHash: hashes[entry - 1] as string, proof: proof as string[] };
  });
}
