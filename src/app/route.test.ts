/**
 * The app's addresses: a table of what each hash means, and a property (fast-check prints the seed
 * of a failure) that every route survives a round trip through its address, ids with any characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Address,
  DISCOVER_VIEWS,
  hrefIn,
  MAP_MEASURES,
  PROCESS_TABS,
  parseAddress,
  parseRoute,
  READINESS_TABS,
  type Route,
  routeInOtherProject,
  samePlace,
  screenOf,
  serialiseAddress,
  serialiseRoute,
} from './route.ts';
import { documentTitle } from './useWorkspaceRoute.ts';

const list: Route = { workspace: 'workflows', place: { page: 'list' } };
const process = (name: string, tab: (typeof PROCESS_TABS)[number]['id']): Route => ({
  workspace: 'workflows',
  place: { page: 'process', process: name, tab },
});
const editor = (workflow: string): Route => ({ workspace: 'workflows', place: { page: 'editor', workflow } });
const printable = (name: string): Route => ({
  workspace: 'workflows',
  place: { page: 'document', process: name },
});
const NOT_FOUND: Route = { workspace: 'not-found' };

describe('parseRoute', () => {
  it.each<{ hash: string; expected: Route }>([
    { hash: '', expected: list },
    { hash: '#', expected: list },
    { hash: '#/', expected: list },
    { hash: '#/workflows', expected: list },
    { hash: '#/workflows/', expected: list },
    { hash: '#/migration', expected: { workspace: 'migration' } },
    { hash: '#signoff', expected: { workspace: 'signoff' } },
    { hash: '#/readiness', expected: { workspace: 'readiness' } },
    { hash: '#/readiness/phases', expected: { workspace: 'readiness', tab: 'phases' } },
    { hash: '#/readiness/pack/', expected: { workspace: 'readiness', tab: 'pack' } },
    { hash: '#/readiness/decision', expected: { workspace: 'readiness', tab: 'decision' } },
    { hash: '#/team', expected: { workspace: 'team' } },
    { hash: '#/team/a%2Fb', expected: { workspace: 'team', teamProject: 'a/b' } },
    { hash: '#/team/a/b', expected: NOT_FOUND },
    { hash: '#/join/Ab-_9', expected: { workspace: 'team', invitation: 'Ab-_9' } },
    { hash: '#/join', expected: { workspace: 'team', invitation: '' } },
    { hash: '#/join/a/b', expected: NOT_FOUND },
    { hash: '#/workflows/process/patient-intake', expected: process('patient-intake', 'map') },
    { hash: '#/workflows/process/patient-intake/findings', expected: process('patient-intake', 'findings') },
    { hash: '#/workflows/process/patient-intake/compare/', expected: process('patient-intake', 'compare') },
    { hash: '#/workflows/process/a%2Fb%20c/training', expected: process('a/b c', 'training') },
    { hash: '#/workflows/workflow/intake-future', expected: editor('intake-future') },
    {
      hash: '#/workflows/workflow/intake/inside/check%20in',
      expected: { workspace: 'workflows', place: { page: 'editor', workflow: 'intake', inside: 'check in' } },
    },
    {
      hash: '#/workflows/workflow/intake/step/check%20in',
      expected: { workspace: 'workflows', place: { page: 'editor', workflow: 'intake', step: 'check in' } },
    },
    { hash: '#/workflows/workflow/intake/step', expected: NOT_FOUND },
    { hash: '#/migration/report/r%201', expected: { workspace: 'migration', report: 'r 1' } },
    { hash: '#/migration/report', expected: NOT_FOUND },
    { hash: '#/workflows/workflow/intake/beside/check', expected: NOT_FOUND },
    { hash: '#/workflows/workflow/intake/inside', expected: NOT_FOUND },
    { hash: '#/workflows/document/patient-intake', expected: printable('patient-intake') },
    { hash: '#/workflows/document/a%2Fb', expected: printable('a/b') },
    {
      hash: '#/workflows/team/p%201/intake',
      expected: { workspace: 'workflows', place: { page: 'team', project: 'p 1', workflow: 'intake' } },
    },
    { hash: '#/workflows/team/p1', expected: NOT_FOUND },
    {
      hash: '#/workflows/logs',
      expected: { workspace: 'workflows', place: { page: 'logs', tool: 'discover' } },
    },
    {
      hash: '#/workflows/logs/check',
      expected: { workspace: 'workflows', place: { page: 'logs', tool: 'check' } },
    },
    // what names no place is said plainly, never a silent default
    { hash: '#/nonsense', expected: NOT_FOUND },
    { hash: '#/migration/extra', expected: NOT_FOUND },
    { hash: '#/Readiness', expected: NOT_FOUND },
    { hash: '#/readiness/unknown-tab', expected: NOT_FOUND },
    { hash: '#/readiness/phases/extra', expected: NOT_FOUND },
    { hash: '#/readiness//phases', expected: NOT_FOUND },
    { hash: '#/workflows/process', expected: NOT_FOUND },
    { hash: '#/workflows/process/intake/unknown-tab', expected: NOT_FOUND },
    { hash: '#/workflows/process/intake/map/extra', expected: NOT_FOUND },
    { hash: '#/workflows/process//map', expected: NOT_FOUND },
    { hash: '#/workflows/workflow', expected: NOT_FOUND },
    { hash: '#/workflows/document', expected: NOT_FOUND },
    { hash: '#/workflows/document/intake/map', expected: NOT_FOUND },
    { hash: '#/workflows/workflow/a/b', expected: NOT_FOUND },
    { hash: '#/workflows/workflow/%E0%A4%A', expected: NOT_FOUND },
    {
      hash: '#/workflows/logs/check/intake-future',
      expected: { workspace: 'workflows', place: { page: 'logs', tool: 'check', workflow: 'intake-future' } },
    },
    { hash: '#/workflows/logs/elsewhere', expected: NOT_FOUND },
    { hash: '#/workflows/logs/discover/intake-future', expected: NOT_FOUND },
    { hash: '#/workflows/logs/check/a/b', expected: NOT_FOUND },
    {
      hash: '#/workflows/logs/model/intake-current',
      expected: {
        workspace: 'workflows',
        place: { page: 'logs', tool: 'model', workflow: 'intake-current' },
      },
    },
    { hash: '#/workflows/logs/model/a/b', expected: NOT_FOUND },
    {
      hash: '#/workflows/logs/discover/map/performance',
      expected: {
        workspace: 'workflows',
        place: { page: 'logs', tool: 'discover', view: 'map', measure: 'performance' },
      },
    },
    {
      hash: '#/workflows/logs/discover/variants',
      expected: { workspace: 'workflows', place: { page: 'logs', tool: 'discover', view: 'variants' } },
    },
    { hash: '#/workflows/logs/discover/variants/performance', expected: NOT_FOUND },
    { hash: '#/workflows/logs/discover/map/speed', expected: NOT_FOUND },
    { hash: '#/workflows/logs/discover/map/performance/x', expected: NOT_FOUND },
    { hash: '#/workflows/elsewhere', expected: NOT_FOUND },
  ])('$hash', ({ hash, expected }) => {
    expect(parseRoute(hash)).toEqual(expected);
  });
});

describe('parseAddress', () => {
  const inProject = (project: string, route: Route): Address => ({ project, route });
  it.each<{ hash: string; expected: Address }>([
    // addresses without a project part mean the project open now, as they always did
    { hash: '', expected: { route: list } },
    {
      hash: '#/workflows/process/patient-intake/findings',
      expected: { route: process('patient-intake', 'findings') },
    },
    { hash: '#/readiness/phases', expected: { route: { workspace: 'readiness', tab: 'phases' } } },
    // the project part names the project by its id
    { hash: '#/project/p-1', expected: inProject('p-1', list) },
    { hash: '#/project/p-1/', expected: inProject('p-1', list) },
    { hash: '#/project/p-1/workflows', expected: inProject('p-1', list) },
    {
      hash: '#/project/3f2a9c1e-0b7d-4e55-9a61-2c8d4b7e1f00/workflows/workflow/intake-future',
      expected: inProject('3f2a9c1e-0b7d-4e55-9a61-2c8d4b7e1f00', editor('intake-future')),
    },
    {
      hash: '#/project/p-1/workflows/process/a%2Fb/compare',
      expected: inProject('p-1', process('a/b', 'compare')),
    },
    { hash: '#/project/a%2Fb%20c/migration', expected: inProject('a/b c', { workspace: 'migration' }) },
    {
      hash: '#/project/p-1/readiness/pack',
      expected: inProject('p-1', { workspace: 'readiness', tab: 'pack' }),
    },
    {
      hash: '#/project/p-1/workflows/logs/discover/map/performance',
      expected: inProject('p-1', {
        workspace: 'workflows',
        place: { page: 'logs', tool: 'discover', view: 'map', measure: 'performance' },
      }),
    },
    // a project part without a project, or a project with no place, names nothing
    { hash: '#/project', expected: { route: NOT_FOUND } },
    { hash: '#/project/', expected: { route: NOT_FOUND } },
    { hash: '#/project//workflows', expected: { route: NOT_FOUND } },
    { hash: '#/project/%E0%A4%A/workflows', expected: { route: NOT_FOUND } },
    { hash: '#/project/p-1/nonsense', expected: { route: NOT_FOUND } },
    { hash: '#/project/p-1/project/p-2/workflows', expected: { route: NOT_FOUND } },
    { hash: '#/project/p-1//workflows', expected: { route: NOT_FOUND } },
  ])('$hash', ({ hash, expected }) => {
    expect(parseAddress(hash)).toEqual(expected);
    // the place alone, whichever project
    expect(parseRoute(hash)).toEqual(expected.route);
  });
});

describe('serialiseAddress', () => {
  it.each<{ address: Address; expected: string }>([
    { address: { route: list }, expected: '#/workflows' },
    { address: { project: 'p-1', route: list }, expected: '#/project/p-1/workflows' },
    {
      address: { project: 'p-1', route: process('patient intake', 'findings') },
      expected: '#/project/p-1/workflows/process/patient%20intake/findings',
    },
    {
      address: { project: 'a/b#c', route: { workspace: 'signoff' } },
      expected: '#/project/a%2Fb%23c/signoff',
    },
    {
      address: { project: 'p-1', route: { workspace: 'readiness', tab: 'gates' } },
      expected: '#/project/p-1/readiness/gates',
    },
  ])('$expected', ({ address, expected }) => {
    expect(serialiseAddress(address)).toBe(expected);
  });
});

describe('hrefIn: the href of every link in the app', () => {
  it.each<{ project: string | undefined; to: Route; expected: string }>([
    // a link names the project it was shown in, so a copy of it opens that project anywhere
    { project: 'p-1', to: list, expected: '#/project/p-1/workflows' },
    {
      project: 'p-1',
      to: editor('intake-future'),
      expected: '#/project/p-1/workflows/workflow/intake-future',
    },
    {
      project: 'p-1',
      to: process('patient intake', 'capacity'),
      expected: '#/project/p-1/workflows/process/patient%20intake/capacity',
    },
    {
      project: 'p-1',
      to: {
        workspace: 'workflows',
        place: { page: 'logs', tool: 'discover', view: 'map', measure: 'performance' },
      },
      expected: '#/project/p-1/workflows/logs/discover/map/performance',
    },
    { project: 'p-1', to: printable('intake'), expected: '#/project/p-1/workflows/document/intake' },
    { project: 'a/b#c', to: { workspace: 'migration' }, expected: '#/project/a%2Fb%23c/migration' },
    {
      project: 'p-1',
      to: { workspace: 'readiness', tab: 'gates' },
      expected: '#/project/p-1/readiness/gates',
    },
    // no project open: the place alone, which means the project open where it is followed
    { project: undefined, to: editor('intake-future'), expected: '#/workflows/workflow/intake-future' },
  ])('$expected', ({ project, to, expected }) => {
    expect(hrefIn(project, to)).toBe(expected);
  });

  it('a link opens the place it was made for, in its project, any id', () => {
    fc.assert(
      fc.property(anyId, anyRoute, (project, route) => {
        fc.pre(route.workspace !== 'not-found');
        expect(parseAddress(hrefIn(project, route))).toEqual({ project, route });
      }),
      { numRuns: 200 },
    );
  });
});

describe('routeInOtherProject', () => {
  it.each<{ from: Route; expected: Route }>([
    // what belongs to the project left becomes the list of the other project's processes
    { from: process('intake', 'findings'), expected: list },
    { from: editor('intake-future'), expected: list },
    { from: printable('intake'), expected: list },
    {
      from: { workspace: 'workflows', place: { page: 'logs', tool: 'check', workflow: 'intake-future' } },
      expected: { workspace: 'workflows', place: { page: 'logs', tool: 'check' } },
    },
    {
      from: { workspace: 'workflows', place: { page: 'logs', tool: 'model', workflow: 'intake-current' } },
      expected: { workspace: 'workflows', place: { page: 'logs', tool: 'model' } },
    },
    // workspaces and tabs are in every project
    { from: { workspace: 'migration' }, expected: { workspace: 'migration' } },
    { from: { workspace: 'readiness', tab: 'gates' }, expected: { workspace: 'readiness', tab: 'gates' } },
    {
      from: { workspace: 'workflows', place: { page: 'logs', tool: 'discover', view: 'variants' } },
      expected: { workspace: 'workflows', place: { page: 'logs', tool: 'discover', view: 'variants' } },
    },
    { from: list, expected: list },
  ])('$from.workspace → $expected.workspace', ({ from, expected }) => {
    expect(routeInOtherProject(from)).toEqual(expected);
  });
});

describe('serialiseRoute', () => {
  it.each<{ route: Route; expected: string }>([
    { route: list, expected: '#/workflows' },
    { route: { workspace: 'signoff' }, expected: '#/signoff' },
    {
      route: process('patient intake', 'capacity'),
      expected: '#/workflows/process/patient%20intake/capacity',
    },
    { route: editor('a/b#c?d'), expected: '#/workflows/workflow/a%2Fb%23c%3Fd' },
    {
      route: { workspace: 'workflows', place: { page: 'editor', workflow: 'intake', inside: 'a/b' } },
      expected: '#/workflows/workflow/intake/inside/a%2Fb',
    },
    {
      route: { workspace: 'workflows', place: { page: 'logs', tool: 'check' } },
      expected: '#/workflows/logs/check',
    },
    {
      route: { workspace: 'workflows', place: { page: 'logs', tool: 'model', workflow: 'a b' } },
      expected: '#/workflows/logs/model/a%20b',
    },
    {
      route: {
        workspace: 'workflows',
        place: { page: 'logs', tool: 'discover', view: 'map', measure: 'performance' },
      },
      expected: '#/workflows/logs/discover/map/performance',
    },
    { route: { workspace: 'team', invitation: 'Ab-_9' }, expected: '#/join/Ab-_9' },
    { route: { workspace: 'team', invitation: '' }, expected: '#/join' },
    { route: { workspace: 'readiness' }, expected: '#/readiness' },
    { route: { workspace: 'readiness', tab: 'steering' }, expected: '#/readiness/steering' },
    { route: NOT_FOUND, expected: '#/not-found' },
  ])('$expected', ({ route, expected }) => {
    expect(serialiseRoute(route)).toBe(expected);
  });
});

/** Any id a project may hold: any text but the empty one (ids are never empty). */
const anyId = fc.string({ minLength: 1, unit: 'binary' });

const anyRoute: fc.Arbitrary<Route> = fc.oneof(
  fc.constant(list),
  fc.constantFrom<Route>({ workspace: 'migration' }, { workspace: 'signoff' }, { workspace: 'readiness' }),
  fc.constant(NOT_FOUND),
  fc.constant<Route>({ workspace: 'team' }),
  anyId.map((teamProject): Route => ({ workspace: 'team', teamProject })),
  fc.constantFrom(...READINESS_TABS.map((t) => t.id)).map((tab): Route => ({ workspace: 'readiness', tab })),
  fc.tuple(anyId, fc.constantFrom(...PROCESS_TABS.map((t) => t.id))).map(([id, tab]) => process(id, tab)),
  anyId.map(editor),
  fc
    .tuple(anyId, anyId)
    .map(
      ([workflow, step]): Route => ({ workspace: 'workflows', place: { page: 'editor', workflow, step } }),
    ),
  anyId.map((report): Route => ({ workspace: 'migration', report })),
  anyId.map(printable),
  fc.constant<Route>({ workspace: 'workflows', place: { page: 'logs', tool: 'discover' } }),
  fc.constantFrom(...DISCOVER_VIEWS.map((v) => v.id)).chain((view) =>
    (view === 'map'
      ? fc.option(fc.constantFrom(...MAP_MEASURES), { nil: undefined })
      : fc.constant(undefined)
    ).map(
      (measure): Route => ({
        workspace: 'workflows',
        place: { page: 'logs', tool: 'discover', view, ...(measure === undefined ? {} : { measure }) },
      }),
    ),
  ),
  fc.option(anyId, { nil: undefined }).map(
    (workflow): Route => ({
      workspace: 'workflows',
      place: { page: 'logs', tool: 'check', ...(workflow === undefined ? {} : { workflow }) },
    }),
  ),
);

describe('the round trip', () => {
  it('parse(serialise(route)) is the route', () => {
    fc.assert(
      fc.property(anyRoute, (route) => {
        expect(parseRoute(serialiseRoute(route))).toEqual(route);
      }),
      { numRuns: 200 },
    );
  });

  it('parseAddress(serialiseAddress(address)) is the address, any project id', () => {
    fc.assert(
      fc.property(fc.option(anyId, { nil: undefined }), anyRoute, (project, route) => {
        // a place that names nothing has no project: `not-found` is never in one
        const address: Address =
          project === undefined || route.workspace === 'not-found' ? { route } : { project, route };
        expect(parseAddress(serialiseAddress(address))).toEqual(address);
      }),
      { numRuns: 200 },
    );
  });

  it('an address is one hash fragment: no raw "/" inside an id, no "#" after the first', () => {
    fc.assert(
      fc.property(anyId, (id) => {
        const hash = serialiseRoute(editor(id));
        expect(hash.split('/')).toHaveLength(4);
        expect(hash.indexOf('#', 1)).toBe(-1);
      }),
    );
  });
});

describe('screenOf', () => {
  it('is the same for two tabs of one process, and differs between processes and pages', () => {
    expect(screenOf(process('intake', 'map'))).toBe(screenOf(process('intake', 'capacity')));
    expect(screenOf(process('intake', 'map'))).not.toBe(screenOf(process('referral', 'map')));
    expect(screenOf(editor('intake'))).not.toBe(screenOf(process('intake', 'map')));
    expect(screenOf(list)).not.toBe(screenOf({ workspace: 'migration' }));
    // the Readiness screen's tabs are one screen
    expect(screenOf({ workspace: 'readiness' })).toBe(screenOf({ workspace: 'readiness', tab: 'pack' }));
    // the two event-log tools are tabs of one page
    expect(screenOf({ workspace: 'workflows', place: { page: 'logs', tool: 'discover' } })).toBe(
      screenOf({ workspace: 'workflows', place: { page: 'logs', tool: 'check', workflow: 'intake' } }),
    );
  });
});

describe('samePlace', () => {
  const at = (hash: string) => parseRoute(hash);
  it.each([
    { a: '#/workflows/logs/discover', b: '#/workflows/logs/discover/map', same: true },
    { a: '#/workflows/logs/discover', b: '#/workflows/logs/discover/map/frequency', same: true },
    { a: '#/workflows/logs', b: '#/workflows/logs/discover/map', same: true },
    { a: '#/workflows/logs/discover/map', b: '#/workflows/logs/discover/map/frequency', same: true },
    { a: '#/workflows/logs/discover', b: '#/workflows/logs/discover/map/performance', same: false },
    { a: '#/workflows/logs/discover', b: '#/workflows/logs/discover/variants', same: false },
    { a: '#/workflows/logs/discover/map', b: '#/workflows/logs/check', same: false },
    { a: '#/workflows/process/intake/map', b: '#/workflows/process/intake/map', same: true },
    { a: '#/workflows/process/intake/map', b: '#/workflows/process/intake/capacity', same: false },
  ])('$a and $b: $same', ({ a, b, same }) => {
    expect(samePlace(at(a), at(b))).toBe(same);
    expect(samePlace(at(b), at(a))).toBe(same);
  });
});

describe('documentTitle', () => {
  it.each<{ route: Route; project: string | null; place?: string; expected: string }>([
    {
      route: { workspace: 'migration' },
      project: 'Demo clinic',
      expected: 'Migration · Demo clinic · Preflight',
    },
    { route: { workspace: 'signoff' }, project: null, expected: 'Sign-off · Preflight' },
    {
      route: { workspace: 'team', teamProject: 'p1' },
      project: 'Demo clinic',
      expected: 'Team projects · Preflight',
    },
    { route: NOT_FOUND, project: 'Demo clinic', expected: 'Page not found · Demo clinic · Preflight' },
    {
      route: process('patient-intake', 'findings'),
      project: 'Demo clinic',
      place: 'Patient intake',
      expected: 'Patient intake · Workflows · Demo clinic · Preflight',
    },
  ])('$expected', ({ route, project, place, expected }) => {
    expect(documentTitle(route, project, place)).toBe(expected);
  });
});
