import { describe, expect, it } from 'vitest';
import { MAX_PROJECT_NAME_LENGTH } from '../../formats/projectName.ts';
import { projectLabels, shortName } from './projectLabels.ts';

const meta = (id: string, name: string, createdAt = '2026-11-02T09:00:00.000Z') => ({ id, name, createdAt });

describe('projectLabels', () => {
  it.each([
    {
      description: 'distinct names stay as they are',
      input: [meta('a', 'Clinic A'), meta('b', 'Clinic B')],
      expected: ['Clinic A', 'Clinic B'],
    },
    {
      description: 'a repeated name gets the creation date',
      input: [
        meta('a', 'Clinic A', '2026-11-02T09:00:00Z'),
        meta('b', 'Clinic A', '2026-11-05T09:00:00Z'),
        meta('c', 'Other'),
      ],
      expected: ['Clinic A · created 2026-11-02', 'Clinic A · created 2026-11-05', 'Other'],
    },
    {
      description: 'the same name and date get a running number',
      input: [meta('a', 'Clinic A'), meta('b', 'Clinic A'), meta('c', 'Clinic A', '2026-12-01T00:00:00Z')],
      expected: [
        'Clinic A · created 2026-11-02 · 1',
        'Clinic A · created 2026-11-02 · 2',
        'Clinic A · created 2026-12-01',
      ],
    },
  ])('$description', ({ input, expected }) => {
    const labels = projectLabels(input);
    expect(input.map((p) => labels.get(p.id))).toEqual(expected);
    expect(new Set(labels.values()).size).toBe(input.length);
  });

  it('shortens names stored before the length rule existed', () => {
    const label = projectLabels([meta('a', 'x'.repeat(10_000))]).get('a') ?? '';
    expect(label).toHaveLength(MAX_PROJECT_NAME_LENGTH);
    expect(label.endsWith('…')).toBe(true);
  });
});

describe('shortName', () => {
  it('keeps a name within the maximum and never splits a character', () => {
    expect(shortName('Clinic A', 5)).toBe('Clin…');
    expect(shortName('Clinic', 6)).toBe('Clinic');
    expect(shortName('ab😀cd', 4)).toBe('ab…');
  });
});
