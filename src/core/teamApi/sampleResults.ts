/**
 * A sample's result as the team server computes it (src/core/signoff/signing/sampleResult.ts), for the
 * lead and the data lead: every review's, or one review's.
 *
 * Constraint: the answer holds counts, stratum ids, the plan's numbers and hashes, never record
 * content; its type is the core's {@link ServedSampleResult}, named here, not written again.
 */
import { Type } from 'typebox';
import type { ServedSampleResult } from '../signoff/signing/index.ts';
import { Id, ProjectParams } from './common.ts';
import { defineRoute } from './route.ts';

const Served = Type.Unsafe<ServedSampleResult>({ type: 'object' });

/** `GET /api/projects/:projectId/sample-results`: every review's result, oldest sample first. */
export const sampleResultsRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/sample-results',
  params: ProjectParams,
  answer: Type.Object({ results: Type.Array(Served) }),
});

/** `GET /api/projects/:projectId/reviews/:reviewId/result`: one review's result. */
export const sampleResultRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/reviews/:reviewId/result',
  params: Type.Object({ ...ProjectParams.properties, reviewId: Id }),
  answer: Served,
});
