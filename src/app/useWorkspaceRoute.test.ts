import { describe, expect, it } from 'vitest';
import { documentTitle, parseRoute } from './useWorkspaceRoute.ts';

describe('parseRoute', () => {
  it.each([
    ['', 'workflows'],
    ['#', 'workflows'],
    ['#/', 'workflows'],
    ['#/migration', 'migration'],
    ['#signoff', 'signoff'],
    ['#/nonsense', 'not-found'],
    ['#/migration/extra', 'not-found'],
    ['#/Readiness', 'not-found'],
  ])('%s → %s', (hash, expected) => {
    expect(parseRoute(hash)).toBe(expected);
  });
});

describe('documentTitle', () => {
  it.each([
    { route: 'migration', project: 'Demo clinic', expected: 'Migration · Demo clinic · Preflight' },
    { route: 'signoff', project: null, expected: 'Sign-off · Preflight' },
    { route: 'not-found', project: 'Demo clinic', expected: 'Page not found · Demo clinic · Preflight' },
  ] as const)('$route of $project → $expected', ({ route, project, expected }) => {
    expect(documentTitle(route, project)).toBe(expected);
  });
});
