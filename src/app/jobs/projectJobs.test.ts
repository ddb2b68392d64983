import { describe, expect, it } from 'vitest';
import { initialSessionState, type SessionState } from '../projects/projectSession.ts';
import { cancelReasonForProjectChange, type OpenProject, openProjectOf } from './projectJobs.ts';

const ready = (projectId: string | null, projectIds: string[]): OpenProject => ({
  phase: 'ready',
  projectId,
  projectIds,
});

describe('cancelReasonForProjectChange', () => {
  it.each([
    {
      description: 'nothing changes while the same project stays open (edits, saves, renames)',
      previous: ready('a', ['a', 'b']),
      next: ready('a', ['a', 'b', 'c']),
      expected: null,
    },
    {
      description: 'the first project opening after start-up stops nothing',
      previous: { phase: 'loading', projectId: null, projectIds: [] },
      next: ready('a', ['a']),
      expected: null,
    },
    {
      description: 'opening, creating or importing another project is a switch',
      previous: ready('a', ['a', 'b']),
      next: ready('b', ['a', 'b']),
      expected: 'projectSwitched',
    },
    {
      description: 'the open project gone from the list was deleted',
      previous: ready('a', ['a', 'b']),
      next: ready(null, ['b']),
      expected: 'projectDeleted',
    },
    {
      description: 'deleted and the next one opened in the same render is still a deletion',
      previous: ready('a', ['a', 'b']),
      next: ready('b', ['b']),
      expected: 'projectDeleted',
    },
    {
      description: 'close and wipe',
      previous: ready('a', ['a']),
      next: { phase: 'wiped', projectId: null, projectIds: [] },
      expected: 'projectWiped',
    },
    {
      description: 'staying wiped stops nothing more',
      previous: { phase: 'wiped', projectId: null, projectIds: [] },
      next: { phase: 'wiped', projectId: null, projectIds: [] },
      expected: null,
    },
  ] satisfies { description: string; previous: OpenProject; next: OpenProject; expected: unknown }[])(
    '$description',
    ({ previous, next, expected }) => {
      expect(cancelReasonForProjectChange(previous, next)).toBe(expected);
    },
  );
});

describe('openProjectOf', () => {
  it('reads the phase, the open project id and the stored ids', () => {
    const state = {
      ...initialSessionState,
      phase: 'ready',
      projects: [{ id: 'a' }, { id: 'b' }],
      project: { meta: { id: 'b' } },
    } as unknown as SessionState;
    expect(openProjectOf(state)).toEqual({ phase: 'ready', projectId: 'b', projectIds: ['a', 'b'] });
    expect(openProjectOf(initialSessionState)).toEqual({ phase: 'loading', projectId: null, projectIds: [] });
  });
});
