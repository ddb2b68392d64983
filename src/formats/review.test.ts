import { describe, expect, it } from 'vitest';
import { createProjectFile, parseProjectFile } from './project.ts';
import { loadReview } from './review.ts';
import { fixtureDecision, fixtureProject, fixtureReview } from './testing/fixtures.ts';

describe('preflight.review/v1', () => {
  it('loads a review with decisions, and refuses two decisions with one id', () => {
    const review = fixtureReview('rv1', [fixtureDecision('d1'), fixtureDecision('d2', 'MRN-2', 'reject')]);
    expect(loadReview(review)).toEqual({ ok: true, value: review });
    const twice = fixtureReview('rv1', [fixtureDecision('d1'), fixtureDecision('d1', 'MRN-2')]);
    expect(loadReview(twice)).toMatchObject({ ok: false, problems: [{ path: '/decisions/1/id' }] });
  });

  const bad = [
    {
      description: 'a time without a zone',
      change: { decidedAt: '2025-03-02T09:15:00' },
      path: '/decisions/0/decidedAt',
    },
    {
      description: 'an unknown reason code',
      change: { findings: [{ field: 'x', reason: 'typo', defectClass: 'major' }] },
      path: '/decisions/0/findings/0/reason',
    },
    {
      description: 'a shown hash that is not SHA-256',
      change: { shownSha256: 'abc' },
      path: '/decisions/0/shownSha256',
    },
  ];
  it.each(bad)('refuses $description, naming where', ({ change, path }) => {
    const review = fixtureReview('rv1', [{ ...fixtureDecision('d1'), ...change } as never]);
    const loaded = loadReview(review);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems.map((p) => p.path)).toContain(path);
  });

  it('travels in a project file and back, unchanged', () => {
    const project = { ...fixtureProject(), reviews: [fixtureReview('rv1', [fixtureDecision('d1')])] };
    const file = createProjectFile(project, { now: '2025-03-03T00:00:00Z', appVersion: '0.1.0' });
    const parsed = parseProjectFile(JSON.stringify(file));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.project.reviews).toEqual(project.reviews);
  });
});
