/**
 * The address and the open project kept in step as the page runs them: the address gaining the
 * open project's id never takes back a place the person went to after the screen read the address.
 * The decision itself is a table of cases (projectAddress.test.ts); this is the hook's timing.
 */
import { act, render } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createProject } from '../../core/project/changes.ts';
import { ClickAfterCommit } from '../common/testing/clickAfterCommit.tsx';
import { useAddress } from '../useWorkspaceRoute.ts';
import { initialSessionState, type ProjectSession, type SessionState } from './projectSession.ts';
import { useProjectAddress } from './useProjectAddress.ts';

const NOW = '2026-11-28T10:00:00.000Z';
const demo = createProject({ id: 'demo-1', name: 'Demo clinic', now: NOW });

const loading: SessionState = initialSessionState;
const ready: SessionState = { ...loading, phase: 'ready', projects: [demo.meta], project: demo };

/** What of the session the hook uses while the address names no other project: nothing is opened. */
const session = {
  getState: () => ready,
  open: () => Promise.reject(new Error('no other project is opened here')),
  refreshProjects: () => Promise.resolve(),
} as unknown as ProjectSession;

function Screen({ state }: { state: SessionState }) {
  useProjectAddress(state, state.phase === 'ready' ? session : null, useAddress());
  return null;
}

beforeEach(() => {
  window.history.replaceState(null, '', '#/team');
});
afterEach(() => {
  window.history.replaceState(null, '', '#');
});

it('keeps the team project a person opened as the project session became ready', async () => {
  const view = render(<Screen state={loading} />);
  const moved = new Promise((resolve) => window.addEventListener('hashchange', resolve, { once: true }));
  await act(async () => {
    view.rerender(
      <>
        <Screen state={ready} />
        <ClickAfterCommit hash="#/team/t-1" />
      </>,
    );
  });
  // the click's hashchange, and the render and effects that follow it
  await act(() => moved);
  // the address gains the open project's id, and keeps the place clicked to
  expect(window.location.hash).toBe('#/project/demo-1/team/t-1');
});

it('names the open project in an address without one', async () => {
  const view = render(<Screen state={loading} />);
  await act(async () => view.rerender(<Screen state={ready} />));
  expect(window.location.hash).toBe('#/project/demo-1/team');
});
