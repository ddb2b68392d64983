import { describe, expect, it } from 'vitest';
import { createProject } from '../../core/project/changes.ts';
import type { Workflow } from '../../formats/workflow.ts';
import type { Route } from '../route.ts';
import { placeName } from './placeName.ts';

const intake: Workflow = {
  format: 'preflight.workflow/v1',
  id: 'intake-today',
  name: 'Intake today',
  process: 'patient-intake',
  state: 'current',
  arrivalsPerHour: 10,
  lanes: [],
  steps: [],
  flows: [],
};
const project = {
  ...createProject({ id: 'p', name: 'Clinic', now: '2026-11-24T00:00:00Z' }),
  workflows: [intake],
};
const workflows = (place: Extract<Route, { workspace: 'workflows' }>['place']): Route => ({
  workspace: 'workflows',
  place,
});

describe('placeName', () => {
  it.each<{ route: Route; expected: string | undefined }>([
    { route: workflows({ page: 'list' }), expected: undefined },
    { route: workflows({ page: 'editor', workflow: 'intake-today' }), expected: 'Intake today' },
    {
      route: workflows({ page: 'process', process: 'patient-intake', tab: 'compare' }),
      expected: 'Today vs planned · Patient intake',
    },
    {
      route: workflows({ page: 'logs', tool: 'check', workflow: 'intake-today' }),
      expected: 'Check after go-live · Event logs',
    },
    {
      route: workflows({ page: 'logs', tool: 'discover' }),
      expected: "Discover today's workflow · Event logs",
    },
    {
      route: workflows({ page: 'logs', tool: 'model', workflow: 'intake-today' }),
      expected: 'Check the capacity model · Event logs',
    },
    {
      route: workflows({ page: 'document', process: 'patient-intake' }),
      expected: 'Printable document · Patient intake',
    },
    { route: workflows({ page: 'document', process: 'gone' }), expected: undefined },
    // a place the project does not have: its page says so, the title names nothing
    { route: workflows({ page: 'editor', workflow: 'gone' }), expected: undefined },
    { route: workflows({ page: 'process', process: 'gone', tab: 'map' }), expected: undefined },
    { route: { workspace: 'migration' }, expected: undefined },
  ])('$route.place.page $expected', ({ route, expected }) => {
    expect(placeName(route, project)).toBe(expected);
  });

  it('names nothing while no project is open', () => {
    expect(placeName(workflows({ page: 'editor', workflow: 'intake-today' }), null)).toBeUndefined();
  });
});
