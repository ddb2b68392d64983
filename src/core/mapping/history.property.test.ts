/**
 * Random edit sequences through the mapping history (fast-check prints a replayable seed on
 * failure; pin it as a regression case):
 * - every mapping on the way is schema-valid `preflight.mapping/v1` (what storage accepts);
 * - a refused edit changes nothing;
 * - undoing every edit walks back through exactly the contents seen on the way, to the start,
 *   and redoing them gives the final content again;
 * - versions only increase.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMapping } from '../../formats/generated/validators.js';
import type { Mapping, Transform } from '../../formats/mapping.ts';
import { type MappingEdit, MappingEditError, newTransform } from './edit.ts';
import { createMappingHistory } from './history.ts';
import { TRANSFORMS } from './transforms/index.ts';

const start: Mapping = {
  format: 'preflight.mapping/v1',
  id: 'm',
  name: 'Patients',
  version: 3,
  source: 'patients.csv',
  target: { type: 'schema', schema: 'urn:x' },
  key: 'mrn',
  fields: [
    { target: 'id', from: 'mrn', transform: [{ op: 'trim' }], required: true },
    { target: 'active', const: true },
  ],
};

const OPS = Object.keys(TRANSFORMS) as Transform['op'][];

/** Recipes pick fields and steps by index modulo their count, so most edits apply. */
const recipe = fc.record({
  op: fc.nat(13),
  a: fc.nat(20),
  b: fc.nat(20),
  text: fc.oneof(fc.constantFrom('', 'mrn', 'name[0].family', '(', 'x'), fc.string({ maxLength: 5 })),
  flag: fc.boolean(),
});
type Recipe = typeof recipe extends fc.Arbitrary<infer R> ? R : never;

function realise(m: Mapping, r: Recipe): MappingEdit {
  const n = Math.max(1, m.fields.length);
  const index = r.a % n;
  const steps = m.fields[index]?.transform?.length ?? 0;
  const op = OPS[r.b % OPS.length] as Transform['op'];
  switch (r.op) {
    case 0:
      return { type: 'mapping/rename', name: r.text };
    case 1:
      return {
        type: 'mapping/target',
        target: r.flag
          ? { type: 'fhir', resourceType: r.text || 'Patient' }
          : { type: 'schema', schema: r.text },
      };
    case 2:
      return { type: 'mapping/key', key: r.flag ? r.text : [r.text, 'site'] };
    case 3:
      return {
        type: 'field/add',
        field: { target: `t${r.a}${r.text}`, from: r.text || 'c' },
        at: r.b % (n + 1),
      };
    case 4:
      return { type: 'field/remove', index };
    case 5:
      return { type: 'field/move', from: index, to: r.b % n };
    case 6:
      return { type: 'field/target', index, target: r.text };
    case 7:
      return {
        type: 'field/source',
        index,
        source: r.flag
          ? { kind: 'column', column: r.text }
          : r.b % 2 === 0
            ? { kind: 'const', value: r.text }
            : { kind: 'columns', columns: [r.text, 'x'] },
      };
    case 8:
      return { type: 'field/required', index, required: r.flag };
    case 9:
      return { type: 'transform/add', index, transform: newTransform(op), at: r.b % (steps + 1) };
    case 10:
      return { type: 'transform/remove', index, step: r.b % Math.max(1, steps) };
    case 11:
      return { type: 'transform/move', index, from: r.b % Math.max(1, steps), to: r.a % Math.max(1, steps) };
    case 12:
      return {
        type: 'transform/set',
        index,
        step: r.b % Math.max(1, steps),
        transform: r.flag
          ? { op: 'regexReplace', pattern: r.text, replacement: 'y' }
          : { op: 'split', separator: r.text },
      };
    default:
      return { type: 'mapping/replace', mapping: { ...m, fields: [] } };
  }
}

const content = ({ version: _v, ...rest }: Mapping) => rest;

describe('mapping history (property)', () => {
  it('keeps every mapping schema-valid; undo restores each content on the way back; redo replays', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(recipe, fc.option(fc.constantFrom('typing'), { nil: undefined })), {
          maxLength: 30,
        }),
        (steps) => {
          const history = createMappingHistory({ mapping: start });
          const seen: Mapping[] = [history.mapping()];
          let lastVersion = start.version;
          for (const [r, coalesce] of steps) {
            const before = history.mapping();
            const edit = realise(before, r);
            try {
              const next = history.apply(edit, coalesce ? { coalesce } : {});
              if (next !== before) {
                expect(next.version).toBeGreaterThan(lastVersion);
                lastVersion = next.version;
                seen.push(next);
              }
            } catch (error) {
              expect(error).toBeInstanceOf(MappingEditError);
              expect(history.mapping()).toBe(before);
            }
            expect(validateMapping(history.mapping())).toBe(true);
          }
          const finalContent = content(history.mapping());
          // walk back: each undo gives a content seen earlier, in order, and ends at the start
          let undone = 0;
          let position = seen.length - 1;
          while (history.canUndo()) {
            const back = history.undo() as Mapping;
            expect(back.version).toBeGreaterThan(lastVersion);
            lastVersion = back.version;
            expect(validateMapping(back)).toBe(true);
            const at = seen
              .slice(0, position)
              .map(content)
              .findLastIndex((m) => JSON.stringify(m) === JSON.stringify(content(back)));
            expect(at).toBeGreaterThanOrEqual(0);
            position = at;
            undone++;
          }
          expect(content(history.mapping())).toEqual(content(start));
          for (let i = 0; i < undone; i++) history.redo();
          expect(content(history.mapping())).toEqual(finalContent);
        },
      ),
    );
  });
});
