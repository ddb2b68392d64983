import { describe, expect, it } from 'vitest';
import type { Mapping } from '../../formats/mapping.ts';
import { MappingEditError } from './edit.ts';
import { createMappingHistory } from './history.ts';

const start: Mapping = {
  format: 'preflight.mapping/v1',
  id: 'm',
  name: 'Patients',
  version: 4,
  source: 'patients.csv',
  target: { type: 'fhir', resourceType: 'Patient' },
  key: 'mrn',
  fields: [{ target: 'name[0].family', from: 'last_name', transform: [{ op: 'trim' }] }],
};

const setPattern = (pattern: string) =>
  ({
    type: 'transform/set',
    index: 0,
    step: 0,
    transform: { op: 'regexReplace', pattern, replacement: '' },
  }) as const;

describe('mapping history', () => {
  it('makes typing with one key one undo step, and stamps a higher version on every change', () => {
    const saved: Mapping[] = [];
    const history = createMappingHistory({ mapping: start, onChange: (m) => saved.push(m) });
    for (const pattern of ['a', 'ab', 'abc']) history.apply(setPattern(pattern), { coalesce: 'pattern' });
    history.apply({ type: 'mapping/rename', name: 'P' });
    expect(saved.map((m) => m.version)).toEqual([5, 6, 7, 8]);
    history.undo();
    expect(history.mapping().name).toBe('Patients');
    history.undo();
    expect(history.mapping().fields).toEqual(start.fields);
    expect(history.mapping().version).toBe(10);
    expect(history.canUndo()).toBe(false);
    history.redo();
    expect(history.mapping().fields[0]?.transform?.[0]).toMatchObject({ pattern: 'abc' });
    expect(saved).toHaveLength(7);
  });

  it('a refused edit changes nothing and is not saved', () => {
    const saved: Mapping[] = [];
    const history = createMappingHistory({ mapping: start, onChange: (m) => saved.push(m) });
    expect(() => history.apply(setPattern(''))).toThrow(MappingEditError);
    expect(history.mapping()).toBe(start);
    expect(history.canUndo()).toBe(false);
    expect(saved).toEqual([]);
  });

  it('a mapping replaced from outside clears both stacks; its own echo does not', () => {
    const history = createMappingHistory({ mapping: start });
    const edited = history.apply({ type: 'mapping/rename', name: 'P' });
    history.update({ mapping: edited });
    expect(history.canUndo()).toBe(true);
    history.update({ mapping: { ...start, version: 20 } });
    expect(history.canUndo()).toBe(false);
    expect(history.apply({ type: 'mapping/rename', name: 'Q' }).version).toBe(21);
  });

  it('a mapping given whole after one from outside still gets a version above the outside one', () => {
    // review records cite versions: a lower version inside a replace must not bring one back
    const history = createMappingHistory({ mapping: start });
    history.update({ mapping: { ...start, name: 'Elsewhere', version: 20 } });
    const replaced = history.apply({ type: 'mapping/replace', mapping: { ...start, name: 'Q', version: 1 } });
    expect(replaced.version).toBe(21);
  });
});
