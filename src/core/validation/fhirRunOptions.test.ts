/**
 * The options of a FHIR run as a report records them (`target.layers`, `target.unknownExtensions`),
 * named as the CLI's options in the report CSV and in sentences in the app and the printable page.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../formats/report.ts';
import { FHIR_LAYERS } from '../fhir/index.ts';
import { describeFhirRun, FHIR_LAYER_TITLES, fhirRunSettings } from './fhirRunOptions.ts';
import { reportCsv, reportHtml } from './index.ts';

const ALL = [...FHIR_LAYERS];
const WITHOUT_CODES = ALL.filter((l) => l !== 'bindings');

const CASES: {
  description: string;
  target: Report['target'];
  settings: string[];
  sentence: string | undefined;
}[] = [
  { description: 'no target (a CSV report)', target: undefined, settings: [], sentence: undefined },
  {
    description: 'a column contract',
    target: { type: 'schema', schema: 'patients.schema.json' },
    settings: [],
    sentence: undefined,
  },
  {
    description: 'a FHIR report written before options were recorded',
    target: { type: 'fhir' },
    settings: [],
    sentence: undefined,
  },
  {
    description: 'every layer, unknown extensions as errors (the defaults)',
    target: { type: 'fhir', layers: ALL, unknownExtensions: 'error' },
    settings: [`layers=${ALL.join(' ')}`, 'skip=', 'unknown-extensions=error'],
    sentence:
      'Every FHIR check ran. Unknown extensions (not defined in the FHIR specification) were counted as errors: a resource with one counts as invalid.',
  },
  {
    description: 'codes switched off, unknown extensions as warnings',
    target: { type: 'fhir', layers: WITHOUT_CODES, unknownExtensions: 'warning' },
    settings: [`layers=${WITHOUT_CODES.join(' ')}`, 'skip=bindings', 'unknown-extensions=warning'],
    sentence:
      'Checks switched off: Codes. Unknown extensions (not defined in the FHIR specification) were counted as warnings: a resource with one still counts as valid.',
  },
  {
    description: 'the extensions layer off: its severity is not worth a sentence',
    target: { type: 'fhir', layers: ['json', 'structure'], unknownExtensions: 'warning' },
    settings: [
      'layers=json structure',
      'skip=cardinality values extensions invariants bindings references',
      'unknown-extensions=warning',
    ],
    sentence:
      'Checks switched off: Required elements, Values, Extensions, Rules of the specification, Codes, References and Bundles.',
  },
  {
    description: 'extensions at example addresses accepted (test data)',
    target: { type: 'fhir', layers: ALL, unknownExtensions: 'error', allowExampleUrls: true },
    settings: [`layers=${ALL.join(' ')}`, 'skip=', 'unknown-extensions=error', 'allow-example-urls=true'],
    sentence:
      'Every FHIR check ran. Unknown extensions (not defined in the FHIR specification) were counted as errors: a resource with one counts as invalid. Extensions at example addresses (example.org, example.com) were accepted without a check, as for test data.',
  },
  {
    description: 'an implementation guide package, a profile for every Patient, a dependency not loaded',
    target: {
      type: 'fhir',
      layers: ALL,
      unknownExtensions: 'error',
      packages: [{ name: 'hl7.fhir.uv.ips', version: '2.0.0', sha256: 'ab'.repeat(32) }],
      profiles: ['http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips'],
      missingPackages: [
        {
          name: 'hl7.terminology.r4',
          version: '6.5.0',
          requiredBy: ['hl7.fhir.uv.ips#2.0.0'],
          unchecked: 'x',
        },
      ],
    },
    settings: [
      `layers=${ALL.join(' ')}`,
      'skip=',
      'unknown-extensions=error',
      `ig=hl7.fhir.uv.ips#2.0.0 sha256:${'ab'.repeat(32)}`,
      'profile=http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips',
    ],
    sentence: `Every FHIR check ran. Unknown extensions (not defined in the FHIR specification) were counted as errors: a resource with one counts as invalid. Each resource was also checked against the profiles it declares from hl7.fhir.uv.ips 2.0.0 (SHA-256 ${'ab'.repeat(32)}). Applied to every resource of its type: http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips. Not loaded, so what they define was not checked: hl7.terminology.r4 6.5.0.`,
  },
];

const report = (target: Report['target']): Report => ({
  format: 'preflight.report/v1',
  generatedAt: '2026-01-02T03:04:05Z',
  tool: { name: 'preflight', version: '1.0.0' },
  inputs: [{ name: 'Patient.ndjson', kind: 'ndjson', records: 1, valid: 1, invalid: 0 }],
  ...(target ? { target } : {}),
  summary: { records: 1, valid: 1, invalid: 0, errors: 0, warnings: 1 },
  issues: [],
  profiles: [],
  crossFile: { duplicateKeys: [], orphanReferences: [] },
  timings: { startedAt: '2026-01-02T03:04:00Z', totalMs: 5 },
});

describe('the options of a FHIR run', () => {
  it('has a title for every layer of the validator, in its order', () => {
    expect(Object.keys(FHIR_LAYER_TITLES)).toEqual(ALL);
  });

  it.each(CASES)('$description', ({ target, settings, sentence }) => {
    expect(fhirRunSettings(target).map((s) => `${s.name}=${s.value}`)).toEqual(settings);
    expect(describeFhirRun(target)).toBe(sentence);
  });

  it.each(CASES)(
    'are in the report CSV and the printable page: $description',
    ({ target, settings, sentence }) => {
      const csv = reportCsv(report(target));
      const lines = csv
        .split('\r\n')
        .filter((l) => l.startsWith('setting,'))
        .map((l) => l.split(','))
        .map((cells) => `${cells[4]}=${cells[8]}`);
      expect(lines).toEqual(settings);
      const html = reportHtml(report(target));
      if (sentence) expect(html).toContain(`<p>${sentence}</p>`);
      else expect(html).not.toMatch(/FHIR check|Checks switched off|Unknown extensions/);
    },
  );
});
