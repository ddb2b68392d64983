/**
 * The transparency log's routes: the server's public log key, a project's signed tree head, and
 * a consistency proof from a head a member's browser kept to the current one (RFC 9162's design;
 * src/core/transparency holds the tree, the heads and their checks).
 */
import { Type } from 'typebox';
import type { SignedTreeHead } from '../transparency/index.ts';
import { ProjectParams } from './common.ts';
import { defineRoute } from './route.ts';

const Head = Type.Unsafe<SignedTreeHead>({ type: 'object' });

/** `GET /api/log/key`: the public half of the server's log key (asked by anyone). */
export const logKeyRoute = defineRoute({
  method: 'GET',
  path: '/api/log/key',
  answer: Type.Object({ publicKey: Type.String() }),
});

/** `GET /api/projects/:projectId/log/head`: the project's signed tree head now. */
export const logHeadRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/log/head',
  params: ProjectParams,
  answer: Head,
});

/** `GET /api/projects/:projectId/log/consistency?from=N`: the head now and the proof from size N. */
export const logConsistencyRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/log/consistency',
  params: ProjectParams,
  query: Type.Object({ from: Type.Integer({ minimum: 0 }) }),
  answer: Type.Object({ head: Head, proof: Type.Array(Type.String()) }),
});
