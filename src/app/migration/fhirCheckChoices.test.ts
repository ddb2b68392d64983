/**
 * The FHIR checks chosen under "FHIR files", as a pull's validation takes them: the same layers
 * and extension choices, kept in the project's settings, and the packages of the open
 * project only.
 */
import { describe, expect, it } from 'vitest';
import { FHIR_LAYERS } from '../../core/fhir/index.ts';
import { SWITCHABLE_FHIR_LAYERS } from '../../formats/fhirChecks.ts';
import {
  describeFhirCheckChoices,
  type FhirCheckChoices,
  fhirCheckOptions,
  fhirChecksOf,
  getPublishedFhirPackages,
  mappedPackages,
  publishFhirPackages,
  settingsWithFhirChecks,
} from './fhirCheckChoices.ts';

const ig = new Blob(['package']);
const base: FhirCheckChoices = { layers: FHIR_LAYERS, unknownExtensions: 'error' };
const withPackages = (ready: boolean): FhirCheckChoices => ({
  ...base,
  packages: { projectId: 'p1', specs: [{ name: 'ips.tgz', file: ig }], profiles: ['http://x/P'], ready },
});

describe('fhirCheckOptions and describeFhirCheckChoices', () => {
  const cases: [string, FhirCheckChoices, string, Record<string, unknown>, string][] = [
    [
      'the defaults',
      base,
      'p1',
      { layers: [...FHIR_LAYERS], unknownExtensions: 'error' },
      'Every FHIR check runs. Unknown extensions count as errors.',
    ],
    [
      'a layer off and warnings',
      { layers: FHIR_LAYERS.filter((l) => l !== 'bindings'), unknownExtensions: 'warning' },
      'p1',
      { layers: FHIR_LAYERS.filter((l) => l !== 'bindings'), unknownExtensions: 'warning' },
      'Checks switched off: Codes. Unknown extensions count as warnings.',
    ],
    [
      'Extensions off (the unknown-extension choice is not mentioned)',
      { layers: FHIR_LAYERS.filter((l) => l !== 'extensions'), unknownExtensions: 'warning' },
      'p1',
      { layers: FHIR_LAYERS.filter((l) => l !== 'extensions'), unknownExtensions: 'warning' },
      'Checks switched off: Extensions.',
    ],
    [
      'extensions at example addresses accepted',
      { ...base, allowExampleUrls: true },
      'p1',
      { layers: [...FHIR_LAYERS], unknownExtensions: 'error', allowExampleUrls: true },
      'Every FHIR check runs. Unknown extensions count as errors. Extensions at example addresses (example.org) are accepted: for test data only.',
    ],
    [
      'Extensions off (the example-address choice is not mentioned)',
      {
        layers: FHIR_LAYERS.filter((l) => l !== 'extensions'),
        unknownExtensions: 'error',
        allowExampleUrls: true,
      },
      'p1',
      { layers: FHIR_LAYERS.filter((l) => l !== 'extensions'), allowExampleUrls: true },
      'Checks switched off: Extensions.',
    ],
    [
      'the open project’s packages',
      withPackages(true),
      'p1',
      { layers: [...FHIR_LAYERS], packages: [{ name: 'ips.tgz', file: ig }], profiles: ['http://x/P'] },
      'Every FHIR check runs. Unknown extensions count as errors. Resources are also checked against the profiles of 1 implementation guide package (1 profile applied to every resource of its type).',
    ],
    [
      'a terminology package beside a guide (its codes, not profiles)',
      {
        ...base,
        packages: {
          projectId: 'p1',
          specs: [
            { name: 'ips.tgz', file: ig },
            { name: 'codes.tgz', file: ig, terminology: true },
          ],
          profiles: [],
          ready: true,
        },
      },
      'p1',
      {
        layers: [...FHIR_LAYERS],
        packages: [
          { name: 'ips.tgz', file: ig },
          { name: 'codes.tgz', file: ig, terminology: true },
        ],
        profiles: [],
      },
      'Every FHIR check runs. Unknown extensions count as errors. Resources are also checked against the profiles of 1 implementation guide package. Codes are also checked against the code systems and value sets of 1 terminology package.',
    ],
    [
      'another project’s packages (never applied)',
      withPackages(true),
      'p2',
      { layers: [...FHIR_LAYERS], unknownExtensions: 'error' },
      'Every FHIR check runs. Unknown extensions count as errors.',
    ],
  ];
  it.each(cases)('%s', (_name, choices, projectId, options, words) => {
    const made = fhirCheckOptions(choices, projectId);
    expect(made).toMatchObject(options);
    if (!('packages' in options)) expect(made.packages).toBeUndefined();
    if (!('allowExampleUrls' in options)) expect(made).not.toHaveProperty('allowExampleUrls');
    expect(describeFhirCheckChoices(choices, projectId)).toBe(words);
  });
});

describe('mappedPackages: what records mapped to FHIR take of the packages', () => {
  const read = [{ name: 'hl7.fhir.uv.ips', version: '2.0.0', sha256: 'a'.repeat(64) }];
  const missing = [
    {
      name: 'hl7.terminology.r4',
      version: '6.5.0',
      requiredBy: ['hl7.fhir.uv.ips#2.0.0'],
      unchecked: 'codes',
    },
  ];
  const published = (packages: FhirCheckChoices['packages']): FhirCheckChoices => ({ ...base, packages });
  it.each([
    ['no packages', base, 'p1', { spec: {} }],
    ['another project’s packages', withPackages(true), 'p2', { spec: {} }],
    [
      'the project’s packages, with what the report names',
      published({
        projectId: 'p1',
        specs: [{ name: 'ips.tgz', file: ig }],
        profiles: [],
        ready: true,
        read,
        missing,
      }),
      'p1',
      {
        spec: { packages: [{ name: 'ips.tgz', file: ig }], profiles: [] },
        target: { packages: read, missingPackages: missing },
      },
    ],
    [
      'a profile applied to every record of its type',
      published({
        projectId: 'p1',
        specs: [{ name: 'ips.tgz', file: ig }],
        profiles: ['http://x/P'],
        ready: true,
        read,
      }),
      'p1',
      {
        spec: { packages: [{ name: 'ips.tgz', file: ig }], profiles: ['http://x/P'] },
        target: { packages: read, profiles: ['http://x/P'] },
      },
    ],
  ] as const)('%s', (_, choices, projectId, expected) => {
    expect(mappedPackages(choices, projectId)).toEqual(expected);
  });
});

describe('the choices kept in the project', () => {
  it('are the defaults in a project without them', () => {
    expect(fhirChecksOf({})).toEqual({
      layers: FHIR_LAYERS,
      unknownExtensions: 'error',
      allowExampleUrls: false,
    });
  });

  it.each([
    ['every layer', FHIR_LAYERS, 'error' as const],
    ['Codes off, warnings', FHIR_LAYERS.filter((l) => l !== 'bindings'), 'warning' as const],
    ['only the JSON', ['json' as const], 'warning' as const],
  ])('%s: kept and read back in the order they run', (_name, layers, unknownExtensions) => {
    const settings = settingsWithFhirChecks({ waivers: [] }, [...layers].reverse(), unknownExtensions);
    expect(settings.waivers).toEqual([]);
    expect(fhirChecksOf(settings)).toEqual({ layers, unknownExtensions, allowExampleUrls: false });
  });

  it('keep the example-address choice when the layers change, until it is switched off', () => {
    const on = settingsWithFhirChecks({}, FHIR_LAYERS, 'error', true);
    expect(fhirChecksOf(on).allowExampleUrls).toBe(true);
    const layerOff = settingsWithFhirChecks(on, ['json'], 'error');
    expect(fhirChecksOf(layerOff).allowExampleUrls).toBe(true);
    expect(fhirChecksOf(settingsWithFhirChecks(layerOff, ['json'], 'error', false)).allowExampleUrls).toBe(
      false,
    );
  });

  it('never switch the JSON off', () => {
    expect(fhirChecksOf(settingsWithFhirChecks({}, [], 'error')).layers).toEqual(['json']);
  });

  it('name every layer but json as one that can be switched off', () => {
    expect(SWITCHABLE_FHIR_LAYERS).toEqual(FHIR_LAYERS.filter((l) => l !== 'json'));
  });
});

describe('the published packages', () => {
  it('hold one project’s packages, withdrawn only by that project', () => {
    const published = { projectId: 'p1', specs: [{ name: 'ips.tgz', file: ig }], profiles: [], ready: true };
    publishFhirPackages('p1', published);
    expect(getPublishedFhirPackages()).toBe(published);
    // the same packages again: nothing changes (no re-render loop)
    publishFhirPackages('p1', { ...published, specs: [...published.specs] });
    expect(getPublishedFhirPackages()).toBe(published);
    publishFhirPackages('p2', undefined);
    expect(getPublishedFhirPackages()).toBe(published);
    publishFhirPackages('p1', undefined);
    expect(getPublishedFhirPackages()).toBeUndefined();
  });
});
