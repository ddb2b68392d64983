import { describe, expect, it } from 'vitest';
import { createProjectFile, loadProjectFile, type Project } from './project.ts';
import {
  readSafetyAssessment,
  readSteeringDraft,
  SAFER_LEVELS,
  saferLevelOfStatus,
  statusOfSaferLevel,
  withSafetyAnswer,
  withSteeringDraft,
} from './steering.ts';

const now = '2026-11-24T00:00:00Z';
const project = (settings: Record<string, unknown>): Project => ({
  meta: { id: 'p', name: 'Clinic', createdAt: now, updatedAt: now, settings },
  workflows: [],
  mappings: [],
  samplePlans: [],
  reports: [],
  datasets: [],
  schemas: [],
});
const load = (settings: Record<string, unknown>) =>
  loadProjectFile(
    JSON.parse(JSON.stringify(createProjectFile(project(settings), { now, appVersion: '0.1.0' }))),
  );

describe('steering records in the project settings', () => {
  it('a status without who set it reads as no status; the rest of the answer stays', () => {
    expect(
      readSafetyAssessment({
        safetyAssessment: { answers: [{ item: 'a', owner: 'Rae', status: 'full' }, 7] },
      }),
    ).toEqual({ answers: [{ item: 'a', owner: 'Rae' }] });
  });

  const by = { by: 'Rae', at: now };
  it.each([
    {
      description: 'an answer saved before the scale keeps its status and gains no level',
      answer: { item: 'a', status: 'partial', ...by },
      expected: { item: 'a', status: 'partial', ...by },
    },
    {
      description: 'a level that agrees with its status is kept, with the grade',
      answer: { item: 'a', status: 'partial', level: 'full-some', grade: 'tested', ...by },
      expected: { item: 'a', status: 'partial', level: 'full-some', grade: 'tested', ...by },
    },
    {
      description: 'a level the status no longer agrees with (edited before the scale) is dropped',
      answer: { item: 'a', status: 'full', level: 'partial-all', ...by },
      expected: { item: 'a', status: 'full', ...by },
    },
    {
      description: 'a level without a status, and an unknown grade, are dropped',
      answer: { item: 'a', level: 'full-all', grade: 'hearsay' },
      expected: { item: 'a' },
    },
  ])('$description', ({ answer, expected }) => {
    expect(readSafetyAssessment({ safetyAssessment: { answers: [answer] } })).toEqual({
      answers: [expected],
    });
  });

  it('maps the three-level scale onto the five points and back', () => {
    expect((['full', 'partial', 'none'] as const).map(saferLevelOfStatus)).toEqual([
      'full-all',
      'partial-some',
      'none',
    ]);
    expect(SAFER_LEVELS.map(statusOfSaferLevel)).toEqual(['full', 'partial', 'partial', 'partial', 'none']);
  });

  it('a later answer for an item replaces the earlier one, keeping other settings', () => {
    const once = withSafetyAnswer({ other: 1 }, { item: 'a', owner: 'Rae' });
    const twice = withSafetyAnswer(once, { item: 'a', owner: 'Sam' });
    expect(twice).toEqual({ other: 1, safetyAssessment: { answers: [{ item: 'a', owner: 'Sam' }] } });
  });

  it('a draft is kept, read back and removed', () => {
    const kept = withSteeringDraft({ other: 1 }, { decision: 'no-go', rationale: 'Not yet.' });
    expect(readSteeringDraft(kept)).toEqual({ decision: 'no-go', rationale: 'Not yet.' });
    expect(withSteeringDraft(kept, undefined)).toEqual({ other: 1 });
    expect(readSteeringDraft({ steeringDraft: { decision: 'maybe', rationale: '' } })).toBeUndefined();
  });

  it.each([
    {
      name: 'a status without who set it',
      settings: { safetyAssessment: { answers: [{ item: 'a', status: 'full' }] } },
      path: '/project/meta/settings/safetyAssessment/answers/0',
    },
    {
      name: 'a status that is not a status',
      settings: { safetyAssessment: { answers: [{ item: 'a', status: 'yes', by: 'R', at: now }] } },
      path: '/project/meta/settings/safetyAssessment/answers/0/status',
    },
    {
      name: 'a draft deciding neither go nor no-go',
      settings: { steeringDraft: { decision: 'maybe', rationale: '' } },
      path: '/project/meta/settings/steeringDraft/decision',
    },
  ])('the project file refuses $name at its path', ({ settings, path }) => {
    const loaded = load(settings);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems.map((p) => p.path)).toContain(path);
  });

  it('the project file takes well-formed records', () => {
    const loaded = load({
      safetyAssessment: {
        answers: [{ item: 'a', owner: 'Rae', status: 'partial', by: 'Rae', at: now, reason: 'why' }],
      },
      steeringDraft: { decision: 'go', rationale: '' },
    });
    expect(loaded.ok).toBe(true);
  });
});
