import { describe, expect, it } from 'vitest';
import {
  fhirChecksOf,
  MissingProjectPackagesError,
  matchProjectPackages,
  projectFhirChecks,
} from './index.ts';

const sha = (c: string) => c.repeat(64);
const core = {
  fileName: 'core.tgz',
  name: 'hl7.fhir.us.core',
  version: '6.1.0',
  sha256: sha('a'),
  bytes: 10,
};

describe('a project’s FHIR checks and packages', () => {
  it('leaves on the layers the project does not switch off', () => {
    const { layers, unknownExtensions } = fhirChecksOf({
      fhirChecks: { off: ['terminology'], unknownExtensions: 'warning' },
    });
    expect(layers).not.toContain('terminology');
    expect(layers).toContain('json');
    expect(unknownExtensions).toBe('warning');
  });

  it('carries the project’s acceptance of example-address extensions to a CLI run, and says so', () => {
    const given = { skip: false, unknownExtensions: true, profiles: false };
    const accepting = projectFhirChecks(
      'p.json',
      'p.json',
      { fhirChecks: { allowExampleUrls: true } },
      given,
    );
    expect(accepting.allowExampleUrls).toBe(true);
    expect(accepting.lines[0]).toContain('; extensions at example addresses accepted (test data)');
    const refusing = projectFhirChecks('p.json', 'p.json', { fhirChecks: {} }, given);
    expect(refusing.allowExampleUrls).toBeUndefined();
    expect(refusing.lines[0]).not.toContain('example addresses');
  });

  it('matches a named package by name and version, and says what differs', () => {
    const given = [
      { file: 'us-core.tgz', name: core.name, version: core.version, sha256: sha('b') },
      { file: 'ips.tgz', name: 'hl7.fhir.uv.ips', version: '1.1.0', sha256: sha('c') },
    ];
    const lines = matchProjectPackages('p.json', [core], given);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('not the same file as the one added in the app');
    expect(lines[1]).toContain('which the project does not name');
    expect(matchProjectPackages('p.json', [core], [{ ...given[0], sha256: core.sha256 } as never])).toEqual(
      [],
    );
  });

  it('stops the run for a named package given in another version, or not at all', () => {
    const other = { file: 'old.tgz', name: core.name, version: '5.0.1', sha256: sha('d') };
    expect(() => matchProjectPackages('p.json', [core], [other])).toThrow(MissingProjectPackagesError);
    expect(() => matchProjectPackages('p.json', [core], [other])).toThrow(
      /hl7\.fhir\.us\.core 6\.1\.0 \(added in the app as core\.tgz\): --ig old\.tgz is hl7\.fhir\.us\.core 5\.0\.1, another version/,
    );
    expect(() => matchProjectPackages('p.json', [core], [])).toThrow(/--ig <package\.tgz>/);
  });
});
