import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import { type InputJob, validateInputs } from '../validation/index.ts';
import {
  attachMappedChecks,
  MappingUnusableError,
  prepareSchemaTarget,
  runContractShape,
  targetSchemaOf,
} from './mappedRun.ts';
import { mappingOf } from './testing/mappings.ts';

const LAYOUT = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' } as const;
const TARGET = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[0-9]+$' } },
  required: ['id'],
};
const job = (name: string, text: string): InputJob => ({
  source: memorySource(name, new TextEncoder().encode(text)),
  layout: { ...LAYOUT },
});

describe("a run's mappings", () => {
  it('checks each mapped file, adds the mapping key, prepares a mapping once and names the one target', async () => {
    const jobs = [job('a.csv', 'mrn,x\n1,\n1,\nz,\n'), job('b.csv', 'mrn\n2\n'), job('c.csv', 'mrn\n3\n')];
    const mapping = mappingOf([{ target: 'id', from: 'mrn' }]);
    const chosen = { mapping, name: 'm.json', given: true };
    let prepared = 0;
    const warnings: string[] = [];
    const info = await attachMappedChecks(
      ['a.csv', 'b.csv', 'c.csv'],
      jobs,
      [chosen, chosen, undefined],
      async () => {
        prepared += 1;
        return prepareSchemaTarget(mapping as typeof mapping & { target: { type: 'schema' } }, 'm.json', {
          name: 'target.json',
          schema: TARGET,
        });
      },
      (message) => warnings.push(message),
    );
    expect(prepared).toBe(1);
    expect(warnings).toEqual([]);
    expect(jobs.map((j) => j.keys)).toEqual([[{ column: 'mrn' }], [{ column: 'mrn' }], undefined]);
    // not every file is mapped: the run names no one target
    expect(info).toEqual({});
    const results = await validateInputs(jobs.slice(0, 2), []);
    expect(results[0]?.invalid).toBe(1);
  });

  it.each([
    {
      description: 'a column the file lacks',
      from: 'nope',
      given: true,
      start: 'The mapping "m.json" cannot run on a.csv: /fields/0/target:',
    },
    {
      description: 'a saved mapping',
      from: 'nope',
      given: false,
      start: 'The saved mapping "s" cannot run on a.csv: /fields/0/target:',
    },
  ])('refuses $description, naming the mapping and the file', async ({ from, given, start }) => {
    const mapping = mappingOf([{ target: 'id..x', from }]);
    const name = given ? 'm.json' : 'saved mapping "s"';
    const attached = attachMappedChecks(
      ['a.csv'],
      [job('a.csv', 'mrn\n1\n')],
      [{ mapping, name, given }],
      () => {
        throw new Error('not prepared');
      },
      () => {},
    );
    await expect(attached).rejects.toBeInstanceOf(MappingUnusableError);
    await expect(attached).rejects.toThrow(start);
  });
});

describe('the files a run reads', () => {
  it.each([
    { description: 'a JSON Schema', json: TARGET, ok: true },
    {
      description: 'a Table Schema, converted',
      json: { fields: [{ name: 'id', type: 'integer' }] },
      ok: true,
    },
    { description: 'a list', json: [], ok: false },
  ])('a target schema: $description', ({ json, ok }) => {
    if (ok) expect(targetSchemaOf(json, 't.json', 'm.json')).toHaveProperty('properties');
    else
      expect(() => targetSchemaOf(json, 't.json', 'm.json')).toThrow(
        'the target schema "t.json" of the mapping "m.json" is not a JSON Schema',
      );
  });

  it.each([
    { description: 'a JSON Schema of rows', json: TARGET, message: undefined },
    {
      description: 'a Table Schema with a primary key',
      json: { fields: [{ name: 'id', type: 'integer' }], primaryKey: 'id' },
      message: undefined,
    },
    { description: 'neither', json: { title: 'x' }, message: '"c.json" is not a column contract' },
  ])('a contract: $description', ({ json, message }) => {
    const read = runContractShape(json, 'c.json');
    if (message === undefined) expect(read.ok).toBe(true);
    else expect(read.ok ? '' : read.problem.message).toMatch(message);
  });

  it('a missing or uncompilable target schema is refused with its words', async () => {
    const mapping = mappingOf([{ target: 'id', from: 'mrn' }]) as ReturnType<typeof mappingOf> & {
      target: { type: 'schema' };
    };
    await expect(prepareSchemaTarget(mapping, 'saved mapping "s"', null)).rejects.toThrow(
      'the saved mapping "s" maps to the schema "target.json", which the project does not hold',
    );
    await expect(
      prepareSchemaTarget(mapping, 'm.json', { name: 't.json', schema: { type: 'object', properties: 3 } }),
    ).rejects.toThrow('the target schema "t.json" of the mapping "m.json" does not compile');
  });
});
