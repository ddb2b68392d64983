/**
 * A sample's result on the team server, for the lead and the data lead: the server holds the
 * locked sample (its plan, drawn keys), the assignments and every decision in its order, so it
 * computes the result with the core's own functions (src/core/signoff/signing/sampleResult.ts: the counts,
 * verdict and standing the review screen shows) and serves it with its fingerprint — what a data
 * lead's "I approve this sample's result" signs, from her own browser.
 *
 * Constraints: the answer holds counts, stratum ids, the plan's numbers and hashes — no record
 * content, no record key; reading it records nothing (it is a view of what the log already holds).
 * A review whose locked plan the lead has not sent has no result here: the verdict is judged
 * against the plan's own numbers, never guessed.
 */
import type { FastifyPluginAsync } from 'fastify';
import {
  approvalRefusal,
  type ServedSampleResult,
  sampleResult,
  sampleResultFingerprint,
} from '../core/signoff/signing/index.ts';
import { sampleResultRoute, sampleResultsRoute } from '../core/teamApi/index.ts';
import { type RouteServices, serveProjectRoute } from './contractRoute.ts';
import { reviewIdsOf, storedSample } from './data/reviewSamples.ts';
import type { Queryable } from './database.ts';
import { ProjectRefusal } from './projects.ts';

/** A review's result as served: the result and its fingerprint, or why there is none yet. */
type ServedResult = ServedSampleResult;

/** Why the server has no result for a review whose plan it does not hold. */
const PLAN_NOT_SENT =
  'the lead sent this sample before the team server kept sample plans: the result is shown once the lead sends its locked plan (Send to reviewers on the review screen)';

/** The result of review `reviewId` of `projectId` as the server holds it now; undefined when no such review. */
async function resultOf(
  q: Queryable,
  projectId: string,
  reviewId: string,
): Promise<ServedResult | undefined> {
  const stored = await storedSample(q, projectId, reviewId);
  if (stored === undefined) return undefined;
  const { review, plan, sentAt } = stored;
  if (plan === undefined) return { review: reviewId, sentAt, planMissing: PLAN_NOT_SENT };
  const result = sampleResult(review, plan);
  return { review: reviewId, sentAt, result, fingerprint: sampleResultFingerprint(result) };
}

/**
 * Checks that an approval or confirmation naming review `reviewId` signs exactly the server's
 * current fingerprint of its result, and that an approval is over a result that stands as one.
 * @throws ProjectRefusal (404 no such review, 409 with the reason otherwise)
 */
export async function checkResultSigning(
  tx: Queryable,
  projectId: string,
  reviewId: string,
  kind: 'approval' | 'confirmation',
  hash: string,
): Promise<void> {
  const served = await resultOf(tx, projectId, reviewId);
  if (served === undefined)
    throw new ProjectRefusal(404, 'no such review on this team project: reload the sample’s result');
  if ('planMissing' in served) throw new ProjectRefusal(409, served.planMissing);
  if (kind === 'approval') {
    const refused = approvalRefusal(served.result);
    if (refused !== undefined) throw new ProjectRefusal(409, `not approved: ${refused}`);
  }
  if (hash !== served.fingerprint)
    throw new ProjectRefusal(
      409,
      'the sample’s result changed since you looked (a decision came in): nothing was signed; look at the result again, then sign',
    );
}

/**
 * The sample result routes, a fastify plugin over `db` with the server's clock (contracts:
 * src/core/teamApi/sampleResults.ts): reading them is `read-sample-results`, in one transaction,
 * so every result is computed from one moment of the log.
 */
export const sampleResultRoutes: FastifyPluginAsync<RouteServices> = async (app, services) => {
  // every review of the project, each with its result (or why there is none yet), oldest first
  serveProjectRoute(app, services, {
    contract: sampleResultsRoute,
    action: 'read-sample-results',
    transaction: 'read',
    handler: async ({ tx, projectId }) => {
      const results: ServedResult[] = [];
      for (const id of await reviewIdsOf(tx, projectId))
        results.push((await resultOf(tx, projectId, id)) as ServedResult);
      return { results };
    },
  });

  serveProjectRoute(app, services, {
    contract: sampleResultRoute,
    action: 'read-sample-results',
    transaction: 'read',
    handler: async ({ tx, projectId, params }) => {
      const served = await resultOf(tx, projectId, params.reviewId);
      if (served === undefined)
        throw new ProjectRefusal(404, 'no such review on this team project: reload the project');
      return served;
    },
  });
};
