/**
 * The process map kept in the project: which finished discoveries are put (only the project's
 * own, with a map and cases left, and only what storage would accept).
 */
import { describe, expect, it } from 'vitest';
import type { DiscoverOutcome } from '../../../../workers/eventLogApi.ts';
import { fixtureLogMap } from '../../../formats/testing/fixtures.ts';
import type { Answered, DiscoverRequest } from './eventLogJobs.ts';
import { keptFileMatch, logMapToKeep } from './keptMap.ts';

const NOW = '2025-03-14T16:20:00.000Z';
const PROJECT = 'project-1';
const expected = fixtureLogMap();
const FILE = expected.log;

type Ok = Extract<DiscoverOutcome, { ok: true }>;

function answer(
  overrides: {
    projectId?: string;
    outcome?: DiscoverOutcome;
    map?: Ok['map'] | null;
    casesAfter?: number;
  } = {},
) {
  const request = {
    file: new File(['case,activity,time\n'], FILE.name),
    form: expected.filters,
    projectId: 'projectId' in overrides ? overrides.projectId : PROJECT,
  } as unknown as DiscoverRequest;
  const outcome: DiscoverOutcome = overrides.outcome ?? {
    ok: true,
    reading: {} as Ok['reading'],
    workflow: {} as Ok['workflow'],
    filters: { casesAfter: overrides.casesAfter ?? 40 } as Ok['filters'],
    ...(overrides.map === null ? {} : { map: overrides.map ?? expected.map }),
  };
  return { request, outcome } satisfies Answered<DiscoverRequest, DiscoverOutcome>;
}

describe('which finished discovery is kept in the project', () => {
  it('a map measured in the open project, with the file, the filters and the time', () => {
    expect(logMapToKeep(answer(), FILE, PROJECT, NOW)).toEqual(expected);
  });

  it.each([
    { title: 'no answer', input: null },
    { title: 'a failed discovery', input: answer({ outcome: { ok: false, message: 'no rows' } }) },
    { title: 'a discovery without a map', input: answer({ map: null }) },
    { title: 'a discovery that left no case', input: answer({ casesAfter: 0 }) },
    { title: 'a discovery started in another project', input: answer({ projectId: 'other' }) },
    { title: 'a discovery that names no project', input: answer({ projectId: undefined }) },
    {
      title: 'a map storage would refuse',
      input: answer({ map: { ...expected.map, cases: -1 } }),
    },
  ])('none for $title', ({ input }) => {
    expect(logMapToKeep(input, FILE, PROJECT, NOW)).toBeNull();
  });
});

describe('whether a chosen file is the one the kept map was measured from', () => {
  it.each([
    { title: 'the same file', file: FILE, match: 'same' },
    { title: 'the same content under another name', file: { ...FILE, name: 'renamed.csv' }, match: 'same' },
    { title: 'a file of another size', file: { ...FILE, bytes: FILE.bytes + 1 }, match: 'different' },
    {
      title: 'a file of the same size and name with other content',
      file: { ...FILE, sha256: FILE.sha256.replace(/^./, (c) => (c === '0' ? '1' : '0')) },
      match: 'different',
    },
  ])('$title: $match', ({ file, match }) => {
    expect(keptFileMatch(file, expected)).toBe(match);
  });
});
