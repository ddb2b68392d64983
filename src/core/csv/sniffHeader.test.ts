import { describe, expect, it } from 'vitest';
import { sniffHeader } from './sniffHeader.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

const cases: {
  description: string;
  input: Uint8Array;
  expected: { encoding: string; delimiter: string; columns: string[] };
}[] = [
  {
    description: 'plain UTF-8 comma CSV',
    input: utf8('id,name,birth_date\r\n1,Zoë,2000-01-01\r\n'),
    expected: { encoding: 'utf-8', delimiter: ',', columns: ['id', 'name', 'birth_date'] },
  },
  {
    description: 'UTF-8 with BOM',
    input: new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('a,b\n1,2\n')]),
    expected: { encoding: 'utf-8-bom', delimiter: ',', columns: ['a', 'b'] },
  },
  {
    description: 'Windows-1252 semicolon CSV (é as 0xE9)',
    input: new Uint8Array([...utf8('id;clinic\n1;Caf'), 0xe9, ...utf8('\n')]),
    expected: { encoding: 'windows-1252', delimiter: ';', columns: ['id', 'clinic'] },
  },
  {
    description: 'tab separated with a quoted header cell',
    input: utf8('"patient id"\tmrn\n1\t2\n'),
    expected: { encoding: 'utf-8', delimiter: '\t', columns: ['patient id', 'mrn'] },
  },
];

describe('sniffHeader', () => {
  for (const { description, input, expected } of cases) {
    it(description, () => {
      expect(sniffHeader(input)).toEqual(expected);
    });
  }

  it('tolerates a multi-byte character cut at the end of the prefix', () => {
    const bytes = utf8('a,b\nZoë');
    expect(sniffHeader(bytes.subarray(0, bytes.length - 1)).encoding).toBe('utf-8');
  });

  it('refuses an empty first line', () => {
    expect(() => sniffHeader(utf8('\n1,2\n'))).toThrow(/no header row/);
  });

  it('refuses bytes that are neither UTF-8 nor Windows-1252', () => {
    expect(() => sniffHeader(new Uint8Array([0x61, 0x81, 0x0a]))).toThrow(/neither UTF-8 nor Windows-1252/);
  });
});
