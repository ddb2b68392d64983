/**
 * `placeLastRow` is how a FHIR finding in a mapped record is traced back to its source column, so
 * it must agree with the record `mapRow` built, whatever the row (fast-check prints the seed of
 * a failure; pin it as a case here): every primitive value of the record is placed exactly once,
 * at the path where it sits, by the field whose value it is — including in lists that were closed
 * up because an earlier item had no value.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FieldMapping, loadMapping, type Mapping } from '../../formats/mapping.ts';
import { compileMapping, type MappedJson } from './compileMapping.ts';

const demo = (() => {
  const file = path.resolve(import.meta.dirname, '../../../samples/mappings/patients-to-fhir-patient.json');
  const loaded = loadMapping(JSON.parse(readFileSync(file, 'utf8')));
  if (!loaded.ok) throw new Error('demo mapping does not load');
  return loaded.value as Mapping;
})();

/** Every primitive of a record with its path, written the way targets are (`name[0].given[1]`). */
function leaves(node: MappedJson, at: string, out: Map<string, MappedJson>): Map<string, MappedJson> {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) leaves(item, `${at}[${i}]`, out);
  } else if (typeof node === 'object')
    for (const [k, v] of Object.entries(node)) leaves(v, at ? `${at}.${k}` : k, out);
  else out.set(at, node);
  return out;
}

/** A mapping with lists of items filled by columns and by constants, so rows close lists up differently. */
const LISTS: Mapping = {
  ...demo,
  fields: [
    { target: 'a[0]', from: 'c0' },
    { target: 'a[1]', from: 'c1' },
    { target: 'a[2]', const: 'k' },
    { target: 'b[0].x', from: 'c2' },
    { target: 'b[0].y', const: 'fixed' },
    { target: 'b[1].x', from: 'c3' },
    { target: 'b[2].z[0]', from: 'c0' },
    { target: 'b[2].z[1]', from: 'c4' },
    { target: 'c.d[0].e', from: 'c1', required: true },
  ] satisfies FieldMapping[],
};

const cell = fc.oneof(
  fc.constantFrom('', ' ', 'M', 'f', '2023-02-30', '11/09/1938', 'a\nb'),
  fc.string({ maxLength: 8 }),
);

describe('CompiledMapping.placeLastRow', () => {
  it.each([
    { name: 'the demo mapping', mapping: demo, width: 18 },
    { name: 'lists filled by columns and constants', mapping: LISTS, width: 5 },
  ])('places every value of the record once, where it is ($name)', ({ mapping, width }) => {
    const header =
      mapping === demo
        ? [
            'patient_id',
            'mrn',
            'last_name',
            'first_name',
            'middle_name',
            'birth_date',
            'sex',
            'ssn',
            'phone',
            'email',
            'address_line',
            'city',
            'state',
            'postal_code',
            'insurance_member_id',
            'primary_care_provider',
            'allergies',
            'last_visit',
          ]
        : ['c0', 'c1', 'c2', 'c3', 'c4'];
    const compiled = compileMapping(mapping, header);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const fields = new Map(mapping.fields.map((f) => [f.target, f]));
    fc.assert(
      fc.property(fc.array(cell, { minLength: width, maxLength: width }), (cells) => {
        const { record } = compiled.compiled.mapRow(cells, 1);
        const placed = compiled.compiled.placeLastRow();
        const values = leaves(record, '', new Map());
        expect(placed.map((p) => p.path).sort()).toEqual([...values.keys()].sort());
        for (const p of placed) {
          const field = fields.get(p.target) as FieldMapping;
          if (field.from === undefined) {
            expect(values.get(p.path)).toBe(field.const);
            expect(p.column).toBeUndefined();
          } else expect(p.column).toBe(Array.isArray(field.from) ? field.from.join(' + ') : field.from);
          // closed-up lists only move items to earlier positions, never into another element
          expect(p.path.replace(/\[\d+\]/g, '[]')).toBe(p.target.replace(/\[\d+\]/g, '[]'));
        }
      }),
      { numRuns: 500 },
    );
  });
});
