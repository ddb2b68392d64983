import { act, render } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClickAfterCommit } from '../common/testing/clickAfterCommit.tsx';
import { INVITATION_KEY, JoinProject } from './JoinProject.tsx';

beforeEach(() => {
  window.history.replaceState(null, '', '#/join/c0de');
});
afterEach(() => {
  window.history.replaceState(null, '', '#');
  window.sessionStorage.clear();
});

it('puts the code aside in this tab and takes it out of the address', async () => {
  await act(async () => {
    render(<JoinProject state={{ phase: 'probing' }} code="c0de" />);
  });
  expect(window.sessionStorage.getItem(INVITATION_KEY)).toBe('c0de');
  expect(window.location.hash).toBe('#/join');
});

it('keeps the place a person clicked to as the invitation opened', async () => {
  await act(async () => {
    render(
      <>
        <JoinProject state={{ phase: 'probing' }} code="c0de" />
        <ClickAfterCommit hash="#/workflows" />
      </>,
    );
  });
  expect(window.sessionStorage.getItem(INVITATION_KEY)).toBe('c0de');
  expect(window.location.hash).toBe('#/workflows');
});
