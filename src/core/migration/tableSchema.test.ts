import { describe, expect, it } from 'vitest';
import { isTableSchema, tableSchemaToContract } from './tableSchema.ts';

describe('Table Schema → column contract', () => {
  it('converts types, constraints and keys, and names what it cannot convert', () => {
    const schema = {
      fields: [
        { name: 'id', type: 'integer', constraints: { required: true } },
        {
          name: 'code',
          type: 'string',
          constraints: { pattern: '[A-Z]{2}', unique: true, enum: ['AB', 'CD'] },
        },
        { name: 'born', type: 'date' },
        { name: 'where', type: 'geopoint' },
      ],
      primaryKey: 'id',
      foreignKeys: [{ fields: 'code', reference: { resource: 'codes', fields: 'code' } }],
      missingValues: ['', 'NA'],
    };
    expect(isTableSchema(schema)).toBe(true);
    expect(isTableSchema({ type: 'object', properties: {} })).toBe(false);
    const converted = tableSchemaToContract(schema);
    expect(converted.contract).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        id: { type: 'integer' },
        code: { type: 'string', pattern: '^(?:[A-Z]{2})$', enum: ['AB', 'CD'] },
        born: { type: 'string', format: 'date' },
        where: {},
      },
      required: ['id'],
    });
    expect(converted.keys).toEqual(['code', 'id']);
    expect(converted.foreignKeys).toEqual([{ column: 'code', resource: 'codes', targetColumn: 'code' }]);
    expect(converted.unsupported).toEqual(['/fields/3/type', '/missingValues']);
  });
});
