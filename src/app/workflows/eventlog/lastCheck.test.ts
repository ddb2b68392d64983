import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConformanceResult } from '../../../core/workflow/eventlog/conform.ts';
import { type LastCheck, readLastCheck, writeLastCheck } from './lastCheck.ts';

const result: ConformanceResult = {
  method: 'alignment',
  cases: 3,
  conformingCases: 2,
  fitness: 0.9,
  minCaseFitness: 0.7,
  unalignedCases: 0,
  skipped: { triage: 1 },
  inserted: { 'Call lab': 1 },
  insertedAfter: { triage: { 'Call lab': 1 } },
  workarounds: { 'Call lab': 1 },
  repeatedEntry: {},
  times: {},
  matched: { Triage: 'triage' },
  unloggedDecisions: [],
};
const check: LastCheck = { projectId: 'p1', workflowId: 'intake-future', logName: 'week-12.csv', result };

/** A sessionStorage of one tab, for Node. */
function fakeStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('the last go-live check kept for the drift overlay', () => {
  beforeEach(() => {
    (globalThis as { sessionStorage?: unknown }).sessionStorage = fakeStorage();
  });
  afterEach(() => {
    delete (globalThis as { sessionStorage?: unknown }).sessionStorage;
  });

  it.each([
    { description: 'the same project and workflow', project: 'p1', workflow: 'intake-future', found: true },
    { description: 'another workflow', project: 'p1', workflow: 'lab-future', found: false },
    {
      description: 'another project with the same workflow id',
      project: 'p2',
      workflow: 'intake-future',
      found: false,
    },
  ])('comes back after a reload for $description: $found', ({ project, workflow, found }) => {
    writeLastCheck(check);
    expect(readLastCheck(project, workflow)).toEqual(found ? check : null);
  });

  it.each([
    { description: 'not JSON', stored: '{' },
    { description: 'not a check', stored: JSON.stringify({ projectId: 'p1' }) },
    {
      description: 'a result of another kind',
      stored: JSON.stringify({ ...check, result: { ...result, method: 'token-replay' } }),
    },
    {
      description: 'a result without its counts',
      stored: JSON.stringify({ ...check, result: { method: 'alignment' } }),
    },
  ])('a damaged entry is ignored, never trusted: $description', ({ stored }) => {
    sessionStorage.setItem('preflight.lastCheck', stored);
    expect(readLastCheck('p1', 'intake-future')).toBeNull();
  });

  it('storage that refuses writes loses the overlay after a reload, nothing else', () => {
    (globalThis as { sessionStorage?: unknown }).sessionStorage = {
      ...fakeStorage(),
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => writeLastCheck(check)).not.toThrow();
    expect(readLastCheck('p1', 'intake-future')).toBeNull();
  });
});
