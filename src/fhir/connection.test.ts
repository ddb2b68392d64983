import { describe, expect, it } from 'vitest';
import { readCapabilities } from './connection.ts';

describe('readCapabilities', () => {
  it.each([
    { description: 'nothing', statement: {}, bulkExport: false, transactions: false, types: [] },
    {
      description: 'system-level export operation and transactions',
      statement: {
        rest: [{ mode: 'server', interaction: [{ code: 'transaction' }], operation: [{ name: 'export' }] }],
      },
      bulkExport: true,
      transactions: true,
      types: [],
    },
    {
      description: 'export on Patient',
      statement: {
        rest: [
          {
            resource: [{ type: 'Patient', operation: [{ name: 'export' }], interaction: [{ code: 'read' }] }],
          },
        ],
      },
      bulkExport: true,
      transactions: false,
      types: ['Patient'],
    },
    {
      description: 'bulk data in instantiates',
      statement: { instantiates: ['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'] },
      bulkExport: true,
      transactions: false,
      types: [],
    },
    {
      description: 'export on another type only (not a bulk export level)',
      statement: { rest: [{ resource: [{ type: 'Observation', operation: [{ name: 'export' }] }] }] },
      bulkExport: false,
      transactions: false,
      types: ['Observation'],
    },
    {
      description: 'a client-mode rest entry is ignored',
      statement: {
        rest: [{ mode: 'client', interaction: [{ code: 'transaction' }], resource: [{ type: 'Patient' }] }],
      },
      bulkExport: false,
      transactions: false,
      types: [],
    },
    {
      description: 'malformed parts are skipped',
      statement: {
        rest: [
          {
            resource: [{ type: 7 }, { type: 'Patient', searchParam: [{ name: 'identifier' }, { name: 3 }] }],
          },
        ],
      },
      bulkExport: false,
      transactions: false,
      types: ['Patient'],
    },
  ])('$description', ({ statement, bulkExport, transactions, types }) => {
    const read = readCapabilities(statement);
    expect(read.bulkExport).toBe(bulkExport);
    expect(read.transactions).toBe(transactions);
    expect(read.resources.map((r) => r.type)).toEqual(types);
  });

  it('keeps search parameters that are strings only', () => {
    const read = readCapabilities({
      rest: [{ resource: [{ type: 'Patient', searchParam: [{ name: 'identifier' }, { name: 3 }] }] }],
    });
    expect(read.resources[0]?.searchParams).toEqual(['identifier']);
  });
});
