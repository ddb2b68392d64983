import { describe, expect, it } from 'vitest';
import { createProjectFile, parseProjectFile } from './project.ts';
import { checkProjectName, MAX_PROJECT_NAME_LENGTH } from './projectName.ts';

describe('checkProjectName', () => {
  it.each([
    { description: 'a plain name', input: 'Clinic A', expected: { ok: true, name: 'Clinic A' } },
    { description: 'surrounding spaces', input: '  Clinic A \t', expected: { ok: true, name: 'Clinic A' } },
    {
      description: 'exactly the maximum',
      input: 'x'.repeat(MAX_PROJECT_NAME_LENGTH),
      expected: { ok: true, name: 'x'.repeat(MAX_PROJECT_NAME_LENGTH) },
    },
    {
      description: 'the maximum once trimmed',
      input: ` ${'x'.repeat(MAX_PROJECT_NAME_LENGTH)} `,
      expected: { ok: true, name: 'x'.repeat(MAX_PROJECT_NAME_LENGTH) },
    },
  ])('accepts $description', ({ input, expected }) => {
    expect(checkProjectName(input)).toEqual(expected);
  });

  it.each([
    { description: 'empty', input: '', code: 'blank-name' },
    { description: 'spaces only', input: '   ', code: 'blank-name' },
    { description: 'not a string', input: 42, code: 'blank-name' },
    {
      description: 'one past the maximum',
      input: 'x'.repeat(MAX_PROJECT_NAME_LENGTH + 1),
      code: 'name-too-long',
    },
    { description: '10,000 characters', input: 'x'.repeat(10_000), code: 'name-too-long' },
  ])('refuses $description with $code', ({ input, code }) => {
    const checked = checkProjectName(input);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.code).toBe(code);
    // the message states the rule, never the name itself
    if (typeof input === 'string' && input.trim() !== '') expect(checked.message).not.toContain(input);
  });

  it('states the maximum and the length in the too-long message', () => {
    const checked = checkProjectName('x'.repeat(10_000));
    expect(checked).toMatchObject({
      ok: false,
      message: `A project name can be at most ${MAX_PROJECT_NAME_LENGTH} characters long; this one has 10,000.`,
    });
  });
});

describe('importing a project file applies the same name rule', () => {
  /** An empty project file, correctly hashed, whose project has `name`. */
  const withName = (name: string) => {
    const now = '2026-11-02T09:00:00Z';
    const project = {
      meta: { id: 'p1', name, createdAt: now, updatedAt: now, settings: {} },
      workflows: [],
      mappings: [],
      samplePlans: [],
      reports: [],
      datasets: [],
      schemas: [],
    };
    return JSON.stringify(createProjectFile(project, { now, appVersion: '0.1.0' }));
  };

  it.each([
    { description: 'spaces only', name: '   ', code: 'blank-name' },
    { description: '10,000 characters', name: 'x'.repeat(10_000), code: 'name-too-long' },
  ])('refuses a name of $description at /project/meta/name', ({ name, code }) => {
    const result = parseProjectFile(withName(name));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.path, p.code])).toContainEqual(['/project/meta/name', code]);
  });

  it('accepts the longest allowed name', () => {
    const result = parseProjectFile(withName('x'.repeat(MAX_PROJECT_NAME_LENGTH)));
    expect(result.ok).toBe(true);
  });
});
