/**
 * The third-party test data in tests/fixtures/external/: `externalFixture` finds files there and
 * nowhere else, and fails loudly on a missing one; each suite folder carries its NOTICE and is
 * listed in the folder's README; git stores the folder byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_FIXTURES_DIR, externalFixture } from '../fixtures/external.ts';

const suites = readdirSync(EXTERNAL_FIXTURES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('externalFixture', () => {
  it('returns the absolute path of a file or folder that is there', () => {
    expect(externalFixture('eventdataR-patients', 'patients.csv')).toBe(
      path.join(EXTERNAL_FIXTURES_DIR, 'eventdataR-patients', 'patients.csv'),
    );
    expect(externalFixture('bpmn-miwg', 'Reference')).toBe(
      path.join(EXTERNAL_FIXTURES_DIR, 'bpmn-miwg', 'Reference'),
    );
  });

  it.each([
    {
      description: 'a missing file, named by its path in the repository',
      segments: ['csv-spectrum', 'csvs', 'no-such-case.csv'],
      error: 'External test data missing: tests/fixtures/external/csv-spectrum/csvs/no-such-case.csv',
    },
    { description: 'a missing suite', segments: ['no-such-suite'], error: 'External test data missing' },
    {
      description: 'a path that leaves the folder, even to a file that exists',
      segments: ['..', 'external.ts'],
      error: 'must be a path inside tests/fixtures/external/',
    },
    {
      description: 'an absolute path',
      segments: [path.resolve(EXTERNAL_FIXTURES_DIR, '..', 'miwg.ts')],
      error: 'must be a path inside tests/fixtures/external/',
    },
    {
      description: 'the folder itself',
      segments: [],
      error: 'must be a path inside tests/fixtures/external/',
    },
  ])('throws for $description', ({ segments, error }) => {
    expect(() => externalFixture(...segments)).toThrow(error);
  });
});

describe('tests/fixtures/external/', () => {
  it('has the suites the tests read', () => {
    expect(suites).toEqual([
      'bpmn-miwg',
      'camunda-bpmn-models',
      'csv-spectrum',
      'csvlint-rb',
      'eventdataR-patients',
      'fhir-test-cases',
      'frictionless-py',
      'hl7-fhir-us-core',
      'hl7-fhir-uv-extensions-r4',
      'hl7-fhir-uv-ips',
      'parquet-testing',
      'pm4py-input-data',
      'pm4py-ocel2',
      'pm4py-running-example',
      'simod-assets',
    ]);
  });

  it.each(suites)('%s: has a NOTICE naming its source, version and licence, and a README row', (suite) => {
    const notice = readFileSync(externalFixture(suite, 'NOTICE'), 'utf8');
    // a repository at a commit, or a package as published on a registry with the file's SHA-256
    if (/^Source: +https:\/\/github\.com\//m.test(notice))
      expect(notice).toMatch(/^Commit: +[0-9a-f]{40}\b/m);
    else {
      // a FHIR package: on the npm registry, or as HL7 publishes it (packages.fhir.org only)
      expect(notice).toMatch(
        /^Source: +the FHIR NPM package \S+@\S+ as published (on the npm\s+registry|by HL7)/m,
      );
      expect(notice).toMatch(/SHA-256 [0-9a-f]{64}\b/);
    }
    expect(notice).toMatch(/^Licen[cs]e: +\S/m);
    expect(notice).toMatch(/^Used here: +\S/m);
    expect(readFileSync(externalFixture('README.md'), 'utf8')).toContain(`| \`${suite}/\` |`);
  });

  it('is stored by git byte for byte (no line-ending conversion)', () => {
    const file = 'tests/fixtures/external/csvlint-rb/fixtures/crlf-line-endings.csv';
    const attributes = execFileSync('git', ['check-attr', 'text', 'eol', '--', file], {
      cwd: path.resolve(EXTERNAL_FIXTURES_DIR, '..', '..', '..'),
      encoding: 'utf8',
    });
    expect(attributes).toBe(`${file}: text: unset\n${file}: eol: unspecified\n`);
  });
});
