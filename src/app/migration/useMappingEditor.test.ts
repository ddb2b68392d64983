import { describe, expect, it } from 'vitest';
import { createMappingHistory, MappingEditError } from '../../core/mapping/index.ts';
import type { Mapping } from '../../formats/mapping.ts';
import { redoStep, undoStep } from './useMappingEditor.ts';

const valid: Mapping = {
  format: 'preflight.mapping/v1',
  id: 'm',
  name: 'Patients',
  version: 3,
  source: 'patients.csv',
  target: { type: 'fhir', resourceType: 'Patient' },
  key: 'mrn',
  fields: [],
};
// a stored mapping the checks of an edit refuse (no key column), fixed by the first edit
const invalid = { ...valid, key: '' } as Mapping;

describe('the mapping editor’s Undo and Redo', () => {
  it('an undo the mapping refuses says why, saves nothing and keeps its step', () => {
    const saved: Mapping[] = [];
    const history = createMappingHistory({ mapping: invalid, onChange: (m) => saved.push(m) });
    history.apply({ type: 'mapping/key', key: 'mrn' });
    const fixed = history.mapping();
    for (let press = 0; press < 2; press++) {
      expect(undoStep(history)).toMatch(
        /^Undo would bring back a mapping that is not valid\. In the mapping/,
      );
      expect(history.mapping()).toBe(fixed);
      expect([history.canUndo(), history.canRedo()]).toEqual([true, false]);
    }
    expect(saved).toHaveLength(1);
  });

  it('an undo or redo that applies says nothing; nothing to undo or redo says nothing', () => {
    const history = createMappingHistory({ mapping: valid });
    expect([undoStep(history), redoStep(history)]).toEqual([null, null]);
    history.apply({ type: 'mapping/rename', name: 'P' });
    expect(undoStep(history)).toBeNull();
    expect(history.mapping().name).toBe('Patients');
    expect(redoStep(history)).toBeNull();
    expect(history.mapping().name).toBe('P');
  });

  it('a redo the mapping refuses says why; an error that is no refusal is thrown', () => {
    // a redo brings back what an edit made, so only a history told to refuse refuses it
    const history = createMappingHistory({ mapping: valid });
    const refusing = {
      ...history,
      redo: () => {
        throw new MappingEditError('invalid', 'In the mapping: no.');
      },
    };
    expect(redoStep(refusing)).toBe('Redo would bring back a mapping that is not valid. In the mapping: no.');
    const broken = {
      ...history,
      undo: () => {
        throw new TypeError('broken');
      },
    };
    expect(() => undoStep(broken)).toThrow(TypeError);
  });
});
