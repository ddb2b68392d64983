/**
 * The transparency log's routes: the server's public log key, a project's signed tree head, a
 * consistency proof from a head a member's browser kept to the current one, and an inclusion
 * proof of one entry (RFC 9162's design; src/core/transparency holds the tree, the heads and
 * their checks).
 *
 * Constraint: a size in a query is decimal digits (at most 12), as the server always took it; the
 * answers carry sizes and hashes, never an entry.
 */
import { Type } from 'typebox';
import type { SignedTreeHead } from '../transparency/index.ts';
import { MAX_PROJECT_ID, ProjectParams } from './common.ts';
import { defineRoute } from './route.ts';

const Head = Type.Unsafe<SignedTreeHead>({ type: 'object' });
const Hashes = Type.Array(Type.String());

/** A log size or entry number in a query: decimal digits. */
const Size = Type.String({ pattern: '^[0-9]{1,12}$' });

/**
 * A log key the server signs heads with, now or before; a key rotated to names the key before
 * and carries its signature of the handover (src/core/transparency/logKeys.ts).
 */
const LogKey = Type.Object({
  keyId: Type.String(),
  publicKey: Type.String(),
  algorithm: Type.Literal('Ed25519'),
  createdAt: Type.String(),
  rotatedFrom: Type.Optional(Type.Object({ keyId: Type.String(), signature: Type.String() })),
});

/**
 * `GET /api/log/key`: the public half of the server's log key (asked by anyone), and every key it
 * used, newest first.
 */
export const logKeyRoute = defineRoute({
  method: 'GET',
  path: '/api/log/key',
  answer: Type.Object({
    keyId: Type.String(),
    publicKey: Type.String(),
    algorithm: Type.Literal('Ed25519'),
    keys: Type.Array(LogKey),
  }),
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
  query: Type.Object({ from: Size }, { additionalProperties: false }),
  answer: Type.Object({ head: Head, from: Type.Integer(), proof: Hashes }),
});

/** `GET /api/projects/:projectId/log/inclusion?entry=N`: the head now and the proof of entry N (from 1). */
export const logInclusionRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/log/inclusion',
  params: ProjectParams,
  query: Type.Object({ entry: Size }, { additionalProperties: false }),
  answer: Type.Object({ head: Head, entry: Type.Integer(), entryHash: Type.String(), proof: Hashes }),
});

/** The longest time-stamp token a reported head may carry (base64; real tokens are a few KB). */
const MAX_TIME_STAMP = 32_768;

/** A signed head as a member's browser sends it back: every field bounded. */
const ReportedHead = Type.Object(
  {
    project: Type.String({ maxLength: MAX_PROJECT_ID }),
    size: Type.Integer({ minimum: 0, maximum: 1e12 }),
    rootHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    timestamp: Type.String({ maxLength: 40 }),
    keyId: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    signature: Type.String({ pattern: '^[0-9a-f]{128}$' }),
    timeStamp: Type.Optional(Type.String({ maxLength: MAX_TIME_STAMP })),
  },
  { additionalProperties: false },
);

/**
 * `PUT /api/projects/:projectId/log/witness`: the signed head the caller's browser witnessed (kept
 * after checking it extends every head it saw before), kept by the server for the project's other
 * browsers; a head smaller than one the caller reported before is not kept over it.
 */
export const reportWitnessRoute = defineRoute({
  method: 'PUT',
  path: '/api/projects/:projectId/log/witness',
  status: 204,
  params: ProjectParams,
  body: Type.Object({ head: ReportedHead }, { additionalProperties: false }),
  answer: Type.Undefined(),
});

/**
 * `GET /api/projects/:projectId/log/witnesses`: the latest head each member's browser reported,
 * largest first, by whom and when — what a new browser checks the server's head against before
 * trusting it (the heads are the server's own signed word, so the browser verifies each itself).
 * `mine` marks the asking member's own report (from this browser or another of theirs): a browser
 * that could not check at its first sync counts only another member's report as the team's word.
 */
export const logWitnessesRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/log/witnesses',
  params: ProjectParams,
  answer: Type.Object({
    witnesses: Type.Array(
      Type.Object({
        name: Type.String(),
        head: Head,
        reportedAt: Type.String(),
        mine: Type.Optional(Type.Boolean()),
      }),
    ),
  }),
});
