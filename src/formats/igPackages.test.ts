import { describe, expect, it } from 'vitest';
import { readProjectFhirPackages, withProjectFhirPackages } from './igPackages.ts';

const SHA = 'a'.repeat(64);
const REF = { fileName: 'ips.tgz', name: 'hl7.fhir.uv.ips', version: '2.0.0', sha256: SHA, bytes: 10 };

describe('the packages a project records', () => {
  it.each([
    { name: 'no settings', settings: undefined, packages: [], profiles: [] },
    { name: 'none recorded', settings: {}, packages: [], profiles: [] },
    {
      name: 'one package and a profile',
      settings: { fhirPackages: [REF], fhirProfiles: ['u'] },
      packages: [REF],
      profiles: ['u'],
    },
    { name: 'not a list', settings: { fhirPackages: REF, fhirProfiles: 'u' }, packages: [], profiles: [] },
    {
      name: 'a SHA-256 that is not one',
      settings: { fhirPackages: [{ ...REF, sha256: 'ABC' }] },
      packages: [],
      profiles: [],
    },
    {
      name: 'a size that is not a count',
      settings: { fhirPackages: [{ ...REF, bytes: -1 }] },
      packages: [],
      profiles: [],
    },
    {
      name: 'the same package twice',
      settings: { fhirPackages: [REF, { ...REF, fileName: 'b.tgz' }] },
      packages: [REF],
      profiles: [],
    },
    {
      name: 'extra fields dropped',
      settings: { fhirPackages: [{ ...REF, note: 'x' }] },
      packages: [REF],
      profiles: [],
    },
    {
      name: 'a terminology package kept as one; any other value of the mark dropped',
      settings: {
        fhirPackages: [
          { ...REF, terminology: true },
          { ...REF, sha256: 'b'.repeat(64), terminology: 'yes' },
        ],
      },
      packages: [
        { ...REF, terminology: true },
        { ...REF, sha256: 'b'.repeat(64) },
      ],
      profiles: [],
    },
    {
      name: 'blank and repeated profiles',
      settings: { fhirProfiles: ['', 'u', 'u', 3] },
      packages: [],
      profiles: ['u'],
    },
  ])('$name', ({ settings, packages, profiles }) => {
    expect(readProjectFhirPackages(settings)).toEqual({ packages, profiles });
  });

  it('writes them back beside the other settings, and reads what it wrote', () => {
    const settings = withProjectFhirPackages({ waivers: [1] }, [REF], ['u']);
    expect(settings.waivers).toEqual([1]);
    expect(readProjectFhirPackages(settings)).toEqual({ packages: [REF], profiles: ['u'] });
  });
});
