/** The flags of `npm run fhir-server`, bulk export among them, parsed without starting a server. */
import { describe, expect, it } from 'vitest';
import { parseFhirServerArgs } from './mainArgs.ts';

describe('parseFhirServerArgs', () => {
  it('defaults to port 8103, the demo patients and no bulk export', () => {
    expect(parseFhirServerArgs([])).toEqual({ port: 8103, empty: false, bulkExport: false });
  });

  it('switches bulk data $export on with --bulk-export', () => {
    expect(parseFhirServerArgs(['--bulk-export', '--port', '0', '--empty'])).toEqual({
      port: 0,
      empty: true,
      bulkExport: true,
    });
  });

  it('keeps the token file and the allowed origins', () => {
    expect(
      parseFhirServerArgs([
        '--token-file',
        't.txt',
        '--allow-origin',
        'http://a.test',
        '--allow-origin',
        'http://b.test',
      ]),
    ).toEqual({
      port: 8103,
      tokenFile: 't.txt',
      allowOrigins: ['http://a.test', 'http://b.test'],
      empty: false,
      bulkExport: false,
    });
  });

  it.each([
    { args: ['--port', '70000'], error: '--port must be a number from 0 to 65535' },
    { args: ['--port', 'x'], error: '--port must be a number from 0 to 65535' },
    { args: ['--bulk'], error: 'Usage: npm run fhir-server' },
  ])('refuses $args, saying what to do', ({ args, error }) => {
    expect(() => parseFhirServerArgs(args)).toThrow(error);
  });
});
