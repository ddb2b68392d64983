/**
 * Which change a project route announces, as data: every changing route of the team server
 * (fastify's patterns, as `printRoutes` lists them) with the kind its success tells the project's
 * open browsers — none for reads, WebAuthn challenges and routes outside a project — and the
 * event line's parser, which ignores what it does not know.
 */
import { describe, expect, it } from 'vitest';
import { changeKindOfRoute, parseTeamChange, type TeamChangeKind } from './changeEvents.ts';

const P = '/api/projects/:projectId';

const ROUTES: { method: string; route: string; kind: TeamChangeKind | undefined }[] = [
  { method: 'PATCH', route: P, kind: 'project' },
  { method: 'GET', route: P, kind: undefined },
  { method: 'POST', route: '/api/projects', kind: undefined },
  { method: 'POST', route: '/api/logout', kind: undefined },
  { method: 'POST', route: `${P}/members`, kind: 'members' },
  { method: 'PATCH', route: `${P}/members/:memberId`, kind: 'members' },
  { method: 'DELETE', route: `${P}/members/:memberId`, kind: 'members' },
  { method: 'GET', route: `${P}/audit`, kind: undefined },
  { method: 'POST', route: `${P}/workflows`, kind: 'workflows' },
  { method: 'POST', route: `${P}/workflows/:workflowId/changes`, kind: 'workflows' },
  { method: 'POST', route: `${P}/workflows/:workflowId/versions`, kind: 'workflows' },
  { method: 'POST', route: `${P}/workflows/:workflowId/versions/:versionId/restore`, kind: 'workflows' },
  { method: 'PATCH', route: `${P}/signing`, kind: 'signing-keys' },
  { method: 'POST', route: `${P}/signing-keys`, kind: 'signing-keys' },
  { method: 'POST', route: `${P}/signing-keys/options`, kind: undefined },
  { method: 'POST', route: `${P}/signing-keys/:keyId/confirm`, kind: 'signing-keys' },
  { method: 'POST', route: `${P}/signing-keys/:keyId/revoke`, kind: 'signing-keys' },
  { method: 'POST', route: `${P}/signatures`, kind: 'signatures' },
  { method: 'POST', route: `${P}/signatures/options`, kind: undefined },
  { method: 'POST', route: `${P}/steering-signatures`, kind: 'steering' },
  { method: 'POST', route: `${P}/steering-signatures/options`, kind: undefined },
  { method: 'POST', route: `${P}/reviews`, kind: 'reviews' },
  { method: 'PUT', route: `${P}/reviews/:reviewId/plan`, kind: 'reviews' },
  { method: 'POST', route: `${P}/reviews/:reviewId/records`, kind: 'reviews' },
  { method: 'POST', route: `${P}/reviews/:reviewId/decisions`, kind: 'decisions' },
  { method: 'POST', route: `${P}/reviews/:reviewId/packet-decisions`, kind: 'decisions' },
  { method: 'POST', route: `${P}/reviews/:reviewId/adjudication/close`, kind: 'decisions' },
  { method: 'POST', route: `${P}/reviews/:reviewId/exports`, kind: 'exports' },
  { method: 'GET', route: `${P}/reviews/:reviewId/decisions`, kind: undefined },
  { method: 'PUT', route: `${P}/records/:kind/:recordId`, kind: 'records' },
  { method: 'GET', route: `${P}/events`, kind: undefined },
  // a changing route the table does not name yet is still announced, as the project
  { method: 'POST', route: `${P}/something-new`, kind: 'project' },
];

describe('the change a route announces', () => {
  it.each(ROUTES)('$method $route → $kind', ({ method, route, kind }) => {
    expect(changeKindOfRoute(method, route)).toBe(kind);
  });
});

describe('an event line', () => {
  it.each([
    { description: 'a known kind', data: '{"kind":"records","at":5}', expected: { kind: 'records', at: 5 } },
    { description: 'an unknown kind', data: '{"kind":"gossip","at":5}', expected: undefined },
    { description: 'no time', data: '{"kind":"records"}', expected: undefined },
    { description: 'not JSON', data: 'records', expected: undefined },
    { description: 'null', data: 'null', expected: undefined },
    {
      description: 'the id of the change, told back to whoever made it',
      data: '{"kind":"decisions","at":5,"change":"0b4c1e2a-55d1-4b7e-9d0e-2f6a7c3b9e10"}',
      expected: { kind: 'decisions', at: 5, change: '0b4c1e2a-55d1-4b7e-9d0e-2f6a7c3b9e10' },
    },
    {
      description: 'an id that is not one: the change, as another’s',
      data: '{"kind":"decisions","at":5,"change":"<b>hi</b>"}',
      expected: { kind: 'decisions', at: 5 },
    },
  ])('$description', ({ data, expected }) => {
    expect(parseTeamChange(data)).toEqual(expected);
  });
});
